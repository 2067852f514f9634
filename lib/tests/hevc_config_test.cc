// hvcC parsing against records written by x265 (through GStreamer's h265parse), plus broken records.
#include "codecs/hevc_config.h"

#include <gtest/gtest.h>

#include "codecs/track_format.h"
#include "golden.h"

namespace aw {
namespace {

// Main profile 1920x1080 4:2:0: coded 1920x1088, conformance window bottom offset 4 chroma rows.
const char* kMain1920x1080 =
    "01016000000090000000000078f000fcfdf8f800000f03200001001840010c01ffff01600000030090000003000003007895980921"
    "00010031420101016000000300900000030000030078a003c08010e596566924cafff000100016a020202080000003008000000f04"
    "22000100074401c172b46240";
const char* kMain320x240 =
    "0101600000009000000000003ff000fcfdf8f800000f03200001001840010c01ffff01600000030090000003000003003f95980921"
    "0001003142010101600000030090000003000003003fa00a080f165959a4932bffc00040005a830303020000030002000003003c10"
    "22000100074401c172b46240";
// Main 4:4:4 (RExt, profile 4) 352x288, no cropping.
const char* kRext444_352x288 =
    "0104080000009e08000000003ff000fcfff8f800000f03200001001740010c01ffff0408000003009e0800000300003f9598092100"
    "0100314201010408000003009e0800000300003f9001610090b2cacd24995ffe00020002d418181810000003001000000301e08022"
    "000100074401c172b46240";
// 4:4:4 and 4:2:2 1080p: the conformance window counts luma rows (SubHeightC 1), 8 of them.
const char* kRext444_1920x1080 =
    "0104080000009e080000000078f000fcfff8f800000f03200001001740010c01ffff0408000003009e080000030000789598092100"
    "0100324201010408000003009e0800000300007890007810021cb2cacd24995ffe00020002d404040410000003001000000301e080"
    "22000100074401c172b46240";
const char* kRext422_1920x1080 =
    "0104080000009d080000000078f000fcfef8f800000f03200001001740010c01ffff0408000003009d080000030000789598092100"
    "0100304201010408000003009d08000003000078b003c08010e596566924cafff000100016a020202080000003008000000f042200"
    "0100074401c172b46240";
// Two temporal sub-layers (x265 temporal-layers=1): profile_tier_level carries sub-layer flags.
const char* kTwoSubLayers640x360 =
    "0101600000009000000000003ff000fcfdf8f800001303200001001c40010c02ffff01600000030090000003000003003f00009598"
    "acc048210001003542010201600000030090000003000003003f0000a005020169659598acd24995ffe00020002d41818181000003"
    "0001000003001e0822000100074401c172b46240";
// Written for stream-format=hev1 (parameter sets also in band), 1280x720.
const char* kMain1280x720 =
    "0101600000009000000000005df000fcfdf8f800000f03200001001840010c01ffff01600000030090000003000003005d95980921"
    "0001003242010101600000030090000003000003005da00280802d165959a4932bffc00040005a808080820000030002000003003c"
    "1022000100074401c172b46240";

std::vector<uint8_t> bytes(const char* text) { return unhex(text); }

HevcConfig parse_ok(const char* text) {
  auto result = parse_hevc_config(bytes(text));
  EXPECT_TRUE(result.is_ok()) << result.status().message();
  return result.is_ok() ? *result : HevcConfig{};
}

std::string error_of(const std::vector<uint8_t>& record, bool in_band = false) {
  auto result = parse_hevc_config(record, in_band);
  EXPECT_FALSE(result.is_ok());
  return result.status().message();
}

TEST(HevcConfig, main_1080p_record_gives_cropped_size_and_header_fields) {
  HevcConfig c = parse_ok(kMain1920x1080);
  EXPECT_EQ(c.version, 1);
  EXPECT_EQ(c.profile_tier_level.profile_space, 0);
  EXPECT_FALSE(c.profile_tier_level.tier);
  EXPECT_EQ(c.profile_tier_level.profile_idc, 1);
  EXPECT_EQ(c.profile_tier_level.compatibility_flags, 0x60000000u);
  EXPECT_EQ(c.profile_tier_level.level_idc, 120);
  EXPECT_EQ(c.chroma_format, 1);
  EXPECT_EQ(c.nal_length_size, 4);
  ASSERT_EQ(c.arrays.size(), 3u);
  EXPECT_EQ(c.arrays[0].nal_unit_type, 32);
  EXPECT_EQ(c.arrays[1].nal_unit_type, 33);
  EXPECT_EQ(c.arrays[2].nal_unit_type, 34);
  EXPECT_FALSE(c.arrays[1].array_completeness);
  ASSERT_TRUE(c.sps.has_value());
  EXPECT_EQ(c.sps->width, 1920u);
  EXPECT_EQ(c.sps->height, 1080u);
  EXPECT_EQ(c.sps->profile_tier_level.profile_idc, 1);
  EXPECT_EQ(c.sps->profile_tier_level.level_idc, 120);
  EXPECT_EQ(hevc_codec_string(FourCC("hvc1"), c), "hvc1.1.6.L120.90");
}

TEST(HevcConfig, records_of_several_sizes_and_chroma_formats) {
  struct Case {
    const char* record;
    uint32_t width, height, chroma;
    std::string codec;
  } cases[] = {
      {kMain320x240, 320, 240, 1, "hvc1.1.6.L63.90"},
      {kRext444_352x288, 352, 288, 3, "hvc1.4.10.L63.9E.8"},
      {kRext444_1920x1080, 1920, 1080, 3, "hvc1.4.10.L120.9E.8"},
      {kRext422_1920x1080, 1920, 1080, 2, "hvc1.4.10.L120.9D.8"},
      {kMain1280x720, 1280, 720, 1, "hvc1.1.6.L93.90"},
  };
  for (const Case& c : cases) {
    HevcConfig config = parse_ok(c.record);
    ASSERT_TRUE(config.sps.has_value()) << c.codec;
    EXPECT_EQ(config.sps->width, c.width) << c.codec;
    EXPECT_EQ(config.sps->height, c.height) << c.codec;
    EXPECT_EQ(config.sps->chroma_format_idc, c.chroma) << c.codec;
    EXPECT_EQ(config.chroma_format, c.chroma) << c.codec;
    EXPECT_EQ(hevc_codec_string(FourCC("hvc1"), config), c.codec);
  }
}

TEST(HevcConfig, sps_with_sub_layers_skips_their_profile_fields) {
  HevcConfig c = parse_ok(kTwoSubLayers640x360);
  ASSERT_TRUE(c.sps.has_value());
  EXPECT_EQ(c.sps->max_sub_layers, 2u);
  EXPECT_EQ(c.sps->width, 640u);
  EXPECT_EQ(c.sps->height, 360u);
}

TEST(HevcConfig, codec_string_spells_profile_space_and_high_tier) {
  HevcConfig c;
  c.profile_tier_level.profile_space = 1;
  c.profile_tier_level.tier = true;
  c.profile_tier_level.profile_idc = 4;
  c.profile_tier_level.compatibility_flags = 0x82000000;  // flags 0 and 6 → reversed 0x41
  c.profile_tier_level.level_idc = 120;
  c.profile_tier_level.constraint_flags = {0xb0, 0x23, 0, 0, 0, 0};
  EXPECT_EQ(hevc_codec_string(FourCC("hev1"), c), "hev1.A4.41.H120.B0.23");
  c.profile_tier_level.constraint_flags = {};
  EXPECT_EQ(hevc_codec_string(FourCC("hev1"), c), "hev1.A4.41.H120");
}

TEST(HevcConfig, header_shorter_than_23_bytes_is_an_error) {
  EXPECT_EQ(error_of(unhex("010160")), "hvcC length 3 is shorter than its 23-byte header");
}

TEST(HevcConfig, every_truncation_is_an_error) {
  for (const char* text : {kMain1920x1080, kRext444_352x288, kTwoSubLayers640x360}) {
    std::vector<uint8_t> record = bytes(text);
    for (size_t length = 0; length < record.size(); ++length) {
      std::vector<uint8_t> prefix(record.begin(), record.begin() + static_cast<ptrdiff_t>(length));
      auto result = parse_hevc_config(prefix);
      EXPECT_FALSE(result.is_ok()) << "prefix of " << length << " bytes";
      EXPECT_EQ(result.status().code(), ErrorCode::kMalformedConfig);
    }
  }
}

TEST(HevcConfig, wrong_version_is_an_error) {
  std::vector<uint8_t> record = bytes(kMain1920x1080);
  record[0] = 0;
  EXPECT_EQ(error_of(record), "hvcC configurationVersion is 0, expected 1");
}

TEST(HevcConfig, nal_length_size_3_is_rejected) {
  std::vector<uint8_t> record = bytes(kMain1920x1080);
  record[21] = static_cast<uint8_t>((record[21] & 0xfc) | 2);
  EXPECT_EQ(error_of(record), "hvcC NAL unit length size 3 is invalid (only 1, 2 or 4 are allowed)");
}

TEST(HevcConfig, record_without_sps_is_an_error_unless_in_band) {
  std::vector<uint8_t> header = bytes(kMain1920x1080);
  header.resize(23);
  header[22] = 0;  // numOfArrays
  EXPECT_EQ(error_of(header), "hvcC has no SPS");
  auto in_band = parse_hevc_config(header, true);
  ASSERT_TRUE(in_band.is_ok()) << in_band.status().message();
  EXPECT_FALSE(in_band->sps.has_value());
  EXPECT_EQ(in_band->profile_tier_level.level_idc, 120);
}

TEST(HevcConfig, nal_length_past_the_end_names_the_lengths) {
  std::vector<uint8_t> record = bytes(kMain1920x1080);
  record.resize(23 + 3 + 2 + 4);  // the VPS array header, its length field and 4 of its 24 bytes
  EXPECT_EQ(error_of(record), "hvcC array 0 NAL unit 0 length 24 runs past the record end (32 bytes)");
}

TEST(HevcConfig, corrupted_sps_bytes_never_crash) {
  for (const char* text : {kMain1920x1080, kTwoSubLayers640x360}) {
    std::vector<uint8_t> record = bytes(text);
    for (size_t i = 23; i < record.size(); ++i) {
      for (uint8_t value : {0x00, 0xff, 0x80, 0x01}) {
        std::vector<uint8_t> broken = record;
        broken[i] = value;
        auto result = parse_hevc_config(broken);
        if (result.is_ok() && result->sps) {
          EXPECT_GT(result->sps->width, 0u);
        }
      }
    }
  }
}

TEST(HevcTrackFormat, hvc1_entry_carries_the_record_and_size) {
  FormatDescription description{Codec::kHevc, bytes(kMain1920x1080), false};
  auto format = make_track_format(description);
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  EXPECT_EQ(format->media_type, MediaType::kVideo);
  EXPECT_EQ(format->sample_entry, FourCC("hvc1"));
  EXPECT_EQ(format->config_box, FourCC("hvcC"));
  EXPECT_EQ(format->config_payload, description.configuration);
  EXPECT_EQ(format->width, 1920u);
  EXPECT_EQ(format->height, 1080u);
  EXPECT_EQ(format->nal_length_size, 4u);
  EXPECT_EQ(format->codec_string, "hvc1.1.6.L120.90");
}

TEST(HevcTrackFormat, in_band_parameter_sets_use_hev1) {
  auto format = make_track_format({Codec::kHevc, bytes(kMain1280x720), true});
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  EXPECT_EQ(format->sample_entry, FourCC("hev1"));
  EXPECT_EQ(format->codec_string, "hev1.1.6.L93.90");
  EXPECT_EQ(format->width, 1280u);
}

}  // namespace
}  // namespace aw
