#include "codecs/avc_config.h"

#include <algorithm>
#include <cstdio>

#include "codecs/bit_reader.h"

namespace aw {
namespace {

Status malformed(std::string message) { return {ErrorCode::kMalformedConfig, std::move(message)}; }

// Profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices (H.264 7.3.2.1.1).
bool sps_has_chroma_info(uint32_t profile_idc) {
  for (uint32_t p : {100u, 110u, 122u, 244u, 44u, 83u, 86u, 118u, 128u, 138u, 139u, 134u, 135u}) {
    if (p == profile_idc) return true;
  }
  return false;
}

// Profiles whose avcC may end with the chroma/bit-depth extension (14496-15 5.3.3.1.2). Early editions
// listed only 100, 110, 122 and 144; later ones (and FFmpeg, e.g. for 4:4:4 profile 244) write it for every
// profile but Baseline, Main and Extended.
bool record_has_high_profile_extension(uint8_t profile) { return profile != 66 && profile != 77 && profile != 88; }

// scaling_list() of H.264 7.3.2.1.1.1; only consumed, the values do not matter to a muxer.
void skip_scaling_list(BitReader& r, int size) {
  int last_scale = 8;
  int next_scale = 8;
  for (int j = 0; j < size && !r.error(); ++j) {
    if (next_scale != 0) {
      // delta_scale is -128..127 in a valid SPS; any int32 from a hostile one must not overflow (fuzz_avc).
      const int64_t delta = r.se();
      next_scale = static_cast<int>(((last_scale + delta + 256) % 256 + 256) % 256);
    }
    if (next_scale != 0) last_scale = next_scale;
  }
}

// Reads `count` parameter sets, each a 16-bit length and a NAL unit, advancing `pos`.
Status read_parameter_sets(std::span<const uint8_t> record, size_t& pos, unsigned count, const char* kind,
                           std::vector<std::vector<uint8_t>>& out) {
  for (unsigned i = 0; i < count; ++i) {
    if (pos + 2 > record.size()) {
      return malformed("avcC " + std::string(kind) + " " + std::to_string(i) +
                       " length field runs past the record end (" + std::to_string(record.size()) + " bytes)");
    }
    size_t length = size_t{record[pos]} << 8 | record[pos + 1];
    pos += 2;
    if (pos + length > record.size()) {
      return malformed("avcC " + std::string(kind) + " " + std::to_string(i) + " length " + std::to_string(length) +
                       " runs past the record end (" + std::to_string(record.size()) + " bytes)");
    }
    if (length == 0) return malformed("avcC " + std::string(kind) + " " + std::to_string(i) + " is empty");
    out.emplace_back(record.begin() + static_cast<ptrdiff_t>(pos),
                     record.begin() + static_cast<ptrdiff_t>(pos + length));
    pos += length;
  }
  return Status::ok();
}

// The fields only the profiles of sps_has_chroma_info carry: chroma_format_idc through the scaling
// matrices (H.264 7.3.2.1.1). Returns separate_colour_plane_flag.
Result<bool> read_high_profile_fields(BitReader& r, AvcSps& sps) {
  bool separate_colour_planes = false;
  sps.chroma_format_idc = r.ue();
  if (sps.chroma_format_idc > 3) {
    return malformed("H.264 SPS chroma_format_idc " + std::to_string(sps.chroma_format_idc) + " is above 3");
  }
  if (sps.chroma_format_idc == 3) separate_colour_planes = r.flag();
  const uint32_t luma_minus8 = r.ue();
  const uint32_t chroma_minus8 = r.ue();
  // 7.4.2.1.1: bit_depth_*_minus8 lies in 0..6 (what the avcC's 3-bit fields hold).
  if (!r.error() && (luma_minus8 > 6 || chroma_minus8 > 6)) {
    return malformed("H.264 SPS bit depth " + std::to_string(8 + uint64_t{std::max(luma_minus8, chroma_minus8)}) +
                     " is above 14");
  }
  sps.bit_depth_luma = luma_minus8 + 8;
  sps.bit_depth_chroma = chroma_minus8 + 8;
  r.skip(1);       // qpprime_y_zero_transform_bypass_flag
  if (r.flag()) {  // seq_scaling_matrix_present_flag
    int lists = sps.chroma_format_idc == 3 ? 12 : 8;
    for (int i = 0; i < lists && !r.error(); ++i) {
      if (r.flag()) skip_scaling_list(r, i < 6 ? 16 : 64);
    }
  }
  return separate_colour_planes;
}

// log2_max_frame_num_minus4 through the pic_order_cnt_type fields (H.264 7.3.2.1.1): only consumed, the
// values do not matter to a muxer, but a type or cycle length out of range is refused.
Status skip_frame_num_and_picture_order(BitReader& r) {
  r.ue();  // log2_max_frame_num_minus4
  uint32_t poc_type = r.ue();
  if (poc_type == 0) {
    r.ue();  // log2_max_pic_order_cnt_lsb_minus4
  } else if (poc_type == 1) {
    r.skip(1);  // delta_pic_order_always_zero_flag
    r.se();     // offset_for_non_ref_pic
    r.se();     // offset_for_top_to_bottom_field
    uint32_t cycle = r.ue();
    if (cycle > 255)
      return malformed("H.264 SPS num_ref_frames_in_pic_order_cnt_cycle " + std::to_string(cycle) + " is above 255");
    for (uint32_t i = 0; i < cycle && !r.error(); ++i) r.se();
  } else if (poc_type > 2) {
    return malformed("H.264 SPS pic_order_cnt_type " + std::to_string(poc_type) + " is above 2");
  }
  return Status::ok();
}

// The picture size as the SPS codes it: macroblocks, map units and crop units (H.264 7.4.2.1.1).
struct CodedPictureSize {
  uint32_t width_in_mbs = 0;
  uint32_t height_in_map_units = 0;
  uint32_t crop_left = 0, crop_right = 0, crop_top = 0, crop_bottom = 0;
};

// max_num_ref_frames through the frame cropping offsets (H.264 7.3.2.1.1); sets sps.frame_mbs_only.
// vui_parameters_present_flag and the VUI follow; nothing there changes the picture size.
CodedPictureSize read_picture_size(BitReader& r, AvcSps& sps) {
  CodedPictureSize size;
  r.ue();     // max_num_ref_frames
  r.skip(1);  // gaps_in_frame_num_value_allowed_flag
  size.width_in_mbs = r.ue() + 1;
  size.height_in_map_units = r.ue() + 1;
  sps.frame_mbs_only = r.flag();
  if (!sps.frame_mbs_only) r.skip(1);  // mb_adaptive_frame_field_flag
  r.skip(1);                           // direct_8x8_inference_flag
  if (r.flag()) {                      // frame_cropping_flag
    size.crop_left = r.ue();
    size.crop_right = r.ue();
    size.crop_top = r.ue();
    size.crop_bottom = r.ue();
  }
  return size;
}

// Sets sps.width and sps.height in luma samples, after frame cropping.
Status set_cropped_size(const CodedPictureSize& size, bool separate_colour_planes, AvcSps& sps) {
  // Level 6.2 allows at most sqrt(8 * 139264) ≈ 1055 macroblocks per side; 4096 (65536 samples, beyond
  // what a sample entry's 16-bit width holds) is far past that, so larger values are corrupt.
  if (size.width_in_mbs > 4096 || size.height_in_map_units > 4096) {
    return malformed("H.264 SPS picture of " + std::to_string(size.width_in_mbs) + "x" +
                     std::to_string(size.height_in_map_units) + " macroblocks is implausibly large");
  }

  // Crop units of H.264 7.4.2.1.1 (equations 7-19 to 7-22): chroma subsampling and field coding scale them.
  uint32_t chroma_array_type = separate_colour_planes ? 0 : sps.chroma_format_idc;
  uint32_t field_factor = sps.frame_mbs_only ? 1 : 2;
  uint32_t crop_unit_x = 1, crop_unit_y = field_factor;
  if (chroma_array_type != 0) {
    crop_unit_x = chroma_array_type == 3 ? 1 : 2;
    crop_unit_y = (chroma_array_type == 1 ? 2 : 1) * field_factor;
  }
  uint64_t full_width = uint64_t{size.width_in_mbs} * 16;
  uint64_t full_height = uint64_t{size.height_in_map_units} * 16 * field_factor;
  uint64_t crop_x = uint64_t{crop_unit_x} * (uint64_t{size.crop_left} + size.crop_right);
  uint64_t crop_y = uint64_t{crop_unit_y} * (uint64_t{size.crop_top} + size.crop_bottom);
  if (crop_x >= full_width || crop_y >= full_height) {
    return malformed("H.264 SPS cropping (" + std::to_string(crop_x) + "x" + std::to_string(crop_y) +
                     ") removes the whole " + std::to_string(full_width) + "x" + std::to_string(full_height) +
                     " picture");
  }
  sps.width = static_cast<uint32_t>(full_width - crop_x);
  sps.height = static_cast<uint32_t>(full_height - crop_y);
  return Status::ok();
}

}  // namespace

Result<AvcSps> parse_avc_sps(std::span<const uint8_t> nal) {
  if (nal.empty() || (nal[0] & 0x1f) != 7) {
    return malformed("H.264 SPS has NAL unit type " + std::to_string(nal.empty() ? 0 : nal[0] & 0x1f) + ", not 7");
  }
  std::vector<uint8_t> rbsp = remove_emulation_prevention(nal.subspan(1));
  BitReader r(rbsp);
  AvcSps sps;
  sps.profile_idc = static_cast<uint8_t>(r.bits(8));
  sps.constraint_flags = static_cast<uint8_t>(r.bits(8));
  sps.level_idc = static_cast<uint8_t>(r.bits(8));
  uint32_t sps_id = r.ue();
  if (sps_id > 31) return malformed("H.264 SPS id " + std::to_string(sps_id) + " is above 31");
  bool separate_colour_planes = false;
  if (sps_has_chroma_info(sps.profile_idc)) {
    AW_ASSIGN_OR_RETURN(separate_colour_planes, read_high_profile_fields(r, sps));
  }
  AW_RETURN_IF_ERROR(skip_frame_num_and_picture_order(r));
  CodedPictureSize size = read_picture_size(r, sps);
  if (r.error()) return malformed("H.264 SPS is truncated (" + std::to_string(nal.size()) + " bytes)");
  AW_RETURN_IF_ERROR(set_cropped_size(size, separate_colour_planes, sps));
  return sps;
}

Result<AvcConfig> parse_avc_config(std::span<const uint8_t> record, bool parameter_sets_in_band) {
  constexpr size_t kHeaderSize = 7;  // through numOfSequenceParameterSets (with at least 1 byte for the PPS count)
  if (record.size() < kHeaderSize) {
    return malformed("avcC length " + std::to_string(record.size()) + " is shorter than its 7-byte header");
  }
  AvcConfig config;
  config.version = record[0];
  if (config.version != 1) {
    return malformed("avcC configurationVersion is " + std::to_string(config.version) + ", expected 1");
  }
  config.profile = record[1];
  config.compatibility = record[2];
  config.level = record[3];
  config.nal_length_size = static_cast<uint8_t>((record[4] & 0x03) + 1);
  if (config.nal_length_size == 3) {
    // 14496-15 5.3.3.1.2: lengthSizeMinusOne 2 is not allowed; only 1, 2 and 4 byte lengths exist.
    return malformed("avcC NAL unit length size 3 is invalid (only 1, 2 or 4 are allowed)");
  }

  size_t pos = 5;
  unsigned sps_count = record[pos++] & 0x1f;
  if (sps_count == 0 && !parameter_sets_in_band) return malformed("avcC has no SPS");
  AW_RETURN_IF_ERROR(read_parameter_sets(record, pos, sps_count, "SPS", config.sps));
  if (pos >= record.size()) {
    return malformed("avcC ends before its PPS count (" + std::to_string(record.size()) + " bytes)");
  }
  unsigned pps_count = record[pos++];
  if (pps_count == 0 && !parameter_sets_in_band) return malformed("avcC has no PPS");
  AW_RETURN_IF_ERROR(read_parameter_sets(record, pos, pps_count, "PPS", config.pps));

  if (pos < record.size() && record_has_high_profile_extension(config.profile)) {
    if (record.size() - pos < 4) {
      return malformed("avcC high-profile extension is truncated (" + std::to_string(record.size() - pos) +
                       " of at least 4 bytes)");
    }
    AvcHighProfileExtension ext;
    ext.chroma_format = record[pos] & 0x03;
    ext.bit_depth_luma_minus8 = record[pos + 1] & 0x07;
    ext.bit_depth_chroma_minus8 = record[pos + 2] & 0x07;
    unsigned ext_count = record[pos + 3];
    pos += 4;
    AW_RETURN_IF_ERROR(read_parameter_sets(record, pos, ext_count, "SPS extension", ext.sps_ext));
    config.high_profile_extension = std::move(ext);
  }
  // Anything after that is ignored, as 14496-15 asks of readers for future extensions.

  if (!config.sps.empty()) {
    auto sps = parse_avc_sps(config.sps[0]);
    if (!sps) return Status(sps.status().code(), "avcC SPS 0: " + sps.status().message());
    config.first_sps = *sps;
  }
  return config;
}

std::vector<uint8_t> with_high_profile_extension(std::vector<uint8_t> record, const AvcConfig& config) {
  if (!record_has_high_profile_extension(config.profile) || config.high_profile_extension || !config.first_sps) {
    return record;
  }
  const AvcSps& sps = *config.first_sps;
  // Reserved bits are ones (6, 5 and 5 of them); the SPS parser only accepts bit depths of 8..14 and chroma
  // formats 0..3, so the fields fit.
  record.push_back(static_cast<uint8_t>(0xfc | sps.chroma_format_idc));
  record.push_back(static_cast<uint8_t>(0xf8 | (sps.bit_depth_luma - 8)));
  record.push_back(static_cast<uint8_t>(0xf8 | (sps.bit_depth_chroma - 8)));
  record.push_back(0);  // numOfSequenceParameterSetExt
  return record;
}

std::string avc_codec_string(FourCC sample_entry, const AvcConfig& config) {
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, ".%02x%02x%02x", config.profile, config.compatibility, config.level);
  return sample_entry.to_string() + suffix;
}

}  // namespace aw
