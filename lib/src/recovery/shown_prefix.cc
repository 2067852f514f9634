#include "recovery/shown_prefix.h"

#include <algorithm>

namespace aw::recovery {

void ShownPrefix::add(int64_t dts, int64_t pts) {
  if (samples_ == 0) {
    first_dts_ = dts;
    min_pts_ = pts;
    max_pts_ = pts;
  } else {
    if (closes(dts)) last_closed_ = {samples_, min_pts_, dts};
    max_delta_ = std::max(max_delta_, dts - last_dts_);
    if (pts < max_pts_) reorders_ = true;
  }
  min_pts_ = std::min(min_pts_, pts);
  max_pts_ = std::max(max_pts_, pts);
  min_offset_ = std::min(min_offset_, pts - dts);
  max_offset_ = std::max(max_offset_, pts - dts);
  last_dts_ = dts;
  ++samples_;
}

bool ShownPrefix::closes(int64_t next_dts) const {
  // How much later than its decode slot (last_dts_, shifted by the reorder delay) the prefix's last
  // presented frame comes. A missing frame makes it a whole frame late; timestamps rounded to the
  // timescale, a tick or so: it closes while the lateness stays under half of the next decode step.
  int64_t lateness = (max_pts_ - min_pts_) - (last_dts_ - first_dts_);
  return lateness < (next_dts - last_dts_ + 1) / 2;
}

bool ShownPrefix::within_reorder_span(const Candidate& c, int64_t end) const {
  return c.next_dts + (max_offset_ - min_offset_) + max_delta_ >= end;
}

uint32_t ShownPrefix::count(uint32_t last_duration) const {
  // Without reordering every lost frame presents after every kept one: nothing to drop.
  if (!reorders_) return samples_;
  int64_t end = last_dts_ + last_duration;
  if (closes(end)) return samples_;
  const Candidate& c = last_closed_;
  if (c.samples == 0 || c.min_pts != min_pts_ || !within_reorder_span(c, end)) return samples_;
  return c.samples;
}

}  // namespace aw::recovery
