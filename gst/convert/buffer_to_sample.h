// GstBuffer → aw::Sample without copying the payload, and GstClockTime running time → aw::Time.
#pragma once

#include <gst/gst.h>

#include <cstdint>
#include <optional>

#include "aw/sample.h"
#include "aw/time.h"

namespace gstaw {

// Nanoseconds: the element hands the library running time unchanged, so no rounding happens here and the
// library picks the media timescale.
constexpr int32_t kGstTimescale = GST_SECOND;

// Signed running time in ns (negative before the segment start, e.g. the DTS of B-frame streams).
inline aw::Time to_aw_time(int64_t running_time) { return aw::Time(running_time, kGstTimescale); }
// And back, for what the library reports: NONE for a time that is not numeric or is negative.
inline GstClockTime to_clock_time(const aw::Time& t) {
  if (!t.is_numeric()) return GST_CLOCK_TIME_NONE;
  auto ns = t.rescaled(kGstTimescale);
  return ns && *ns >= 0 ? static_cast<GstClockTime>(*ns) : GST_CLOCK_TIME_NONE;
}

struct RunningTimes {
  int64_t pts = 0;
  int64_t dts = 0;  // the PTS when the buffer has no DTS
  std::optional<int64_t> duration;
};

// The buffer's PTS/DTS in running time of `segment` (TIME format). nullopt when it has neither timestamp
// or they fall where the segment gives no running time.
std::optional<RunningTimes> running_times(const GstBuffer* buffer, const GstSegment& segment);

// GstAudioClippingMeta: how much decoded audio at the start of a coded frame is not presented (encoder delay
// on the first frames). The buffer's timestamps and duration describe the audio after clipping.
struct AudioClipping {
  int64_t start_ns = 0;
  uint64_t start_samples = 0;
};
// The buffer's start clipping at `sample_rate` (clipping in samples needs it); zero when there is none.
AudioClipping audio_clipping(GstBuffer* buffer, uint32_t sample_rate);

// An audio buffer reaching past the segment's stop (the end padding a demuxer leaves to the segment) lasts
// only until the stop: the file's last sample duration ends the presentation there.
void clip_duration_to_segment(RunningTimes& times, const GstBuffer* buffer, const GstSegment& segment);

// Maps `buffer` (takes the reference) and returns a sample whose data points into the map; the sample's
// owner unmaps and unrefs when the writer is done with the bytes. nullopt when the buffer cannot be mapped.
std::optional<aw::Sample> buffer_to_sample(GstBuffer* buffer, const RunningTimes& times);

}  // namespace gstaw
