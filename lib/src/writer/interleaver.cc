#include "writer/interleaver.h"

#include <limits>

namespace aw {
namespace {

// The first tick of `timescale` at or after `t`: a decode time d (in ticks) is before t exactly when
// d < ceil(t). Past int64 (or +inf), every tick is before it.
int64_t ceil_ticks(const Time& t, int32_t timescale) {
  if (t.is_positive_infinity() || timescale <= 0) return std::numeric_limits<int64_t>::max();
  if (t.value() == std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  auto floor_of_negated = Time(-t.value(), t.timescale()).rescaled_floor(timescale);
  if (!floor_of_negated) return t.value() < 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
  return -*floor_of_negated;
}

}  // namespace

Interleaver::Interleaver(size_t track_count, Time interval) : queues_(track_count), interval_(interval) {}

void Interleaver::push(size_t track, PendingSample sample) {
  Queue& q = queues_[track];
  if (q.timescale != sample.decode_time.timescale()) {
    // The first sample (a track's timescale never changes afterwards).
    q.timescale = sample.decode_time.timescale();
    q.window_end = ceil_ticks(window_end_, q.timescale);
  }
  q.last_pushed = sample.decode_time.value();
  q.has_pushed = true;
  queued_bytes_ += sample.data.size();
  q.samples.push_back(std::move(sample));
}

void Interleaver::mark_finished(size_t track) { queues_[track].finished = true; }

Time Interleaver::earliest_queued() const {
  Time earliest = Time::positive_infinity();
  for (const Queue& q : queues_) {
    if (!q.empty() && q.front().decode_time < earliest) earliest = q.front().decode_time;
  }
  return earliest;
}

void Interleaver::set_window_end(Time end) {
  // Times so close to the int64 limit that the window end overflows: one last window takes the rest.
  window_end_ = end.is_valid() ? end : Time::positive_infinity();
  for (Queue& q : queues_) q.window_end = ceil_ticks(window_end_, q.timescale);
}

bool Interleaver::window_complete() const {
  for (const Queue& q : queues_) {
    if (q.finished || q.sparse) continue;
    // Decode times never decrease within a track, so once a track has reached the window end, every
    // sample it still has to deliver belongs to a later window.
    if (!q.has_pushed || q.last_pushed < q.window_end) return false;
  }
  return true;
}

bool Interleaver::next_window(bool flush_all) {
  // Does the current window hold a queued sample? Each queue's front is its earliest.
  bool in_window = false;
  bool queued = false;
  for (const Queue& q : queues_) {
    if (q.empty()) continue;
    queued = true;
    if (window_end_.is_valid() && q.front().decode_time.value() < q.window_end) in_window = true;
  }
  if (!queued) return false;
  bool over_limit = queued_bytes_ > kMaxQueuedBytes;
  if (!in_window) {
    // A window starts at the earliest queued sample; a gap in every track skips ahead.
    if (!flush_all && !over_limit) {
      for (const Queue& q : queues_) {
        if (!q.finished && !q.sparse && !q.has_pushed) return false;  // a track has not begun
      }
    }
    set_window_end(earliest_queued() + interval_);
  }
  return flush_all || over_limit || window_complete();
}

std::span<PendingSample> Interleaver::window_of(size_t track) {
  Queue& q = queues_[track];
  size_t end = q.head;
  while (end < q.samples.size() && q.samples[end].decode_time.value() < q.window_end) ++end;
  return std::span<PendingSample>(q.samples).subspan(q.head, end - q.head);
}

void Interleaver::release(size_t track, size_t count) {
  Queue& q = queues_[track];
  for (size_t i = q.head; i < q.head + count; ++i) {
    queued_bytes_ -= q.samples[i].data.size();
    q.samples[i] = PendingSample{};
  }
  q.head += count;
  if (q.empty()) {
    q.samples.clear();
    q.head = 0;
  } else if (q.head >= 1024 && q.head * 2 >= q.samples.size()) {
    // A queue that never drains fully (a track always ahead) moves its tail down now and then.
    q.samples.erase(q.samples.begin(), q.samples.begin() + static_cast<std::ptrdiff_t>(q.head));
    q.head = 0;
  }
}

void Interleaver::advance_window() { set_window_end(window_end_ + interval_); }

bool Interleaver::is_ahead(size_t track) const {
  const Queue& self = queues_[track];
  if (self.empty()) return false;
  Time lead_limit = interval_ + interval_;
  for (size_t other = 0; other < queues_.size(); ++other) {
    const Queue& o = queues_[other];
    if (other == track || o.finished || o.sparse) continue;
    // Measured against the lagging track's newest sample, or (if it has none yet) against the
    // start of this track's queue.
    Time reference = o.has_pushed ? o.last_pushed_time() : self.front().decode_time;
    if (self.last_pushed_time() - reference > lead_limit) return true;
  }
  return false;
}

}  // namespace aw
