// avcC parsing against records written by x264 (through GStreamer's h264parse) and FFmpeg, plus records
// broken on purpose. Every malformed input must come back as an error value, never a crash.
#include "codecs/avc_config.h"

#include <gtest/gtest.h>

#include "codecs/bit_reader.h"
#include "codecs/track_format.h"
#include "golden.h"

namespace aw {
namespace {

// x264 via GStreamer, 320x240 I420, baseline / main / high profiles.
const char* kBaseline320x240 = "0142c015ffe1001c6742c015d90141fb016a0c0c0d4a000003000200000300791e2c5c9001000468cb8cb2";
const char* kMain320x240 = "014d4015ffe1001c674d4015eca0a0fd80b5060606a50000030001000003003c8f162d9601000468ebecb2";
// 1920x1080 is coded as 1920x1088 with 8 rows cropped.
const char* kHigh1920x1080 =
    "01640028ffe1001e67640028acd940780227e5c05a808080a0000003002000000791e30632c001000568ebecb22c";
const char* kHigh1280x720 = "0164001fffe1001c6764001facd9405005bb016a02020280000003008000001e478c18cb01000568ebecb22c";
// 322x242 needs cropping on both axes (coded 336x256).
const char* kHigh322x242 =
    "01640014ffe1001e67640014acd94150878888c05a8303035280000003008000001e478a14cb01000568ebecb22c";
// Interlaced 176x144: frame_mbs_only_flag 0, heights counted in field macroblock pairs.
const char* kInterlaced176x144 =
    "01640015ffe1001e67640015acd942cafcb80b5060606a50000003001000000303c9f142996001000568fbacb22c";
// High 4:4:4 Predictive (profile 244), written by h264parse without the high-profile extension.
const char* kHigh444NoExtension =
    "01f4000dffe1001d67f4000d919b28283f602d41818190000003001000000303c8f142996001000668ebec448440";
// The same by FFmpeg's libx264 wrapper: ends with the extension (chroma_format 3, 8-bit, no SPS ext).
const char* kHigh444WithExtension =
    "01f4000dffe1001967f4000d919b28283f6022000003000200000300641e28532c01000668ebe3c44844fff8f800";
// x264's 640x360 SPS re-encoded with seq_scaling_matrix_present_flag: an explicit 4x4 list, a
// use-default list and an explicit 8x8 list (checked with ffprobe: 640x360).
const char* kHighScalingLists640x360 =
    "0164001effe1003f6764001ead95249249249250886924924924924924924924924924924924924924924924926ca05017fcb80b"
    "5060606a50000003001000000303c8f162d96001000568ebecb22c";

std::vector<uint8_t> bytes(const char* text) { return unhex(text); }

AvcConfig parse_ok(const char* text) {
  auto result = parse_avc_config(bytes(text));
  EXPECT_TRUE(result.is_ok()) << result.status().message();
  return result.is_ok() ? *result : AvcConfig{};
}

std::string error_of(const std::vector<uint8_t>& record, bool in_band = false) {
  auto result = parse_avc_config(record, in_band);
  EXPECT_FALSE(result.is_ok());
  return result.status().message();
}

TEST(BitReader, reads_msb_first_across_bytes) {
  const uint8_t data[] = {0xa5, 0x0f};
  BitReader r(data);
  EXPECT_EQ(r.bits(3), 0b101u);
  EXPECT_EQ(r.bits(9), 0b001010000u);
  EXPECT_EQ(r.bits(4), 0xfu);
  EXPECT_FALSE(r.error());
  EXPECT_EQ(r.bits_left(), 0u);
}

TEST(BitReader, exp_golomb_codes_map_to_h264_table_9_2) {
  // ue: 1 → 0, 010 → 1, 011 → 2, 00100 → 3; se of the same codes: 0, 1, -1, 2.
  const uint8_t data[] = {0b10100110, 0b01000000};
  BitReader r(data);
  EXPECT_EQ(r.ue(), 0u);
  EXPECT_EQ(r.ue(), 1u);
  EXPECT_EQ(r.ue(), 2u);
  EXPECT_EQ(r.ue(), 3u);
  BitReader s(data);
  EXPECT_EQ(s.se(), 0);
  EXPECT_EQ(s.se(), 1);
  EXPECT_EQ(s.se(), -1);
  EXPECT_EQ(s.se(), 2);
  EXPECT_FALSE(s.error());
}

TEST(BitReader, reading_past_the_end_sets_the_error_flag_and_returns_zeros) {
  const uint8_t data[] = {0xff};
  BitReader r(data);
  EXPECT_EQ(r.bits(8), 0xffu);
  EXPECT_FALSE(r.error());
  EXPECT_EQ(r.bits(8), 0u);
  EXPECT_TRUE(r.error());
  r.skip(100);
  EXPECT_TRUE(r.error());
}

TEST(BitReader, exp_golomb_with_too_many_leading_zeros_is_an_error) {
  const uint8_t zeros[5] = {};
  BitReader r(zeros);
  EXPECT_EQ(r.ue(), 0u);
  EXPECT_TRUE(r.error());
  BitReader empty(std::span<const uint8_t>{});
  empty.ue();
  EXPECT_TRUE(empty.error());
}

TEST(EmulationPrevention, drops_the_03_after_two_zero_bytes_only) {
  EXPECT_EQ(hex(remove_emulation_prevention(unhex("00000301 00000300 0003"))), "00000100 000000");
  EXPECT_EQ(hex(remove_emulation_prevention(unhex("00030003 03"))), "00030003 03");
}

TEST(AvcConfig, baseline_record_gives_profile_level_and_size) {
  AvcConfig c = parse_ok(kBaseline320x240);
  EXPECT_EQ(c.version, 1);
  EXPECT_EQ(c.profile, 66);
  EXPECT_EQ(c.compatibility, 0xc0);
  EXPECT_EQ(c.level, 21);
  EXPECT_EQ(c.nal_length_size, 4);
  ASSERT_EQ(c.sps.size(), 1u);
  ASSERT_EQ(c.pps.size(), 1u);
  EXPECT_EQ(c.sps[0].size(), 0x1cu);
  EXPECT_EQ(hex(c.pps[0]), "68cb8cb2");
  EXPECT_FALSE(c.high_profile_extension.has_value());
  ASSERT_TRUE(c.first_sps.has_value());
  EXPECT_EQ(c.first_sps->width, 320u);
  EXPECT_EQ(c.first_sps->height, 240u);
  EXPECT_EQ(avc_codec_string(FourCC("avc1"), c), "avc1.42c015");
}

TEST(AvcConfig, main_and_high_records_give_their_sizes) {
  struct Case {
    const char* record;
    uint32_t width, height;
    std::string codec;
  } cases[] = {
      {kMain320x240, 320, 240, "avc1.4d4015"},
      {kHigh1920x1080, 1920, 1080, "avc1.640028"},
      {kHigh1280x720, 1280, 720, "avc1.64001f"},
      {kHigh322x242, 322, 242, "avc1.640014"},
  };
  for (const Case& c : cases) {
    AvcConfig config = parse_ok(c.record);
    ASSERT_TRUE(config.first_sps.has_value()) << c.codec;
    EXPECT_EQ(config.first_sps->width, c.width) << c.codec;
    EXPECT_EQ(config.first_sps->height, c.height) << c.codec;
    EXPECT_EQ(avc_codec_string(FourCC("avc1"), config), c.codec);
  }
}

TEST(AvcConfig, cropped_1080p_sps_reports_1080_rows) {
  AvcConfig c = parse_ok(kHigh1920x1080);
  EXPECT_EQ(c.first_sps->height, 1080u);
  EXPECT_TRUE(c.first_sps->frame_mbs_only);
}

TEST(AvcConfig, interlaced_sps_counts_both_fields) {
  AvcConfig c = parse_ok(kInterlaced176x144);
  EXPECT_FALSE(c.first_sps->frame_mbs_only);
  EXPECT_EQ(c.first_sps->width, 176u);
  EXPECT_EQ(c.first_sps->height, 144u);
}

TEST(AvcConfig, high_444_record_without_extension_is_accepted) {
  AvcConfig c = parse_ok(kHigh444NoExtension);
  EXPECT_EQ(c.profile, 244);
  EXPECT_FALSE(c.high_profile_extension.has_value());
  EXPECT_EQ(c.first_sps->chroma_format_idc, 3u);
  EXPECT_EQ(c.first_sps->width, 320u);
  EXPECT_EQ(c.first_sps->height, 240u);
}

TEST(AvcConfig, high_444_record_with_extension_reports_chroma_format) {
  AvcConfig c = parse_ok(kHigh444WithExtension);
  ASSERT_TRUE(c.high_profile_extension.has_value());
  EXPECT_EQ(c.high_profile_extension->chroma_format, 3);
  EXPECT_EQ(c.high_profile_extension->bit_depth_luma_minus8, 0);
  EXPECT_EQ(c.high_profile_extension->bit_depth_chroma_minus8, 0);
  EXPECT_TRUE(c.high_profile_extension->sps_ext.empty());
  EXPECT_EQ(c.first_sps->width, 320u);
  EXPECT_EQ(c.first_sps->height, 240u);
  EXPECT_EQ(avc_codec_string(FourCC("avc1"), c), "avc1.f4000d");
}

TEST(AvcConfig, sps_with_scaling_lists_still_gives_the_size) {
  AvcConfig c = parse_ok(kHighScalingLists640x360);
  EXPECT_EQ(c.first_sps->width, 640u);
  EXPECT_EQ(c.first_sps->height, 360u);
}

TEST(AvcConfig, header_shorter_than_7_bytes_is_an_error) {
  EXPECT_EQ(error_of(unhex("01640028")), "avcC length 4 is shorter than its 7-byte header");
  EXPECT_EQ(error_of(unhex("016400")), "avcC length 3 is shorter than its 7-byte header");
  EXPECT_EQ(parse_avc_config({}).status().code(), ErrorCode::kMalformedConfig);
}

TEST(AvcConfig, every_truncation_is_an_error) {
  for (const char* text : {kBaseline320x240, kHigh1920x1080, kHigh444NoExtension, kHighScalingLists640x360}) {
    std::vector<uint8_t> record = bytes(text);
    for (size_t length = 0; length < record.size(); ++length) {
      std::vector<uint8_t> prefix(record.begin(), record.begin() + static_cast<ptrdiff_t>(length));
      auto result = parse_avc_config(prefix);
      EXPECT_FALSE(result.is_ok()) << "prefix of " << length << " bytes of " << text;
      EXPECT_EQ(result.status().code(), ErrorCode::kMalformedConfig);
    }
  }
}

TEST(AvcConfig, truncated_high_profile_extension_is_an_error) {
  std::vector<uint8_t> record = bytes(kHigh444WithExtension);
  const size_t without_extension = record.size() - 4;
  for (size_t length = without_extension + 1; length < record.size(); ++length) {
    std::vector<uint8_t> prefix(record.begin(), record.begin() + static_cast<ptrdiff_t>(length));
    EXPECT_FALSE(parse_avc_config(prefix).is_ok()) << length;
  }
  std::vector<uint8_t> prefix(record.begin(), record.begin() + static_cast<ptrdiff_t>(without_extension));
  EXPECT_TRUE(parse_avc_config(prefix).is_ok());
}

TEST(AvcConfig, wrong_version_is_an_error) {
  std::vector<uint8_t> record = bytes(kBaseline320x240);
  record[0] = 0;
  EXPECT_EQ(error_of(record), "avcC configurationVersion is 0, expected 1");
}

TEST(AvcConfig, record_without_sps_is_an_error) {
  EXPECT_EQ(error_of(unhex("0142c015 ffe00100 0468cb8c b2")), "avcC has no SPS");
}

TEST(AvcConfig, record_without_pps_is_an_error_for_avc1) {
  std::vector<uint8_t> record = bytes(kBaseline320x240);
  record.erase(record.end() - 7, record.end());  // drop the PPS list
  record.push_back(0);                           // numOfPictureParameterSets 0
  EXPECT_EQ(error_of(record), "avcC has no PPS");
}

TEST(AvcConfig, sps_length_past_the_end_names_the_lengths) {
  EXPECT_EQ(error_of(unhex("0142c015 ffe10028 6742c015 d90141fb 016a0c0c")),
            "avcC SPS 0 length 40 runs past the record end (20 bytes)");
}

TEST(AvcConfig, nal_length_size_3_is_rejected) {
  std::vector<uint8_t> record = bytes(kBaseline320x240);
  record[4] = 0xfe;
  EXPECT_EQ(error_of(record), "avcC NAL unit length size 3 is invalid (only 1, 2 or 4 are allowed)");
}

TEST(AvcConfig, nal_length_sizes_1_and_2_are_accepted) {
  std::vector<uint8_t> record = bytes(kBaseline320x240);
  record[4] = 0xfc;
  EXPECT_EQ(parse_ok(hex(record).c_str()).nal_length_size, 1);
  record[4] = 0xfd;
  EXPECT_EQ(parse_ok(hex(record).c_str()).nal_length_size, 2);
}

TEST(AvcConfig, in_band_record_may_have_no_parameter_sets) {
  auto result = parse_avc_config(unhex("0164001f ffe000"), true);
  ASSERT_TRUE(result.is_ok()) << result.status().message();
  EXPECT_FALSE(result->first_sps.has_value());
  EXPECT_EQ(result->nal_length_size, 4);
  EXPECT_FALSE(parse_avc_config(unhex("0164001f ffe000"), false).is_ok());
}

TEST(AvcConfig, first_parameter_set_must_be_an_sps) {
  std::vector<uint8_t> record = bytes(kBaseline320x240);
  record[8] = 0x68;  // the SPS NAL header turned into a PPS header
  EXPECT_EQ(error_of(record), "avcC SPS 0: H.264 SPS has NAL unit type 8, not 7");
}

TEST(AvcConfig, implausibly_large_picture_is_an_error) {
  // Baseline SPS: profile 66, level 30, sps_id 0, log2_max_frame_num 0, poc type 2, 1 ref frame, no gaps,
  // pic_width_in_mbs_minus1 8191, height 0, frame_mbs_only, direct_8x8, no cropping, no VUI.
  auto sps = parse_avc_sps(unhex("6742001e da000200 0e40"));
  ASSERT_FALSE(sps.is_ok());
  EXPECT_EQ(sps.status().message(), "H.264 SPS picture of 8192x1 macroblocks is implausibly large");
}

// Found by fuzz_avc (UBSan): a scaling list delta near INT32_MAX overflowed last_scale + delta. High
// profile SPS, 4:2:0, scaling matrix present, list 0 present, its first delta_scale +2147483647, then the
// SPS ends. UBSan halts on the overflow in the sanitizer pass; here the SPS is simply truncated.
TEST(AvcConfig, huge_scaling_list_delta_does_not_overflow) {
  auto sps = parse_avc_sps(unhex("6764001e ad800000 00fffffffe80"));
  EXPECT_FALSE(sps.is_ok());
}

TEST(AvcConfig, corrupted_sps_bytes_never_crash) {
  // Every single-byte corruption of every SPS byte: any outcome but a crash is fine.
  for (const char* text : {kHigh1920x1080, kHighScalingLists640x360, kInterlaced176x144}) {
    std::vector<uint8_t> record = bytes(text);
    for (size_t i = 8; i < record.size(); ++i) {
      for (uint8_t value : {0x00, 0xff, 0x80, 0x01}) {
        std::vector<uint8_t> broken = record;
        broken[i] = value;
        auto result = parse_avc_config(broken);
        if (result.is_ok() && result->first_sps) {
          EXPECT_GT(result->first_sps->width, 0u);
        }
      }
    }
  }
}

TEST(AvcTrackFormat, avc1_entry_carries_the_record_and_size) {
  FormatDescription description{Codec::kH264, bytes(kMain320x240), false};
  auto format = make_track_format(description);
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  EXPECT_EQ(format->media_type, MediaType::kVideo);
  EXPECT_EQ(format->sample_entry, FourCC("avc1"));
  EXPECT_EQ(format->config_box, FourCC("avcC"));
  EXPECT_EQ(format->config_payload, description.configuration);
  EXPECT_EQ(format->width, 320u);
  EXPECT_EQ(format->height, 240u);
  EXPECT_EQ(format->codec_string, "avc1.4d4015");
}

// 14496-15 5.3.3.1.2: profiles other than 66, 77 and 88 end the record with chroma_format, the bit depths and
// the SPS extensions. x264's record through h264parse stops after the PPS; the entry gets the trailer from
// the SPS (4:2:0, 8 bits, no extensions), as FFmpeg writes it.
TEST(AvcTrackFormat, high_profile_record_gets_its_extension_from_the_sps) {
  FormatDescription description{Codec::kH264, bytes(kHigh1920x1080), false};
  auto format = make_track_format(description);
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  std::vector<uint8_t> expected = description.configuration;
  for (uint8_t b : {0xfd, 0xf8, 0xf8, 0x00}) expected.push_back(b);
  EXPECT_EQ(format->config_payload, expected);
  auto reparsed = parse_avc_config(format->config_payload);
  ASSERT_TRUE(reparsed.is_ok()) << reparsed.status().message();
  ASSERT_TRUE(reparsed->high_profile_extension.has_value());
  EXPECT_EQ(reparsed->high_profile_extension->chroma_format, 1);

  EXPECT_EQ(format->width, 1920u);
  EXPECT_EQ(format->height, 1080u);
  EXPECT_EQ(format->nal_length_size, 4u);
  EXPECT_EQ(format->codec_string, "avc1.640028");
}

TEST(AvcTrackFormat, in_band_parameter_sets_use_avc3) {
  auto format = make_track_format({Codec::kH264, bytes(kBaseline320x240), true});
  ASSERT_TRUE(format.is_ok());
  EXPECT_EQ(format->sample_entry, FourCC("avc3"));
  EXPECT_EQ(format->codec_string, "avc3.42c015");
  auto empty = make_track_format({Codec::kH264, unhex("0164001f ffe000"), true});
  ASSERT_TRUE(empty.is_ok()) << empty.status().message();
  EXPECT_EQ(empty->width, 0u);
  EXPECT_EQ(empty->height, 0u);
}

TEST(AvcTrackFormat, errors_are_malformed_config_values) {
  auto format = make_track_format({Codec::kH264, unhex("016400"), false});
  ASSERT_FALSE(format.is_ok());
  EXPECT_EQ(format.status().code(), ErrorCode::kMalformedConfig);
  EXPECT_EQ(format.status().message(), "avcC length 3 is shorter than its 7-byte header");
}

TEST(AvcTrackFormat, high_444_extension_states_chroma_format_3) {
  auto format = make_track_format({Codec::kH264, bytes(kHigh444NoExtension), false});
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  const std::vector<uint8_t>& record = format->config_payload;
  ASSERT_EQ(record.size(), bytes(kHigh444NoExtension).size() + 4);
  EXPECT_EQ(std::vector<uint8_t>(record.end() - 4, record.end()), (std::vector<uint8_t>{0xff, 0xf8, 0xf8, 0x00}));
}

TEST(AvcTrackFormat, records_that_need_no_extension_or_have_one_are_kept) {
  for (const char* text : {kBaseline320x240, kMain320x240, kHigh444WithExtension}) {
    auto format = make_track_format({Codec::kH264, bytes(text), false});
    ASSERT_TRUE(format.is_ok()) << format.status().message();
    EXPECT_EQ(format->config_payload, bytes(text)) << text;
  }
}

TEST(AvcTrackFormat, record_built_from_an_in_band_access_unit_gets_the_extension) {
  // avc3 codec_data without parameter sets, and a first access unit carrying x264's high-profile SPS + PPS.
  AvcConfig high = parse_ok(kHigh1280x720);
  std::vector<uint8_t> au;
  for (const auto* nal : {&high.sps[0], &high.pps[0]}) {
    const uint32_t n = static_cast<uint32_t>(nal->size());
    for (int shift = 24; shift >= 0; shift -= 8) au.push_back(static_cast<uint8_t>(n >> shift));
    au.insert(au.end(), nal->begin(), nal->end());
  }
  FormatDescription description{Codec::kH264, {}, true};
  description.first_sample = au;
  auto format = make_track_format(description);
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  auto reparsed = parse_avc_config(format->config_payload, true);
  ASSERT_TRUE(reparsed.is_ok()) << reparsed.status().message();
  ASSERT_TRUE(reparsed->high_profile_extension.has_value());
  EXPECT_EQ(reparsed->high_profile_extension->bit_depth_luma_minus8, 0);
  EXPECT_EQ(format->width, 1280u);
}

TEST(AvcConfig, sps_bit_depth_above_14_is_an_error) {
  // High profile SPS: seq_parameter_set_id 0 ("1"), chroma_format_idc 1 ("010"), bit_depth_luma_minus8 7
  // ("0001000"), bit_depth_chroma_minus8 0 ("1"), then ones.
  const uint8_t sps[] = {0x67, 0x64, 0x00, 0x1f, 0xa1, 0x1f, 0xff};
  auto result = parse_avc_sps(sps);
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().message(), "H.264 SPS bit depth 15 is above 14");
}

}  // namespace
}  // namespace aw
