// When a rotation starts the next file: the limits (duration, estimated size) and the splits asked for with
// split_now() / split_at(). Requests have their own lock so a delegate or another thread can ask at any time.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "aw/time.h"

namespace aw {

class CutPolicy {
 public:
  CutPolicy(Time max_duration, uint64_t max_size) : max_duration_(max_duration), max_size_(max_size) {}

  void request_now();
  void request_at(Time time);

  // Whether a sync sample presented at `pts` starts a new file, for a file that started at `file_start` and
  // holds about `file_size` bytes. A yes consumes the requests it satisfies.
  bool should_cut(Time pts, Time file_start, uint64_t file_size);
  // The earliest planned cut of a file that started at `file_start`: its duration limit or a split_at()
  // time; invalid with neither.
  Time next_planned(Time file_start) const;

 private:
  bool duration_reached(Time pts, Time file_start) const;

  const Time max_duration_;
  const uint64_t max_size_;
  mutable std::mutex mutex_;
  bool now_ = false;
  std::vector<Time> at_;  // split_at() times not yet reached
};

}  // namespace aw
