// Output settings (AVAssetWriterInput's outputSettings): what an input's media should become.
// The library does not encode; it validates settings against the file type so the layer above can pick
// an encoder. Passthrough inputs have no settings.
#pragma once

#include <cstdint>
#include <optional>

#include "aw/media_types.h"

namespace aw {

struct OutputSettings {
  Codec codec = Codec::kH264;
  // Video
  std::optional<uint32_t> width;
  std::optional<uint32_t> height;
  // Audio
  std::optional<uint32_t> sample_rate;
  std::optional<uint32_t> channels;
  // Either
  std::optional<uint32_t> bitrate;  // bits per second
};

}  // namespace aw
