#include "boxes/sample_table_boxes.h"

#include <algorithm>
#include <array>
#include <limits>

namespace aw {
namespace {

// Table entries gathered and written a batch at a time (BoxWriter::u32s), not a field at a time.
class U32Batch {
 public:
  explicit U32Batch(BoxWriter& w) : w_(w) {}
  ~U32Batch() { flush(); }
  U32Batch(const U32Batch&) = delete;
  U32Batch& operator=(const U32Batch&) = delete;
  void add(uint32_t v) {
    values_[fill_++] = v;
    if (fill_ == values_.size()) flush();
  }
  void flush() {
    w_.u32s(std::span<const uint32_t>(values_.data(), fill_));
    fill_ = 0;
  }

 private:
  BoxWriter& w_;
  std::array<uint32_t, 1536> values_;  // a multiple of 2 and 3 (two- and three-field entries)
  size_t fill_ = 0;
};

}  // namespace

void write_stts(BoxWriter& w, const SampleTable& t) {
  w.full_box(FourCC("stts"), 0, 0, [&] {
    const auto runs = t.time_to_sample();
    w.u32(static_cast<uint32_t>(runs.size()));
    U32Batch batch(w);
    for (const auto& run : runs) {
      batch.add(run.count);
      batch.add(run.delta);
    }
  });
}

std::pair<int32_t, int32_t> composition_offset_range(const SampleTable& t) {
  if (!t.has_composition_offsets()) return {0, 0};
  int32_t least = std::numeric_limits<int32_t>::max();
  int32_t greatest = std::numeric_limits<int32_t>::min();
  for (const auto& run : t.composition_offsets()) {
    least = std::min(least, run.offset);
    greatest = std::max(greatest, run.offset);
  }
  return {least, greatest};
}

namespace {

bool has_negative_offsets(const SampleTable& t, const CompositionStorage& storage) {
  return storage.signed_offsets && t.has_composition_offsets() &&
         static_cast<int64_t>(composition_offset_range(t).first) + storage.shift < 0;
}

bool fits_i32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

}  // namespace

void write_ctts(BoxWriter& w, const SampleTable& t, const CompositionStorage& storage, FileType file_type) {
  if (!t.has_composition_offsets()) return;
  // By default offsets are shifted to be non-negative so version 0 works everywhere (older readers treat
  // them as unsigned) and the edit list removes the shift from the presentation. Signed storage needs
  // version 1 in ISO files; QuickTime has only version 0, whose offsets it reads as signed.
  bool negative = has_negative_offsets(t, storage);
  uint8_t version = negative && file_type != FileType::kQuickTimeMovie ? 1 : 0;
  w.full_box(FourCC("ctts"), version, 0, [&] {
    const auto runs = t.composition_offsets();
    w.u32(static_cast<uint32_t>(runs.size()));
    U32Batch batch(w);
    for (const auto& run : runs) {
      batch.add(run.count);
      batch.add(static_cast<uint32_t>(static_cast<int32_t>(static_cast<int64_t>(run.offset) + storage.shift)));
    }
  });
}

void write_cslg(BoxWriter& w, const SampleTable& t, const CompositionStorage& storage) {
  if (!has_negative_offsets(t, storage)) return;
  auto [least_raw, greatest_raw] = composition_offset_range(t);
  int64_t least = static_cast<int64_t>(least_raw) + storage.shift;
  int64_t greatest = static_cast<int64_t>(greatest_raw) + storage.shift;
  // Composition times on the media timeline, which starts at the first decode time.
  int64_t start = t.min_pts() - t.first_dts() + storage.shift;
  int64_t end = t.max_pts_end() - t.first_dts() + storage.shift;
  int64_t to_dts_shift = std::max<int64_t>(0, -least);
  bool wide = !(fits_i32(least) && fits_i32(greatest) && fits_i32(start) && fits_i32(end) && fits_i32(to_dts_shift));
  w.full_box(FourCC("cslg"), wide ? 1 : 0, 0, [&] {
    for (int64_t v : {to_dts_shift, least, greatest, start, end}) {
      if (wide) {
        w.i64(v);
      } else {
        w.i32(static_cast<int32_t>(v));
      }
    }
  });
}

void write_stss(BoxWriter& w, const SampleTable& t) {
  if (t.all_sync()) return;
  w.full_box(FourCC("stss"), 0, 0, [&] {
    const auto samples = t.sync_samples();
    w.u32(static_cast<uint32_t>(samples.size()));
    U32Batch batch(w);
    for (uint32_t n : samples) batch.add(n);
  });
}

void write_stsc(BoxWriter& w, const SampleTable& t) {
  // One entry per run of chunks with the same sample count and sample description (8.7.4). Counted first,
  // then written, in the same walk.
  const auto& changes = t.description_changes();
  auto walk = [&](const std::function<void(uint32_t, uint32_t, uint32_t)>& entry) {
    uint32_t chunk_number = 1, last = 0, description = 1, last_description = 1;
    size_t next_change = 0;
    for (const auto& chunk : t.chunks()) {
      if (next_change < changes.size() && changes[next_change].first_chunk == chunk_number) {
        description = changes[next_change++].description_index;
      }
      if (chunk_number == 1 || chunk.sample_count != last || description != last_description) {
        entry(chunk_number, chunk.sample_count, description);
      }
      last = chunk.sample_count;
      last_description = description;
      ++chunk_number;
    }
  };
  uint32_t entries = 0;
  walk([&](uint32_t, uint32_t, uint32_t) { ++entries; });
  w.full_box(FourCC("stsc"), 0, 0, [&] {
    w.u32(entries);
    U32Batch batch(w);
    walk([&](uint32_t first_chunk, uint32_t samples_per_chunk, uint32_t description) {
      batch.add(first_chunk);
      batch.add(samples_per_chunk);
      batch.add(description);
    });
  });
}

void write_stsz(BoxWriter& w, const SampleTable& t) {
  w.full_box(FourCC("stsz"), 0, 0, [&] {
    // sample_size 0 means "the sizes follow", so samples that are all empty still need the table.
    if (t.constant_size() && !t.empty() && t.first_size() != 0) {
      w.u32(t.first_size());
      w.u32(t.sample_count());
      return;
    }
    w.u32(0);
    w.u32(t.sample_count());
    if (t.constant_size()) {
      w.zeros(size_t{t.sample_count()} * 4);
      return;
    }
    t.sizes().for_each_block([&](std::span<const uint32_t> sizes) { w.u32s(sizes); });
  });
}

bool needs_co64(const SampleTable& t, uint64_t payload_base) {
  const auto chunks = t.chunks();
  return !chunks.empty() && chunks.back().payload_offset + payload_base > std::numeric_limits<uint32_t>::max();
}

void write_chunk_offsets(BoxWriter& w, const SampleTable& t, uint64_t payload_base, bool use_co64) {
  w.full_box(use_co64 ? FourCC("co64") : FourCC("stco"), 0, 0, [&] {
    const auto chunks = t.chunks();
    w.u32(static_cast<uint32_t>(chunks.size()));
    U32Batch batch(w);
    for (const auto& chunk : chunks) {
      uint64_t offset = chunk.payload_offset + payload_base;
      if (use_co64) batch.add(static_cast<uint32_t>(offset >> 32));
      batch.add(static_cast<uint32_t>(offset));
    }
  });
}

void write_stbl(BoxWriter& w, const SampleTable& t, const std::function<void()>& write_sample_entry,
                uint64_t payload_base, bool use_co64, const CompositionStorage& composition, FileType file_type,
                uint32_t sample_entry_count) {
  w.box(FourCC("stbl"), [&] {
    w.full_box(FourCC("stsd"), 0, 0, [&] {
      w.u32(sample_entry_count);
      write_sample_entry();
    });
    write_stts(w, t);
    write_ctts(w, t, composition, file_type);
    write_cslg(w, t, composition);
    write_stss(w, t);
    write_stsc(w, t);
    write_stsz(w, t);
    write_chunk_offsets(w, t, payload_base, use_co64);
  });
}

}  // namespace aw
