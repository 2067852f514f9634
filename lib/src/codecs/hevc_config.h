// H.265 configuration: the HEVCDecoderConfigurationRecord (hvcC, ISO/IEC 14496-15 8.3.3.1) and the picture
// size from its sequence parameter set (ITU-T H.265 7.3.2.2).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aw/fourcc.h"
#include "aw/status.h"

namespace aw {

// general_* fields of profile_tier_level() (H.265 7.3.3); the hvcC header repeats them.
struct HevcProfileTierLevel {
  uint8_t profile_space = 0;
  bool tier = false;  // true: High tier
  uint8_t profile_idc = 0;
  uint32_t compatibility_flags = 0;           // bit 31 is general_profile_compatibility_flag[0]
  std::array<uint8_t, 6> constraint_flags{};  // progressive_source_flag is the top bit of byte 0
  uint8_t level_idc = 0;
};

struct HevcSps {
  HevcProfileTierLevel profile_tier_level;
  uint32_t max_sub_layers = 1;
  uint32_t chroma_format_idc = 1;
  uint32_t bit_depth_luma = 8;
  uint32_t bit_depth_chroma = 8;
  uint32_t width = 0;  // luma samples, after the conformance window
  uint32_t height = 0;
};

struct HevcNalArray {
  bool array_completeness = false;
  uint8_t nal_unit_type = 0;
  std::vector<std::vector<uint8_t>> nal_units;  // including their 2-byte headers
};

struct HevcConfig {
  uint8_t version = 1;
  HevcProfileTierLevel profile_tier_level;  // from the record header
  uint8_t chroma_format = 1;
  uint8_t bit_depth_luma_minus8 = 0;
  uint8_t bit_depth_chroma_minus8 = 0;
  uint8_t nal_length_size = 4;
  std::vector<HevcNalArray> arrays;
  std::optional<HevcSps> sps;  // the first SPS (NAL type 33); absent only for an in-band (hev1) record
};

// Parses an SPS NAL unit (with its 2-byte header and emulation prevention bytes).
Result<HevcSps> parse_hevc_sps(std::span<const uint8_t> nal);

// Parses and checks an hvcC record. `parameter_sets_in_band` (hev1) allows a record without an SPS.
Result<HevcConfig> parse_hevc_config(std::span<const uint8_t> record, bool parameter_sets_in_band = false);

// Codecs parameter of 14496-15 Annex E.3: "hvc1.1.6.L93.B0".
std::string hevc_codec_string(FourCC sample_entry, const HevcConfig& config);

}  // namespace aw
