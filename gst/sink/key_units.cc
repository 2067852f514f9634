#include "sink/key_units.h"

#include <gst/video/video.h>

#include <algorithm>

#include "sink/settings.h"

GST_DEBUG_CATEGORY_EXTERN(gst_asset_writer_sink_debug);
#define GST_CAT_DEFAULT gst_asset_writer_sink_debug

namespace gstaw {
namespace {

// How far ahead of the written samples keyframes are requested, at least: x264enc's default lookahead holds
// about 1.5 s of 30 fps video, and a non-live pad queues half a second more before aggregate() sees it.
constexpr int64_t kMinimumLead = 4 * static_cast<int64_t>(GST_SECOND);

}  // namespace

KeyUnitSchedule::KeyUnitSchedule(int64_t interval, int64_t first_interval)
    : interval_(interval), first_interval_(first_interval > 0 ? first_interval : interval),
      lead_(std::max(kMinimumLead, 2 * interval)) {}

std::vector<KeyUnitRequest> KeyUnitSchedule::due(int64_t pts) {
  std::vector<KeyUnitRequest> times;
  if (!next_) next_ = pts + first_interval_;
  while (*next_ <= pts + lead_) {
    times.push_back({*next_, ++count_});
    *next_ += interval_;
  }
  return times;
}

std::optional<KeyUnitSchedule> key_unit_schedule_for(const Settings& settings) {
  if (!settings.segments.send_keyframe_requests) return std::nullopt;
  const GstClockTime segment = settings.segments.interval;
  if (segment != 0) {
    if (!GST_CLOCK_TIME_IS_VALID(segment) || segment > G_MAXINT64) return std::nullopt;
    return KeyUnitSchedule(static_cast<int64_t>(segment), 0);
  }
  const GstClockTime fragment = settings.fragment_interval;
  if (fragment == 0 || !GST_CLOCK_TIME_IS_VALID(fragment) || fragment > G_MAXINT64) return std::nullopt;
  const GstClockTime initial = settings.initial_fragment_interval;
  return KeyUnitSchedule(static_cast<int64_t>(fragment),
                         GST_CLOCK_TIME_IS_VALID(initial) && initial <= G_MAXINT64 ? static_cast<int64_t>(initial) : 0);
}

void request_key_units(GstElement* element, const std::vector<KeyUnitRequest>& requests) {
  if (requests.empty()) return;
  std::vector<GstPad*> video;
  GST_OBJECT_LOCK(element);
  for (GList* l = element->sinkpads; l; l = l->next) {
    if (g_str_has_prefix(GST_PAD_NAME(l->data), "video_")) video.push_back(GST_PAD(gst_object_ref(l->data)));
  }
  GST_OBJECT_UNLOCK(element);
  for (GstPad* pad : video) {
    for (const KeyUnitRequest& request : requests) {
      GST_DEBUG_OBJECT(pad, "requesting keyframe %u at %" GST_STIME_FORMAT, request.count,
                       GST_STIME_ARGS(request.running_time));
      // A negative time cannot be asked for; asking for 0 gets the next frame, as soon as possible.
      const auto at = static_cast<GstClockTime>(std::max<int64_t>(request.running_time, 0));
      gst_pad_push_event(pad, gst_video_event_new_upstream_force_key_unit(at, TRUE, request.count));
    }
    gst_object_unref(pad);
  }
}

}  // namespace gstaw
