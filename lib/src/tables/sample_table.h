// SampleTable: one track's index, kept compact as samples arrive so a long recording costs a few bytes per
// sample: run-length decode deltas and composition offsets (~1 byte per run, tables/run_log.h), sizes
// packed per block (tables/packed_sizes.h), sync flags as a bitmap and chunks as varints, all in fixed
// pages or blocks that never reallocate a large array. Readers walk the tables in order as views.
#pragma once

#include <cstdint>
#include <vector>

#include "tables/chunk_log.h"
#include "tables/packed_sizes.h"
#include "tables/run_log.h"
#include "tables/sequence_view.h"
#include "tables/sync_bitmap.h"

namespace aw {

struct TimeToSampleRun {
  uint32_t count = 0;
  uint32_t delta = 0;
};

struct CompositionOffsetRun {
  uint32_t count = 0;
  int32_t offset = 0;
};

// A RunLog read back as the run type a box is written from.
template <typename T>
class TypedRunReader {
 public:
  explicit TypedRunReader(const RunLog& log) : reader_(log) {}
  bool next(T& out) {
    RunLog::Run run;
    if (!reader_.next(run)) return false;
    out = convert(run);
    return true;
  }
  static T convert(const RunLog::Run& run);

 private:
  RunLog::Reader reader_;
};

template <>
inline TimeToSampleRun TypedRunReader<TimeToSampleRun>::convert(const RunLog::Run& run) {
  return {run.count, static_cast<uint32_t>(run.value)};
}
template <>
inline CompositionOffsetRun TypedRunReader<CompositionOffsetRun>::convert(const RunLog::Run& run) {
  return {run.count, static_cast<int32_t>(run.value)};
}

using TimeToSampleRuns = SequenceView<TimeToSampleRun, TypedRunReader<TimeToSampleRun>>;
using CompositionOffsetRuns = SequenceView<CompositionOffsetRun, TypedRunReader<CompositionOffsetRun>>;
using SyncSamples = SequenceView<uint32_t, SyncBitmap::Reader>;
using Chunks = SequenceView<Chunk, ChunkLog::Reader>;

class SampleTable {
 public:
  // Adds one sample. Its duration is not known until the next sample's decode time arrives (or the
  // track ends), so the run of the previous sample is closed here.
  // `dts` and `pts` are in the media timescale.
  void add_sample(int64_t dts, int64_t pts, uint32_t size, bool sync);
  // Adds `count` sync samples of `size` bytes each, `delta` ticks apart, presented in decode order: a
  // buffer of PCM frames, one sample per frame, at the cost of a run-length entry, not one per frame.
  void add_sample_run(int64_t dts, uint32_t count, uint32_t size, uint32_t delta);
  // Closes the last sample with `duration` (media timescale).
  void finish(uint32_t last_duration);
  // The chunk most recently written holds the next `count` samples, described by stsd entry
  // `description_index`.
  void add_chunk(uint64_t payload_offset, uint32_t count, uint32_t description_index = 1);

  uint32_t sample_count() const { return sample_count_; }
  bool empty() const { return sample_count_ == 0; }
  int64_t first_dts() const { return first_dts_; }
  int64_t last_dts() const { return last_dts_; }
  // Earliest presentation time and the end of the latest sample's presentation (media timescale).
  int64_t min_pts() const { return min_pts_; }
  int64_t max_pts_end() const { return max_pts_end_; }
  // Sum of sample durations (after finish()).
  uint64_t media_duration() const { return media_duration_; }
  uint64_t total_bytes() const { return total_bytes_; }
  uint32_t max_sample_size() const { return max_sample_size_; }

  TimeToSampleRuns time_to_sample() const {
    return {TypedRunReader<TimeToSampleRun>(stts_), stts_.run_count(),
            TypedRunReader<TimeToSampleRun>::convert(stts_.back())};
  }
  // Raw (signed) pts - dts runs; a version-0 ctts adds composition_shift() so none is negative.
  CompositionOffsetRuns composition_offsets() const {
    return {TypedRunReader<CompositionOffsetRun>(ctts_), ctts_.run_count(),
            TypedRunReader<CompositionOffsetRun>::convert(ctts_.back())};
  }
  bool has_composition_offsets() const { return has_ctts_; }
  // Added to every pts - dts so the smallest offset is 0; the edit list compensates.
  int32_t composition_shift() const { return composition_shift_; }
  // All sample sizes equal: the stsz box stores one value, and no per-sample sizes are kept.
  bool constant_size() const { return sizes_.count() == 0; }
  uint32_t first_size() const { return first_size_; }
  uint32_t size_of(uint32_t index) const { return constant_size() ? first_size_ : sizes_.at(index); }
  const PackedSizes& sizes() const { return sizes_; }  // empty while constant_size()
  // Every sample is a sync sample: no stss, and no sync bitmap is kept.
  bool all_sync() const { return all_sync_; }
  // 1-based sample numbers, when !all_sync().
  SyncSamples sync_samples() const { return {SyncBitmap::Reader(sync_), sync_.sync_count(), sync_.last_sync()}; }
  Chunks chunks() const { return {ChunkLog::Reader(chunks_), chunks_.count(), chunks_.last()}; }
  // Where the sample description changes (a format change mid-stream): from chunk `first_chunk` (1-based)
  // on, the chunks use `description_index`. Empty while every chunk uses the first, so it costs nothing then.
  struct DescriptionChange {
    uint32_t first_chunk;
    uint32_t description_index;
  };
  const std::vector<DescriptionChange>& description_changes() const { return description_changes_; }

  // Heap bytes the index holds (pages, blocks and their lists): what a long recording costs in memory.
  size_t memory_bytes() const;

 private:
  void append_delta(uint32_t delta, uint32_t count = 1);
  void record_size(uint32_t size, uint32_t count);
  void record_sync(bool sync);

  uint32_t sample_count_ = 0;
  int64_t first_dts_ = 0;
  int64_t last_dts_ = 0;
  int64_t min_pts_ = 0;
  int64_t max_pts_end_ = 0;
  int64_t last_pts_ = 0;
  uint64_t media_duration_ = 0;
  uint64_t total_bytes_ = 0;
  uint32_t max_sample_size_ = 0;
  bool finished_ = false;

  RunLog stts_;
  RunLog ctts_;
  bool has_ctts_ = false;
  int32_t composition_shift_ = 0;
  uint32_t first_size_ = 0;
  PackedSizes sizes_;  // filled from the first size that differs from first_size_
  bool all_sync_ = true;
  SyncBitmap sync_;  // filled from the first non-sync sample
  ChunkLog chunks_;
  std::vector<DescriptionChange> description_changes_;
};

}  // namespace aw
