#include "boxes/sample_table_boxes.h"

#include <limits>

namespace aw {

void write_stts(BoxWriter& w, const SampleTable& t) {
  w.full_box(FourCC("stts"), 0, 0, [&] {
    w.u32(static_cast<uint32_t>(t.time_to_sample().size()));
    for (const auto& run : t.time_to_sample()) {
      w.u32(run.count);
      w.u32(run.delta);
    }
  });
}

void write_ctts(BoxWriter& w, const SampleTable& t) {
  if (!t.has_composition_offsets()) return;
  // Offsets are shifted to be non-negative so version 0 works everywhere (QuickTime and older readers
  // treat ctts offsets as unsigned); the edit list removes the shift from the presentation.
  w.full_box(FourCC("ctts"), 0, 0, [&] {
    w.u32(static_cast<uint32_t>(t.composition_offsets().size()));
    for (const auto& run : t.composition_offsets()) {
      w.u32(run.count);
      w.u32(static_cast<uint32_t>(run.offset + t.composition_shift()));
    }
  });
}

void write_stss(BoxWriter& w, const SampleTable& t) {
  if (t.all_sync()) return;
  w.full_box(FourCC("stss"), 0, 0, [&] {
    w.u32(static_cast<uint32_t>(t.sync_samples().size()));
    for (uint32_t n : t.sync_samples()) w.u32(n);
  });
}

void write_stsc(BoxWriter& w, const SampleTable& t) {
  // One entry per run of chunks with the same sample count (8.7.4).
  struct Entry {
    uint32_t first_chunk, samples_per_chunk;
  };
  std::vector<Entry> entries;
  uint32_t chunk_number = 1;
  for (const auto& chunk : t.chunks()) {
    if (entries.empty() || entries.back().samples_per_chunk != chunk.sample_count) {
      entries.push_back({chunk_number, chunk.sample_count});
    }
    ++chunk_number;
  }
  w.full_box(FourCC("stsc"), 0, 0, [&] {
    w.u32(static_cast<uint32_t>(entries.size()));
    for (const auto& e : entries) {
      w.u32(e.first_chunk);
      w.u32(e.samples_per_chunk);
      w.u32(1);  // sample_description_index
    }
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
    for (uint32_t size : t.sizes()) w.u32(size);
  });
}

bool needs_co64(const SampleTable& t, uint64_t payload_base) {
  return !t.chunks().empty() &&
         t.chunks().back().payload_offset + payload_base > std::numeric_limits<uint32_t>::max();
}

void write_chunk_offsets(BoxWriter& w, const SampleTable& t, uint64_t payload_base, bool use_co64) {
  w.full_box(use_co64 ? FourCC("co64") : FourCC("stco"), 0, 0, [&] {
    w.u32(static_cast<uint32_t>(t.chunks().size()));
    for (const auto& chunk : t.chunks()) {
      uint64_t offset = chunk.payload_offset + payload_base;
      if (use_co64) {
        w.u64(offset);
      } else {
        w.u32(static_cast<uint32_t>(offset));
      }
    }
  });
}

void write_stbl(BoxWriter& w, const SampleTable& t, const std::function<void()>& write_sample_entry,
                uint64_t payload_base, bool use_co64) {
  w.box(FourCC("stbl"), [&] {
    w.full_box(FourCC("stsd"), 0, 0, [&] {
      w.u32(1);
      write_sample_entry();
    });
    write_stts(w, t);
    write_ctts(w, t);
    write_stss(w, t);
    write_stsc(w, t);
    write_stsz(w, t);
    write_chunk_offsets(w, t, payload_base, use_co64);
  });
}

}  // namespace aw
