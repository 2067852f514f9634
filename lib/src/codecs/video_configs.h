// Configurations of the video codecs without a record from the encoder: VP9 (vpcC of "VP Codec ISO Media
// File Format Binding" 2.2, from the caller's profile, bit depth, subsampling and colour) and ProRes (a
// sample entry fourcc per flavour, no configuration box).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aw/format_description.h"
#include "aw/fourcc.h"
#include "aw/status.h"

namespace aw {

// vpcC content: version 1, flags 0, then the fields.
Result<std::vector<uint8_t>> make_vpcc(const FormatDescription& format);
// "vp09.00.10.08" from a vpcC content.
std::string vp9_codec_string(std::span<const uint8_t> vpcc);
// The VP9 level (10 = 1.0 ... 62 = 6.2) whose maximum picture size holds width x height.
uint8_t vp9_level_for(uint32_t width, uint32_t height);

struct ProResInfo {
  FourCC sample_entry;
  const char* name;
};
Result<ProResInfo> prores_info(ProResVariant variant);

}  // namespace aw
