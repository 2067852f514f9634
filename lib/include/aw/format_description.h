// A format description (CMFormatDescription): the codec plus its configuration record, as the caller has it.
#pragma once

#include <cstdint>
#include <vector>

#include "aw/media_types.h"

namespace aw {

struct FormatDescription {
  Codec codec = Codec::kH264;
  // avcC / hvcC record bytes (AVCDecoderConfigurationRecord / HEVCDecoderConfigurationRecord),
  // or the AAC AudioSpecificConfig.
  std::vector<uint8_t> configuration;
  // H.264/H.265 only: parameter sets travel in band (avc3 / hev1 sample entries).
  bool parameter_sets_in_band = false;
};

}  // namespace aw
