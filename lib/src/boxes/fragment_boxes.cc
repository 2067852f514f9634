#include "boxes/fragment_boxes.h"

#include <algorithm>
#include <limits>

namespace aw {
namespace {

// tfhd flags (8.8.7.1)
constexpr uint32_t kSampleDescriptionIndexPresent = 0x000002;
constexpr uint32_t kDefaultDurationPresent = 0x000008;
constexpr uint32_t kDefaultSizePresent = 0x000010;
constexpr uint32_t kDefaultFlagsPresent = 0x000020;
constexpr uint32_t kDefaultBaseIsMoof = 0x020000;
// trun flags (8.8.8.1)
constexpr uint32_t kDataOffsetPresent = 0x000001;
constexpr uint32_t kFirstSampleFlagsPresent = 0x000004;
constexpr uint32_t kDurationPresent = 0x000100;
constexpr uint32_t kSizePresent = 0x000200;
constexpr uint32_t kFlagsPresent = 0x000400;
constexpr uint32_t kCompositionOffsetPresent = 0x000800;

uint32_t flags_of(const FragmentSample& s) { return s.sync ? kSyncSampleFlags : kNonSyncSampleFlags; }

// What every sample of a track fragment shares, so tfhd states it once instead of trun per sample.
struct TrafDefaults {
  std::optional<uint32_t> duration, size, flags;
};

TrafDefaults defaults_of(const TrackFragment& traf) {
  TrafDefaults d;
  bool first = true, same_duration = true, same_size = true, same_flags = true;
  uint32_t duration = 0, size = 0, flags = 0;
  bool have_flags = false;
  for (const auto& run : traf.runs) {
    for (size_t i = 0; i < run.samples.size(); ++i) {
      const auto& s = run.samples[i];
      if (first) {
        duration = s.duration;
        size = s.size;
        first = false;
      }
      same_duration &= s.duration == duration;
      same_size &= s.size == size;
      // A run's first sample may differ (first_sample_flags): the rest decide the default.
      if (i == 0 && run.samples.size() > 1) continue;
      if (!have_flags) {
        flags = flags_of(s);
        have_flags = true;
      }
      same_flags &= flags_of(s) == flags;
    }
  }
  if (first) return d;
  if (same_duration) d.duration = duration;
  if (same_size) d.size = size;
  if (same_flags && have_flags) d.flags = flags;
  return d;
}

void write_tfhd(BoxWriter& w, const TrackFragment& traf, const TrafDefaults& d) {
  // trex says description 1: only a fragment after a format change names its own, unless asked to always.
  const bool description = traf.states_description || traf.sample_description_index != 1;
  uint32_t flags = kDefaultBaseIsMoof | (description ? kSampleDescriptionIndexPresent : 0) |
                   (d.duration ? kDefaultDurationPresent : 0) | (d.size ? kDefaultSizePresent : 0) |
                   (d.flags ? kDefaultFlagsPresent : 0);
  w.full_box(FourCC("tfhd"), 0, flags, [&] {
    w.u32(traf.track_id);
    if (description) w.u32(traf.sample_description_index);
    if (d.duration) w.u32(*d.duration);
    if (d.size) w.u32(*d.size);
    if (d.flags) w.u32(*d.flags);
  });
}

// Writes a trun and returns the position of its data_offset field, patched once the moof size is known.
size_t write_trun(BoxWriter& w, const TrackRun& run, const TrafDefaults& d) {
  bool any_offset = std::any_of(run.samples.begin(), run.samples.end(),
                                [](const FragmentSample& s) { return s.composition_offset != 0; });
  bool negative_offset = std::any_of(run.samples.begin(), run.samples.end(),
                                     [](const FragmentSample& s) { return s.composition_offset < 0; });
  bool first_flags = false, per_sample_flags = false;
  if (d.flags) {
    first_flags = !run.samples.empty() && flags_of(run.samples.front()) != *d.flags;
  } else {
    per_sample_flags = true;
  }
  uint32_t flags = kDataOffsetPresent | (first_flags ? kFirstSampleFlagsPresent : 0) |
                   (d.duration ? 0 : kDurationPresent) | (d.size ? 0 : kSizePresent) |
                   (per_sample_flags ? kFlagsPresent : 0) | (any_offset ? kCompositionOffsetPresent : 0);
  size_t data_offset_at = 0;
  // Version 1 makes composition offsets signed; version 0 is enough (and older readers prefer it) when
  // none is negative.
  w.full_box(FourCC("trun"), negative_offset ? 1 : 0, flags, [&] {
    w.u32(static_cast<uint32_t>(run.samples.size()));
    data_offset_at = w.size();
    w.u32(0);
    if (first_flags) w.u32(flags_of(run.samples.front()));
    for (const auto& s : run.samples) {
      if (!d.duration) w.u32(s.duration);
      if (!d.size) w.u32(s.size);
      if (per_sample_flags) w.u32(flags_of(s));
      if (any_offset) w.i32(s.composition_offset);
    }
  });
  return data_offset_at;
}

}  // namespace

void write_mvex(BoxWriter& w, std::span<const uint32_t> track_ids, std::optional<uint64_t> fragment_duration) {
  w.box(FourCC("mvex"), [&] {
    if (fragment_duration) {
      // Version 1 always, so the duration can be patched in place at finish whatever its size.
      w.full_box(FourCC("mehd"), 1, 0, [&] { w.u64(*fragment_duration); });
    }
    for (uint32_t id : track_ids) {
      w.full_box(FourCC("trex"), 0, 0, [&] {
        w.u32(id);
        w.u32(1);  // default_sample_description_index
        w.u32(0);  // default_sample_duration
        w.u32(0);  // default_sample_size
        w.u32(0);  // default_sample_flags
      });
    }
  });
}

void join_contiguous_runs(TrackFragment& traf) {
  std::vector<TrackRun> joined;
  uint64_t end = 0;  // one past the bytes of the last joined run
  for (TrackRun& run : traf.runs) {
    uint64_t bytes = 0;
    for (const auto& s : run.samples) bytes += s.size;
    if (!joined.empty() && run.mdat_offset == end) {
      auto& samples = joined.back().samples;
      samples.insert(samples.end(), run.samples.begin(), run.samples.end());
    } else {
      end = run.mdat_offset;
      joined.push_back(std::move(run));
    }
    end += bytes;
  }
  traf.runs = std::move(joined);
}

void write_moof(BoxWriter& w, uint32_t sequence_number, std::span<const TrackFragment> fragments,
                uint32_t mdat_header_size) {
  size_t moof_start = w.size();
  struct Patch {
    size_t at;
    uint64_t mdat_offset;
  };
  std::vector<Patch> patches;
  w.box(FourCC("moof"), [&] {
    w.full_box(FourCC("mfhd"), 0, 0, [&] { w.u32(sequence_number); });
    for (const auto& traf : fragments) {
      TrafDefaults d = defaults_of(traf);
      w.box(FourCC("traf"), [&] {
        write_tfhd(w, traf, d);
        w.full_box(FourCC("tfdt"), 1, 0, [&] { w.u64(traf.base_media_decode_time); });
        for (const auto& run : traf.runs) patches.push_back({write_trun(w, run, d), run.mdat_offset});
      });
    }
  });
  uint64_t moof_size = w.size() - moof_start;
  for (const auto& p : patches) {
    uint64_t offset = moof_size + mdat_header_size + p.mdat_offset;
    w.patch_u32(p.at, static_cast<uint32_t>(std::min<uint64_t>(offset, std::numeric_limits<int32_t>::max())));
  }
}

void write_mfra(BoxWriter& w, std::span<const TrackRandomAccess> tracks) {
  size_t start = w.size();
  w.box(FourCC("mfra"), [&] {
    for (const auto& track : tracks) {
      // Version 1: 64-bit times and offsets; 1-byte traf/trun/sample numbers would overflow on long runs,
      // so each length field is 4 bytes (length_size_of_* = 3).
      w.full_box(FourCC("tfra"), 1, 0, [&] {
        w.u32(track.track_id);
        w.u32(0x3f);  // reserved 26 bits, then three 2-bit length fields = 3 (4 bytes each)
        w.u32(static_cast<uint32_t>(track.entries.size()));
        for (const auto& e : track.entries) {
          w.u64(e.time);
          w.u64(e.moof_offset);
          w.u32(e.traf_number);
          w.u32(e.trun_number);
          w.u32(e.sample_number);
        }
      });
    }
    w.full_box(FourCC("mfro"), 0, 0, [&] { w.u32(static_cast<uint32_t>(w.size() - start + 4)); });
  });
}

}  // namespace aw
