// avcC / hvcC records for in-band streams (avc3 / hev1) that arrive without one: built from the parameter
// sets of the first access unit, so the sample entry still states profile, level and the first SPS.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "aw/status.h"

namespace aw {

// `access_unit` holds NAL units with 4-byte big-endian lengths (GStreamer's avc3/hev1 without codec_data).
Result<std::vector<uint8_t>> avc_record_from_access_unit(std::span<const uint8_t> access_unit);
Result<std::vector<uint8_t>> hevc_record_from_access_unit(std::span<const uint8_t> access_unit);

}  // namespace aw
