// Keyframe requests: in segment and fragment modes the writer cuts at the first keyframe at or after each
// interval, so an encoder that is never asked for keyframes at those times (a stock x264enc places one every
// 250 frames or at scene cuts) makes segments of whatever its GOPs are. Like hlssink2 and splitmuxsink, the
// element asks upstream for a keyframe (GstForceKeyUnit) at every running time where a cut is due.
#pragma once

#include <gst/gst.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace gstaw {

struct Settings;

// The running times (ns) to request keyframes at: a grid from the first video sample written, one interval
// apart (the first one `first_interval` after it), requested `lead` ahead of the samples written so far.
// The lead covers what the encoder holds in its lookahead and the pads' queues: a request that reaches the
// encoder after the frame it names went in is too late, and the cut then waits for a later keyframe.
struct KeyUnitRequest {
  int64_t running_time = 0;  // ns
  guint count = 0;           // GstForceKeyUnit's count: the requests made so far, from 1
};

class KeyUnitSchedule {
 public:
  KeyUnitSchedule(int64_t interval, int64_t first_interval);
  // The times not yet requested up to `pts` + lead, now that a video sample presented at `pts` was written.
  std::vector<KeyUnitRequest> due(int64_t pts);

 private:
  int64_t interval_;
  int64_t first_interval_;
  int64_t lead_;
  std::optional<int64_t> next_;  // the next boundary not yet requested
  guint count_ = 0;
};

// The schedule for `settings`: segment mode's segment interval, else fragment mode's fragment interval (the
// first one the initial fragment interval, when set); none without either, with an indefinite segment
// interval (only flush-segment cuts), or with send-keyframe-requests off.
std::optional<KeyUnitSchedule> key_unit_schedule_for(const Settings& settings);

// Sends a GstForceKeyUnit upstream (all headers) through every video pad of `element` for each request.
// Call without the element's state lock: the event travels upstream synchronously.
void request_key_units(GstElement* element, const std::vector<KeyUnitRequest>& requests);

}  // namespace gstaw
