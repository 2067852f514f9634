#include "codecs/hevc_config.h"

#include <cstdio>

#include "codecs/bit_reader.h"

namespace aw {
namespace {

constexpr uint8_t kSpsNalType = 33;

Status malformed(std::string message) { return {ErrorCode::kMalformedConfig, std::move(message)}; }

HevcProfileTierLevel read_general_profile(BitReader& r) {
  HevcProfileTierLevel ptl;
  ptl.profile_space = static_cast<uint8_t>(r.bits(2));
  ptl.tier = r.flag();
  ptl.profile_idc = static_cast<uint8_t>(r.bits(5));
  ptl.compatibility_flags = r.bits(32);
  for (auto& byte : ptl.constraint_flags) byte = static_cast<uint8_t>(r.bits(8));
  ptl.level_idc = static_cast<uint8_t>(r.bits(8));
  return ptl;
}

// profile_tier_level(1, max_sub_layers_minus1) of H.265 7.3.3: the general part, then per-sub-layer
// presence flags, alignment bits when there is more than one layer, and the sub-layer fields.
HevcProfileTierLevel read_profile_tier_level(BitReader& r, uint32_t max_sub_layers_minus1) {
  HevcProfileTierLevel general = read_general_profile(r);
  bool profile_present[8] = {};
  bool level_present[8] = {};
  for (uint32_t i = 0; i < max_sub_layers_minus1; ++i) {
    profile_present[i] = r.flag();
    level_present[i] = r.flag();
  }
  if (max_sub_layers_minus1 > 0) {
    for (uint32_t i = max_sub_layers_minus1; i < 8; ++i) r.skip(2);  // reserved_zero_2bits
  }
  for (uint32_t i = 0; i < max_sub_layers_minus1; ++i) {
    if (profile_present[i]) r.skip(88);  // sub_layer profile space .. reserved bits
    if (level_present[i]) r.skip(8);     // sub_layer_level_idc
  }
  return general;
}

}  // namespace

Result<HevcSps> parse_hevc_sps(std::span<const uint8_t> nal) {
  if (nal.size() < 2 || (nal[0] >> 1 & 0x3f) != kSpsNalType) {
    return malformed("H.265 SPS has NAL unit type " + std::to_string(nal.empty() ? 0 : nal[0] >> 1 & 0x3f) +
                     ", not 33");
  }
  std::vector<uint8_t> rbsp = remove_emulation_prevention(nal.subspan(2));
  BitReader r(rbsp);
  HevcSps sps;
  r.skip(4);  // sps_video_parameter_set_id
  uint32_t max_sub_layers_minus1 = r.bits(3);
  if (max_sub_layers_minus1 > 6) return malformed("H.265 SPS sps_max_sub_layers_minus1 is 7 (at most 6 is allowed)");
  sps.max_sub_layers = max_sub_layers_minus1 + 1;
  r.skip(1);  // sps_temporal_id_nesting_flag
  sps.profile_tier_level = read_profile_tier_level(r, max_sub_layers_minus1);
  uint32_t sps_id = r.ue();
  if (sps_id > 15) return malformed("H.265 SPS id " + std::to_string(sps_id) + " is above 15");
  sps.chroma_format_idc = r.ue();
  if (sps.chroma_format_idc > 3) {
    return malformed("H.265 SPS chroma_format_idc " + std::to_string(sps.chroma_format_idc) + " is above 3");
  }
  bool separate_colour_planes = sps.chroma_format_idc == 3 && r.flag();
  uint32_t width = r.ue();
  uint32_t height = r.ue();
  uint32_t left = 0, right = 0, top = 0, bottom = 0;
  if (r.flag()) {  // conformance_window_flag
    left = r.ue();
    right = r.ue();
    top = r.ue();
    bottom = r.ue();
  }
  sps.bit_depth_luma = r.ue() + 8;
  sps.bit_depth_chroma = r.ue() + 8;
  // POC, sub-layer ordering and the rest follow; none of it changes the output size.
  if (r.error()) return malformed("H.265 SPS is truncated (" + std::to_string(nal.size()) + " bytes)");
  if (width == 0 || height == 0 || width > 65535 || height > 65535) {
    return malformed("H.265 SPS picture size " + std::to_string(width) + "x" + std::to_string(height) +
                     " is out of range");
  }
  // Conformance window offsets count chroma samples: SubWidthC/SubHeightC of H.265 Table 6-1, both 1 when
  // ChromaArrayType is 0 (monochrome or separate colour planes).
  uint32_t chroma_array_type = separate_colour_planes ? 0 : sps.chroma_format_idc;
  uint64_t sub_width = chroma_array_type == 1 || chroma_array_type == 2 ? 2 : 1;
  uint64_t sub_height = chroma_array_type == 1 ? 2 : 1;
  uint64_t crop_x = sub_width * (uint64_t{left} + right);
  uint64_t crop_y = sub_height * (uint64_t{top} + bottom);
  if (crop_x >= width || crop_y >= height) {
    return malformed("H.265 SPS conformance window (" + std::to_string(crop_x) + "x" + std::to_string(crop_y) +
                     ") removes the whole " + std::to_string(width) + "x" + std::to_string(height) + " picture");
  }
  sps.width = static_cast<uint32_t>(width - crop_x);
  sps.height = static_cast<uint32_t>(height - crop_y);
  return sps;
}

Result<HevcConfig> parse_hevc_config(std::span<const uint8_t> record, bool parameter_sets_in_band) {
  constexpr size_t kHeaderSize = 23;
  if (record.size() < kHeaderSize) {
    return malformed("hvcC length " + std::to_string(record.size()) + " is shorter than its 23-byte header");
  }
  HevcConfig config;
  config.version = record[0];
  if (config.version != 1) {
    return malformed("hvcC configurationVersion is " + std::to_string(config.version) + ", expected 1");
  }
  BitReader header(record.subspan(1, 12));
  config.profile_tier_level = read_general_profile(header);
  config.chroma_format = record[16] & 0x03;
  config.bit_depth_luma_minus8 = record[17] & 0x07;
  config.bit_depth_chroma_minus8 = record[18] & 0x07;
  config.nal_length_size = static_cast<uint8_t>((record[21] & 0x03) + 1);
  if (config.nal_length_size == 3) {
    // 14496-15 8.3.3.1.2: lengthSizeMinusOne 2 is not allowed; only 1, 2 and 4 byte lengths exist.
    return malformed("hvcC NAL unit length size 3 is invalid (only 1, 2 or 4 are allowed)");
  }

  unsigned array_count = record[22];
  size_t pos = kHeaderSize;
  const std::string record_end = " runs past the record end (" + std::to_string(record.size()) + " bytes)";
  for (unsigned a = 0; a < array_count; ++a) {
    if (pos + 3 > record.size()) return malformed("hvcC array " + std::to_string(a) + " header" + record_end);
    HevcNalArray array;
    array.array_completeness = record[pos] & 0x80;
    array.nal_unit_type = record[pos] & 0x3f;
    unsigned nal_count = unsigned{record[pos + 1]} << 8 | record[pos + 2];
    pos += 3;
    for (unsigned n = 0; n < nal_count; ++n) {
      const std::string where = "hvcC array " + std::to_string(a) + " NAL unit " + std::to_string(n);
      if (pos + 2 > record.size()) return malformed(where + " length field" + record_end);
      size_t length = size_t{record[pos]} << 8 | record[pos + 1];
      pos += 2;
      if (pos + length > record.size()) return malformed(where + " length " + std::to_string(length) + record_end);
      if (length < 2) return malformed(where + " is shorter than its 2-byte header");
      array.nal_units.emplace_back(record.begin() + static_cast<ptrdiff_t>(pos),
                                   record.begin() + static_cast<ptrdiff_t>(pos + length));
      pos += length;
    }
    config.arrays.push_back(std::move(array));
  }

  for (const HevcNalArray& array : config.arrays) {
    for (const auto& nal : array.nal_units) {
      if ((nal[0] >> 1 & 0x3f) != kSpsNalType) continue;
      auto sps = parse_hevc_sps(nal);
      if (!sps) return Status(sps.status().code(), "hvcC: " + sps.status().message());
      config.sps = *sps;
      break;
    }
    if (config.sps) break;
  }
  if (!config.sps && !parameter_sets_in_band) return malformed("hvcC has no SPS");
  return config;
}

std::string hevc_codec_string(FourCC sample_entry, const HevcConfig& config) {
  const HevcProfileTierLevel& ptl = config.profile_tier_level;
  std::string out = sample_entry.to_string() + ".";
  if (ptl.profile_space > 0) out += static_cast<char>('A' + ptl.profile_space - 1);
  out += std::to_string(ptl.profile_idc);
  // The compatibility flags are written in reverse bit order (flag 0 as the least significant bit).
  uint32_t reversed = 0;
  for (int i = 0; i < 32; ++i) reversed |= (ptl.compatibility_flags >> i & 1u) << (31 - i);
  char buf[16];
  std::snprintf(buf, sizeof buf, ".%X", reversed);
  out += buf;
  out += ptl.tier ? ".H" : ".L";
  out += std::to_string(ptl.level_idc);
  // Constraint bytes, trailing zero bytes omitted.
  size_t last = ptl.constraint_flags.size();
  while (last > 0 && ptl.constraint_flags[last - 1] == 0) --last;
  for (size_t i = 0; i < last; ++i) {
    std::snprintf(buf, sizeof buf, ".%X", ptl.constraint_flags[i]);
    out += buf;
  }
  return out;
}

}  // namespace aw
