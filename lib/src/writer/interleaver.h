// Interleaver: holds appended samples per track and releases them as chunks in decode-time order, one
// chunk per track per interleave interval, as AVAssetWriter interleaves automatically. A window is
// released once every unfinished track has queued a sample at or past its end, so no earlier sample can
// still arrive; a track that stalls (a sparse stream, a dead camera) cannot make the queues grow
// without bound: past a memory limit the window is released anyway.
//
// Per sample, times are compared as int64 ticks of the sample's own track: the window end is converted
// into each track's timescale once per window, so the hot path has no rational compare or 128-bit math.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "aw/status.h"
#include "aw/time.h"

namespace aw {

struct PendingSample {
  std::span<const uint8_t> data;
  std::shared_ptr<const void> owner;  // keeps `data` alive until written
  Time decode_time;            // in the track's media timescale (the same timescale for every sample of a track)
  uint32_t sample_count = 1;  // table samples in `data` (PCM: one per frame)
  // What movie fragments need per sample (the plain sample table records these at append time).
  int32_t composition_offset = 0;  // pts - dts, media timescale
  bool sync = true;
  int64_t duration_hint = -1;  // the sample's own duration, -1 when unknown
  uint32_t description_index = 1;  // the track's sample description (stsd entry) of this sample
};

// Calls `write_run` with each run of consecutive samples of one sample description: a chunk (stsc) and a
// track fragment (tfhd) name one description each, so a format change splits what is written together.
template <typename WriteRun>
Status for_each_description_run(std::span<PendingSample> samples, WriteRun&& write_run) {
  while (!samples.empty()) {
    size_t run = 1;
    while (run < samples.size() && samples[run].description_index == samples[0].description_index) ++run;
    AW_RETURN_IF_ERROR(write_run(samples.first(run)));
    samples = samples.subspan(run);
  }
  return Status::ok();
}

class Interleaver {
 public:
  Interleaver(size_t track_count, Time interval);

  // A sparse track (text, timed metadata) never holds a window back: its samples may arrive long after the
  // media around them, and are written with the next window to go out.
  void set_sparse(size_t track) { queues_[track].sparse = true; }
  void push(size_t track, PendingSample sample);
  void mark_finished(size_t track);
  // Writes every chunk whose window is complete through `emit(size_t track, std::span<PendingSample>)`,
  // which returns a Status; the span lies in the queue, so `emit` must not push. With `flush_all`, writes
  // everything queued. A template, so the callback is called directly rather than through a
  // std::function built at every append.
  template <typename EmitChunk>
  Status drain(bool flush_all, EmitChunk&& emit) {
    while (next_window(flush_all)) {
      for (size_t track = 0; track < queues_.size(); ++track) {
        std::span<PendingSample> chunk = window_of(track);
        if (chunk.empty()) continue;
        Status status = emit(track, chunk);
        release(track, chunk.size());  // drops the payload owners: the bytes are on disk (or failed)
        AW_RETURN_IF_ERROR(status);
      }
      advance_window();
    }
    return Status::ok();
  }

  // True when `track` is so far ahead of a lagging unfinished track that more samples for it would
  // only grow the queue (AVAssetWriterInput.isReadyForMoreMediaData).
  bool is_ahead(size_t track) const;
  uint64_t queued_bytes() const { return queued_bytes_; }

  // Past this many queued bytes a window is released even if a track lags.
  static constexpr uint64_t kMaxQueuedBytes = 64ull << 20;

 private:
  // Samples in decode order from `head`: a window is a contiguous span of it, handed to the callback
  // where it lies (no copy into a chunk buffer). Emptied slots are reused once the queue drains.
  struct Queue {
    std::vector<PendingSample> samples;
    size_t head = 0;
    int32_t timescale = 0;         // of every decode time in this queue; 0 until the first push
    int64_t last_pushed = 0;       // decode ticks of the newest sample ever pushed
    bool has_pushed = false;
    bool finished = false;
    bool sparse = false;
    int64_t window_end = 0;        // window_end_ in this track's ticks, rounded up: dts < window_end_
    bool empty() const { return head == samples.size(); }
    const PendingSample& front() const { return samples[head]; }
    Time last_pushed_time() const { return has_pushed ? Time(last_pushed, timescale) : Time::invalid(); }
  };

  // True when a window is ready to be taken (complete, or forced by flush_all or the memory limit).
  bool next_window(bool flush_all);
  // `track`'s queued samples before the window end (empty when none), then their release once written.
  std::span<PendingSample> window_of(size_t track);
  void release(size_t track, size_t count);
  void advance_window();
  void set_window_end(Time end);
  bool window_complete() const;
  Time earliest_queued() const;

  std::vector<Queue> queues_;
  Time interval_;
  Time window_end_;  // invalid until the first window starts
  uint64_t queued_bytes_ = 0;
};

}  // namespace aw
