#include "writer/interleaver.h"

namespace aw {

Interleaver::Interleaver(size_t track_count, Time interval) : queues_(track_count), interval_(interval) {}

void Interleaver::push(size_t track, PendingSample sample) {
  Queue& q = queues_[track];
  q.last_pushed = sample.decode_time;
  queued_bytes_ += sample.data.size();
  q.samples.push_back(std::move(sample));
}

void Interleaver::mark_finished(size_t track) { queues_[track].finished = true; }

Time Interleaver::earliest_queued() const {
  Time earliest = Time::positive_infinity();
  for (const Queue& q : queues_) {
    if (!q.samples.empty() && q.samples.front().decode_time < earliest) earliest = q.samples.front().decode_time;
  }
  return earliest;
}

bool Interleaver::window_complete(const Time& window_end) const {
  for (const Queue& q : queues_) {
    if (q.finished) continue;
    // Decode times never decrease within a track, so once a track has reached the window end, every
    // sample it still has to deliver belongs to a later window.
    if (!q.last_pushed.is_valid() || q.last_pushed < window_end) return false;
  }
  return true;
}

Status Interleaver::emit_window(const Time& window_end, const EmitChunk& emit) {
  for (size_t track = 0; track < queues_.size(); ++track) {
    Queue& q = queues_[track];
    scratch_.clear();
    while (!q.samples.empty() && q.samples.front().decode_time < window_end) {
      queued_bytes_ -= q.samples.front().data.size();
      scratch_.push_back(std::move(q.samples.front()));
      q.samples.pop_front();
    }
    if (scratch_.empty()) continue;
    Status status = emit(track, scratch_);
    scratch_.clear();  // releases the payload owners: the bytes are on disk (or failed)
    AW_RETURN_IF_ERROR(status);
  }
  return Status::ok();
}

Status Interleaver::drain(bool flush_all, const EmitChunk& emit) {
  for (;;) {
    Time earliest = earliest_queued();
    if (earliest.is_positive_infinity()) return Status::ok();  // nothing queued
    bool over_limit = queued_bytes_ > kMaxQueuedBytes;
    // A window starts at the earliest queued sample; a gap in every track skips ahead.
    if (!window_end_.is_valid() || earliest >= window_end_) {
      if (!flush_all && !over_limit) {
        for (const Queue& q : queues_) {
          if (!q.finished && !q.last_pushed.is_valid()) return Status::ok();  // a track has not begun
        }
      }
      window_end_ = earliest + interval_;
      // Times so close to the int64 limit that the window end overflows: one last window takes the rest.
      if (!window_end_.is_valid()) window_end_ = Time::positive_infinity();
    }
    if (!flush_all && !over_limit && !window_complete(window_end_)) return Status::ok();
    AW_RETURN_IF_ERROR(emit_window(window_end_, emit));
    window_end_ = window_end_ + interval_;
    if (!window_end_.is_valid()) window_end_ = Time::positive_infinity();
  }
}

bool Interleaver::is_ahead(size_t track) const {
  const Queue& self = queues_[track];
  if (self.samples.empty()) return false;
  Time lead_limit = interval_ + interval_;
  for (size_t other = 0; other < queues_.size(); ++other) {
    const Queue& o = queues_[other];
    if (other == track || o.finished) continue;
    // Measured against the lagging track's newest sample, or (if it has none yet) against the
    // start of this track's queue.
    Time reference = o.last_pushed.is_valid() ? o.last_pushed : self.samples.front().decode_time;
    if (self.last_pushed - reference > lead_limit) return true;
  }
  return false;
}

}  // namespace aw
