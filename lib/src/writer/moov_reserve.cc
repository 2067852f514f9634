#include "writer/moov_reserve.h"

#include <algorithm>

#include "boxes/box_writer.h"
#include "boxes/free_space.h"

namespace aw {
namespace {

constexpr uint64_t kFixedBytes = 16 << 10;     // ftyp-independent headers, sample entries, metadata
constexpr uint64_t kPerTrackBytes = 4 << 10;   // trak/mdia/minf/stbl headers, edit list, references
constexpr double kAssumedVideoFrameRate = 60;  // the format does not carry one; faster video can set a size
constexpr double kVideoBytesPerSample = 16;    // stsz 4 + a ctts run 8 (B-frames) + stss/stco share
constexpr double kAudioBytesPerSample = 6;     // stsz 4 + the chunk table's share
constexpr double kOtherSamplesPerSecond = 4;   // text, timed metadata: sparse
constexpr double kOtherBytesPerSample = 12;

double samples_per_second(const TrackFormat& format) {
  if (format.media_type == MediaType::kVideo) return kAssumedVideoFrameRate;
  if (format.media_type != MediaType::kAudio) return kOtherSamplesPerSecond;
  // PCM is indexed as runs of equal samples: a few entries per chunk whatever its rate.
  if (format.codec == Codec::kPcm) return 4;
  uint32_t frame = format.samples_per_frame ? format.samples_per_frame : 1024;
  return format.sample_rate ? static_cast<double>(format.sample_rate) / frame : 50;
}

double bytes_per_sample(const TrackFormat& format) {
  if (format.media_type == MediaType::kVideo) return kVideoBytesPerSample;
  if (format.media_type == MediaType::kAudio) return kAudioBytesPerSample;
  return kOtherBytesPerSample;
}

}  // namespace

uint64_t estimated_moov_size(const std::vector<TrackState>& tracks, const Time& duration) {
  if (!duration.is_numeric()) return 0;
  double seconds = std::max(0.0, duration.seconds());
  double bytes = kFixedBytes;
  for (const TrackState& track : tracks) {
    bytes += kPerTrackBytes + seconds * samples_per_second(track.format) * bytes_per_sample(track.format);
  }
  return static_cast<uint64_t>(bytes * 1.1);
}

std::optional<std::vector<uint8_t>> fill_reservation(std::span<const uint8_t> moov, uint64_t reserved) {
  if (moov.size() > reserved) return std::nullopt;
  uint64_t rest = reserved - moov.size();
  if (rest != 0 && rest < 8) return std::nullopt;
  BoxWriter w;
  w.bytes(moov);
  if (rest > 0) {
    // The free box's content is whatever the reservation held (zeros): only its header is written.
    if (rest > 0xffffffffu) return std::nullopt;
    write_free_header(w, rest);
  }
  return w.take();
}

}  // namespace aw
