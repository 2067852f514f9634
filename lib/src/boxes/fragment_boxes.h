// Movie fragment boxes (ISO/IEC 14496-12 8.8): mvex/mehd/trex in the movie, moof/mfhd/traf/tfhd/tfdt/trun
// per fragment, and mfra/tfra/mfro at the end for random access.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "boxes/box_writer.h"

namespace aw {

// sample_flags (8.8.3.1): a sync sample depends on no other; a non-sync one does and is marked so.
constexpr uint32_t kSyncSampleFlags = 0x02000000;
constexpr uint32_t kNonSyncSampleFlags = 0x01010000;

// mvex with a trex per track (defaults all zero but the description index: every fragment states its
// own defaults, so fragments stay self-contained and combinable) and mehd when the duration is known.
void write_mvex(BoxWriter& w, std::span<const uint32_t> track_ids, std::optional<uint64_t> fragment_duration);

struct FragmentSample {
  uint32_t duration = 0;
  uint32_t size = 0;
  int32_t composition_offset = 0;  // pts - dts
  bool sync = true;
};

// One trun: a run of a track's samples stored contiguously in the fragment's mdat.
struct TrackRun {
  std::vector<FragmentSample> samples;
  uint64_t mdat_offset = 0;  // of the run's first byte, from the start of the mdat payload
};

struct TrackFragment {
  uint32_t track_id = 0;
  // The stsd entry (1-based) of every sample in the fragment; tfhd states it when it is not trex's 1.
  uint32_t sample_description_index = 1;
  // tfhd states the index even when it is trex's: CMAF's cmf2 brand wants each chunk's defaults in its own
  // tfhd/trun, none left to trex (23000-19 7.7.3).
  bool states_description = false;
  uint64_t base_media_decode_time = 0;
  std::vector<TrackRun> runs;
};

// Joins each run to the one before when its bytes follow that run's in the mdat: a trun per run of
// contiguous samples, not per chunk handed in (8.8.8: a trun is a contiguous run of a track's samples).
void join_contiguous_runs(TrackFragment& traf);

// Writes moof; trun data offsets are relative to the moof (default-base-is-moof) and assume the mdat
// (with a header of `mdat_header_size` bytes) follows the moof directly.
void write_moof(BoxWriter& w, uint32_t sequence_number, std::span<const TrackFragment> fragments,
                uint32_t mdat_header_size);

struct RandomAccessEntry {
  uint64_t time = 0;         // presentation time of the sync sample (media timescale)
  uint64_t moof_offset = 0;  // file offset of its moof
  uint32_t traf_number = 1;  // 1-based
  uint32_t trun_number = 1;
  uint32_t sample_number = 1;
};

struct TrackRandomAccess {
  uint32_t track_id = 0;
  std::vector<RandomAccessEntry> entries;
};

void write_mfra(BoxWriter& w, std::span<const TrackRandomAccess> tracks);

}  // namespace aw
