// Interleaver: holds appended samples per track and releases them as chunks in decode-time order, one
// chunk per track per interleave interval, as AVAssetWriter interleaves automatically. A window is
// released once every unfinished track has queued a sample at or past its end, so no earlier sample can
// still arrive; a track that stalls (a sparse stream, a dead camera) cannot make the queues grow
// without bound: past a memory limit the window is released anyway.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "aw/status.h"
#include "aw/time.h"

namespace aw {

struct PendingSample {
  std::span<const uint8_t> data;
  std::shared_ptr<const void> owner;  // keeps `data` alive until written
  Time decode_time;            // in the track's media timescale
  uint32_t sample_count = 1;  // table samples in `data` (PCM: one per frame)
  // What movie fragments need per sample (the plain sample table records these at append time).
  int32_t composition_offset = 0;  // pts - dts, media timescale
  bool sync = true;
  int64_t duration_hint = -1;  // the sample's own duration, -1 when unknown
};

class Interleaver {
 public:
  using EmitChunk = std::function<Status(size_t track, std::span<PendingSample> samples)>;

  Interleaver(size_t track_count, Time interval);

  void push(size_t track, PendingSample sample);
  void mark_finished(size_t track);
  // Writes every chunk whose window is complete. With `flush_all`, writes everything queued.
  Status drain(bool flush_all, const EmitChunk& emit);

  // True when `track` is so far ahead of a lagging unfinished track that more samples for it would
  // only grow the queue (AVAssetWriterInput.isReadyForMoreMediaData).
  bool is_ahead(size_t track) const;
  uint64_t queued_bytes() const { return queued_bytes_; }

  // Past this many queued bytes a window is released even if a track lags.
  static constexpr uint64_t kMaxQueuedBytes = 64ull << 20;

 private:
  struct Queue {
    std::deque<PendingSample> samples;
    Time last_pushed;  // decode time of the newest sample ever pushed
    bool finished = false;
  };

  bool window_complete(const Time& window_end) const;
  Time earliest_queued() const;
  Status emit_window(const Time& window_end, const EmitChunk& emit);

  std::vector<Queue> queues_;
  Time interval_;
  Time window_end_;  // invalid until the first window starts
  uint64_t queued_bytes_ = 0;
  std::vector<PendingSample> scratch_;
};

}  // namespace aw
