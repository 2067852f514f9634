// Output settings (AVAssetWriterInput's outputSettings): what an input's media should become.
// The library does not encode; it validates settings against the file type so the layer above can pick
// an encoder. Passthrough inputs have no settings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "aw/media_types.h"
#include "aw/status.h"

namespace aw {

struct OutputSettings {
  Codec codec = Codec::kH264;
  // Video (AVVideoWidthKey, AVVideoHeightKey): the encoded picture size; absent keeps the source's.
  std::optional<uint32_t> width;
  std::optional<uint32_t> height;
  // Frames between key frames at most (AVVideoMaxKeyFrameIntervalKey).
  std::optional<uint32_t> key_frame_interval;
  // Audio (AVSampleRateKey, AVNumberOfChannelsKey); absent keeps the source's.
  std::optional<uint32_t> sample_rate;
  std::optional<uint32_t> channels;
  // Either
  std::optional<uint32_t> bitrate;  // average bits per second (AVVideoAverageBitRateKey, AVEncoderBitRateKey)
  std::optional<double> quality;    // 0 (smallest) .. 1 (best) (AVVideoQualityKey); instead of a bitrate
  // The codec profile by its common name: "baseline", "main", "high", "main-10", "lc", ...
  std::optional<std::string> profile;
};

// Why `settings` cannot be applied to a `media_type` input of a `file_type` file, naming the setting
// ("bitrate 2000000000 bit/s is outside 16000..800000000 for H.265 video"); ok when it can. This is
// AssetWriter::can_apply() with the reason; which codecs a file type holds is check_codec_allowed()'s policy
// (aw/format_description.h).
Status check_output_settings(const OutputSettings& settings, MediaType media_type, FileType file_type);

}  // namespace aw
