#include "writer/track_state.h"

#include <algorithm>

namespace aw {

int32_t choose_media_timescale(const AssetWriterInput& input, const TrackFormat& format) {
  // PCM is stored a frame per sample, one tick each: its timescale is its sample rate.
  if (format.pcm_frame_bytes > 0 && format.sample_rate > 0) return static_cast<int32_t>(format.sample_rate);
  if (input.media_time_scale > 0) return input.media_time_scale;
  // Text and metadata times are cue times: milliseconds, as ffmpeg and Apple's writer store them.
  if (is_sparse(format.media_type)) return 1000;
  if (format.media_type == MediaType::kAudio && format.sample_rate > 0) return static_cast<int32_t>(format.sample_rate);
  return 90000;
}

int64_t last_sample_duration(int64_t hint, int64_t previous, int32_t timescale) {
  if (hint > 0) return hint;
  if (previous > 0) return previous;
  return std::max<int64_t>(1, timescale / 30);
}

}  // namespace aw
