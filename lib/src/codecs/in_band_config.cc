#include "codecs/in_band_config.h"

#include <string>

#include "codecs/avc_config.h"
#include "codecs/hevc_config.h"

namespace aw {
namespace {

Status malformed(std::string message) { return {ErrorCode::kMalformedConfig, std::move(message)}; }

// The NAL units of a 4-byte length-prefixed access unit.
Result<std::vector<std::span<const uint8_t>>> split_nal_units(std::span<const uint8_t> au) {
  std::vector<std::span<const uint8_t>> units;
  size_t pos = 0;
  while (pos < au.size()) {
    if (au.size() - pos < 4) return malformed("access unit ends inside a NAL unit length");
    uint32_t length = uint32_t{au[pos]} << 24 | uint32_t{au[pos + 1]} << 16 | uint32_t{au[pos + 2]} << 8 | au[pos + 3];
    pos += 4;
    if (length > au.size() - pos) {
      return malformed("NAL unit length " + std::to_string(length) + " runs past the access unit (" +
                       std::to_string(au.size() - pos) + " bytes left)");
    }
    if (length > 0) units.push_back(au.subspan(pos, length));
    pos += length;
  }
  return units;
}

// avcC and hvcC store each parameter set behind a 16-bit length (found by fuzz_avc: longer ones, and more
// SPS than avcC's 5-bit count, made records that did not parse back).
Status check_lengths_fit(const std::vector<std::span<const uint8_t>>& units, const char* codec) {
  for (auto nal : units) {
    if (nal.size() > 0xffff) {
      return malformed(std::string(codec) + " parameter set of " + std::to_string(nal.size()) +
                       " bytes is longer than a configuration record holds (65535)");
    }
  }
  return Status::ok();
}

void put16(std::vector<uint8_t>& out, size_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

}  // namespace

Result<std::vector<uint8_t>> avc_record_from_access_unit(std::span<const uint8_t> au) {
  AW_ASSIGN_OR_RETURN(auto units, split_nal_units(au));
  std::vector<std::span<const uint8_t>> sps, pps;
  for (auto nal : units) {
    uint8_t type = nal[0] & 0x1f;
    if (type == 7) sps.push_back(nal);
    if (type == 8) pps.push_back(nal);
  }
  if (sps.empty() || pps.empty()) {
    return malformed("the first H.264 access unit has no SPS and PPS to build an avcC from");
  }
  if (sps[0].size() < 4) return malformed("H.264 SPS of " + std::to_string(sps[0].size()) + " bytes is too short");
  if (sps.size() > 31 || pps.size() > 255) {
    return malformed("the first H.264 access unit has " + std::to_string(sps.size()) + " SPS and " +
                     std::to_string(pps.size()) + " PPS; an avcC holds at most 31 and 255");
  }
  AW_RETURN_IF_ERROR(check_lengths_fit(sps, "H.264"));
  AW_RETURN_IF_ERROR(check_lengths_fit(pps, "H.264"));
  // 14496-15 5.3.3.1: profile, compatibility and level are the SPS's bytes 1..3.
  std::vector<uint8_t> record = {1, sps[0][1], sps[0][2], sps[0][3], 0xff, static_cast<uint8_t>(0xe0 | sps.size())};
  for (auto nal : sps) {
    put16(record, nal.size());
    record.insert(record.end(), nal.begin(), nal.end());
  }
  record.push_back(static_cast<uint8_t>(pps.size()));
  for (auto nal : pps) {
    put16(record, nal.size());
    record.insert(record.end(), nal.begin(), nal.end());
  }
  return record;
}

Result<std::vector<uint8_t>> hevc_record_from_access_unit(std::span<const uint8_t> au) {
  AW_ASSIGN_OR_RETURN(auto units, split_nal_units(au));
  std::vector<std::span<const uint8_t>> arrays[3];  // VPS 32, SPS 33, PPS 34
  for (auto nal : units) {
    uint8_t type = nal[0] >> 1 & 0x3f;
    if (type < 32 || type > 34) continue;
    // An H.265 NAL unit header is two bytes; hvcC readers (ours too) refuse a shorter parameter set (found
    // by fuzz_hevc: a one-byte "VPS" made an hvcC that did not parse back).
    if (nal.size() < 2) {
      return malformed("H.265 parameter set NAL unit of " + std::to_string(nal.size()) +
                       " byte is shorter than its 2-byte header");
    }
    arrays[type - 32].push_back(nal);
  }
  if (arrays[1].empty()) return malformed("the first H.265 access unit has no SPS to build an hvcC from");
  for (const auto& a : arrays) {
    if (a.size() > 0xffff) {
      return malformed("the first H.265 access unit has " + std::to_string(a.size()) +
                       " parameter sets of one type; an hvcC holds at most 65535");
    }
    AW_RETURN_IF_ERROR(check_lengths_fit(a, "H.265"));
  }
  AW_ASSIGN_OR_RETURN(HevcSps sps, parse_hevc_sps(arrays[1][0]));
  const HevcProfileTierLevel& ptl = sps.profile_tier_level;
  // HEVCDecoderConfigurationRecord (14496-15 8.3.3.1.2).
  std::vector<uint8_t> r;
  r.push_back(1);
  r.push_back(static_cast<uint8_t>(ptl.profile_space << 6 | ptl.tier << 5 | ptl.profile_idc));
  for (int shift = 24; shift >= 0; shift -= 8) r.push_back(static_cast<uint8_t>(ptl.compatibility_flags >> shift));
  r.insert(r.end(), ptl.constraint_flags.begin(), ptl.constraint_flags.end());
  r.push_back(ptl.level_idc);
  put16(r, 0xf000);  // min_spatial_segmentation_idc 0
  r.push_back(0xfc);  // parallelismType unknown
  r.push_back(static_cast<uint8_t>(0xfc | sps.chroma_format_idc));
  r.push_back(static_cast<uint8_t>(0xf8 | ((sps.bit_depth_luma - 8) & 7)));
  r.push_back(static_cast<uint8_t>(0xf8 | ((sps.bit_depth_chroma - 8) & 7)));
  put16(r, 0);  // avgFrameRate unknown
  // constantFrameRate 0, numTemporalLayers, temporalIdNested 0, lengthSizeMinusOne 3.
  r.push_back(static_cast<uint8_t>((sps.max_sub_layers & 7) << 3 | 3));
  uint8_t count = 0;
  for (const auto& a : arrays) count += a.empty() ? 0 : 1;
  r.push_back(count);
  for (uint8_t i = 0; i < 3; ++i) {
    if (arrays[i].empty()) continue;
    r.push_back(static_cast<uint8_t>(32 + i));  // array_completeness 0: more may follow in band
    put16(r, arrays[i].size());
    for (auto nal : arrays[i]) {
      put16(r, nal.size());
      r.insert(r.end(), nal.begin(), nal.end());
    }
  }
  return r;
}

}  // namespace aw
