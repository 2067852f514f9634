// SampleTable: one track's index, kept run-length compressed as samples arrive, so a long recording
// costs a few bytes per sample (sizes) plus one entry per timing change, sync sample and chunk.
#pragma once

#include <cstdint>
#include <vector>

namespace aw {

struct TimeToSampleRun {
  uint32_t count;
  uint32_t delta;
};

struct CompositionOffsetRun {
  uint32_t count;
  int32_t offset;
};

struct Chunk {
  uint64_t payload_offset;  // relative to the first payload byte of the mdat
  uint32_t sample_count;
};

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
  // The chunk most recently written holds the next `count` samples.
  void add_chunk(uint64_t payload_offset, uint32_t count);

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

  const std::vector<TimeToSampleRun>& time_to_sample() const { return stts_; }
  // Raw pts - dts runs; writers add composition_shift() so none is negative (version-0 ctts).
  const std::vector<CompositionOffsetRun>& composition_offsets() const { return ctts_; }
  bool has_composition_offsets() const { return has_ctts_; }
  // Added to every pts - dts so the smallest offset is 0; the edit list compensates.
  int32_t composition_shift() const { return composition_shift_; }
  // All sample sizes equal: the stsz box stores one value, and no per-sample sizes are kept.
  bool constant_size() const { return sizes_.empty(); }
  uint32_t first_size() const { return first_size_; }
  uint32_t size_of(uint32_t index) const { return sizes_.empty() ? first_size_ : sizes_[index]; }
  const std::vector<uint32_t>& sizes() const { return sizes_; }  // empty while constant_size()
  // Every sample is a sync sample: no stss, and no sync list is kept.
  bool all_sync() const { return all_sync_; }
  const std::vector<uint32_t>& sync_samples() const { return sync_samples_; }  // 1-based, when !all_sync()
  const std::vector<Chunk>& chunks() const { return chunks_; }

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

  std::vector<TimeToSampleRun> stts_;
  std::vector<CompositionOffsetRun> ctts_;
  bool has_ctts_ = false;
  int32_t composition_shift_ = 0;
  uint32_t first_size_ = 0;
  std::vector<uint32_t> sizes_;  // materialised at the first size that differs from first_size_
  bool all_sync_ = true;
  std::vector<uint32_t> sync_samples_;  // materialised at the first non-sync sample
  std::vector<Chunk> chunks_;
};

}  // namespace aw
