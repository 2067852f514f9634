#include "convert/buffer_to_sample.h"

#include <gst/audio/audio.h>

#include <memory>

namespace gstaw {
namespace {

std::optional<int64_t> to_running_time(const GstSegment& segment, GstClockTime position) {
  if (!GST_CLOCK_TIME_IS_VALID(position)) return std::nullopt;
  guint64 running = 0;
  const int sign = gst_segment_to_running_time_full(&segment, GST_FORMAT_TIME, position, &running);
  if (sign == 0 || running > static_cast<guint64>(G_MAXINT64)) return std::nullopt;
  return sign > 0 ? static_cast<int64_t>(running) : -static_cast<int64_t>(running);
}

// The map lives on the heap so its address is stable for the span; the sample's owner releases it. One
// allocation holds the map and the reference count (make_shared), as this runs once per buffer.
class MappedBuffer {
 public:
  explicit MappedBuffer(GstBuffer* buffer) : buffer_(buffer) { mapped_ = gst_buffer_map(buffer_, &map_, GST_MAP_READ); }
  ~MappedBuffer() {
    if (mapped_) gst_buffer_unmap(buffer_, &map_);
    gst_buffer_unref(buffer_);
  }
  MappedBuffer(const MappedBuffer&) = delete;
  MappedBuffer& operator=(const MappedBuffer&) = delete;

  bool mapped() const { return mapped_; }
  std::span<const uint8_t> bytes() const { return {map_.data, map_.size}; }

 private:
  GstBuffer* buffer_;
  GstMapInfo map_{};
  bool mapped_ = false;
};

}  // namespace

std::optional<RunningTimes> running_times(const GstBuffer* buffer, const GstSegment& segment) {
  auto pts = to_running_time(segment, GST_BUFFER_PTS(buffer));
  auto dts = to_running_time(segment, GST_BUFFER_DTS(buffer));
  // Audio and intra-only video often carry only one of the two; they are then equal.
  if (!pts) pts = dts;
  if (!dts) dts = pts;
  if (!pts) return std::nullopt;
  RunningTimes times;
  times.pts = *pts;
  times.dts = *dts;
  if (GST_BUFFER_DURATION_IS_VALID(buffer) && GST_BUFFER_DURATION(buffer) <= static_cast<guint64>(G_MAXINT64)) {
    times.duration = static_cast<int64_t>(GST_BUFFER_DURATION(buffer));
  }
  return times;
}

AudioClipping audio_clipping(GstBuffer* buffer, uint32_t sample_rate) {
  AudioClipping out;
  const GstAudioClippingMeta* meta = gst_buffer_get_audio_clipping_meta(buffer);
  if (!meta || meta->start == 0 || meta->start > static_cast<guint64>(G_MAXINT64)) return out;
  if (meta->format == GST_FORMAT_DEFAULT && sample_rate > 0) {
    out.start_samples = meta->start;
    out.start_ns = static_cast<int64_t>(gst_util_uint64_scale_round(meta->start, GST_SECOND, sample_rate));
  } else if (meta->format == GST_FORMAT_TIME && sample_rate > 0) {
    out.start_ns = static_cast<int64_t>(meta->start);
    out.start_samples = gst_util_uint64_scale_round(meta->start, sample_rate, GST_SECOND);
  }
  return out;
}

void clip_duration_to_segment(RunningTimes& times, const GstBuffer* buffer, const GstSegment& segment) {
  const GstClockTime pts = GST_BUFFER_PTS(buffer);
  if (!times.duration || !GST_CLOCK_TIME_IS_VALID(pts) || !GST_CLOCK_TIME_IS_VALID(segment.stop)) return;
  if (pts >= segment.stop) return;  // wholly past the stop: an edit list cuts it; a duration of 0 would not do
  const auto left = static_cast<int64_t>(segment.stop - pts);
  if (*times.duration > left) times.duration = left;
}

std::optional<aw::Sample> buffer_to_sample(GstBuffer* buffer, const RunningTimes& times) {
  auto mapped = std::make_shared<const MappedBuffer>(buffer);
  if (!mapped->mapped()) return std::nullopt;
  aw::Sample sample;
  sample.data = mapped->bytes();
  sample.owner = std::move(mapped);
  sample.presentation_time = to_aw_time(times.pts);
  sample.decode_time = to_aw_time(times.dts);
  sample.duration = times.duration ? to_aw_time(*times.duration) : aw::Time::invalid();
  sample.sync = !GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  return sample;
}

}  // namespace gstaw
