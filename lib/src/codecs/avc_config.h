// H.264 configuration: the AVCDecoderConfigurationRecord (avcC, ISO/IEC 14496-15 5.3.3.1) and the picture
// size from its first sequence parameter set (ITU-T H.264 7.3.2.1.1).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aw/fourcc.h"
#include "aw/status.h"

namespace aw {

// What the writer needs from an SPS: the coded picture size after frame cropping.
struct AvcSps {
  uint8_t profile_idc = 0;
  uint8_t constraint_flags = 0;
  uint8_t level_idc = 0;
  uint32_t chroma_format_idc = 1;  // 4:2:0 unless a high profile says otherwise
  uint32_t bit_depth_luma = 8;
  uint32_t bit_depth_chroma = 8;
  bool frame_mbs_only = true;
  uint32_t width = 0;   // luma samples, cropped
  uint32_t height = 0;  // luma samples, cropped (frame height, both fields for interlaced streams)
};

// The trailer of the record for profiles other than 66, 77 and 88 (14496-15 5.3.3.1.2). Many writers omit
// it (GStreamer's h264parse does), so it is optional.
struct AvcHighProfileExtension {
  uint8_t chroma_format = 1;
  uint8_t bit_depth_luma_minus8 = 0;
  uint8_t bit_depth_chroma_minus8 = 0;
  std::vector<std::vector<uint8_t>> sps_ext;
};

struct AvcConfig {
  uint8_t version = 1;
  uint8_t profile = 0;        // AVCProfileIndication
  uint8_t compatibility = 0;  // profile_compatibility (the constraint_set flags)
  uint8_t level = 0;          // AVCLevelIndication
  uint8_t nal_length_size = 4;
  std::vector<std::vector<uint8_t>> sps;  // NAL units including their 1-byte header
  std::vector<std::vector<uint8_t>> pps;
  std::optional<AvcHighProfileExtension> high_profile_extension;
  std::optional<AvcSps> first_sps;  // absent only for an in-band (avc3) record without SPS
};

// Parses an SPS NAL unit (with its header byte and emulation prevention bytes).
Result<AvcSps> parse_avc_sps(std::span<const uint8_t> nal);

// Parses and checks an avcC record. `parameter_sets_in_band` (avc3) allows a record without SPS/PPS.
Result<AvcConfig> parse_avc_config(std::span<const uint8_t> record, bool parameter_sets_in_band = false);

// The record as written to a file: `record` (parsed into `config`) with the high-profile trailer added when
// its profile needs one and it has none. 14496-15 5.3.3.1.2 requires the trailer for every profile but 66, 77
// and 88, and strict readers (ComplianceWarden) fail without it; x264's codec_data through h264parse lacks
// it. The fields come from the first SPS, with no SPS extensions (x264 writes none).
std::vector<uint8_t> with_high_profile_extension(std::vector<uint8_t> record, const AvcConfig& config);

// RFC 6381 codecs parameter: "avc1.64001f" (entry fourcc, then profile, compatibility and level in hex).
std::string avc_codec_string(FourCC sample_entry, const AvcConfig& config);

}  // namespace aw
