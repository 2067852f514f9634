#include "rotation/cut_policy.h"

#include <algorithm>

namespace aw {

void CutPolicy::request_now() {
  std::lock_guard<std::mutex> guard(mutex_);
  now_ = true;
}

void CutPolicy::request_at(Time time) {
  std::lock_guard<std::mutex> guard(mutex_);
  at_.push_back(time);
}

bool CutPolicy::duration_reached(Time pts, Time file_start) const {
  return max_duration_.is_numeric() && max_duration_ > Time::zero() && (pts - file_start) >= max_duration_;
}

bool CutPolicy::should_cut(Time pts, Time file_start, uint64_t file_size) {
  std::lock_guard<std::mutex> guard(mutex_);
  // A split_at() time the current file already starts at or after was met by that file's start.
  std::erase_if(at_, [&](const Time& t) { return t <= file_start; });
  const bool at_reached = std::any_of(at_.begin(), at_.end(), [&](const Time& t) { return t <= pts; });
  const bool size_reached = max_size_ > 0 && file_size >= max_size_;
  if (!now_ && !at_reached && !size_reached && !duration_reached(pts, file_start)) return false;
  now_ = false;
  std::erase_if(at_, [&](const Time& t) { return t <= pts; });
  return true;
}

Time CutPolicy::next_planned(Time file_start) const {
  std::lock_guard<std::mutex> guard(mutex_);
  Time next = Time::positive_infinity();
  if (max_duration_.is_numeric() && max_duration_ > Time::zero()) next = file_start + max_duration_;
  for (const Time& t : at_) {
    if (t > file_start && t < next) next = t;
  }
  return next.is_numeric() ? next : Time::invalid();
}

}  // namespace aw
