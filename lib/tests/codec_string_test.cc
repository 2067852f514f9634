// aw::codec_string: golden RFC 6381 strings for every codec the writer takes, from real configuration records.
#include "aw/codec_string.h"

#include <gtest/gtest.h>

#include "golden.h"
#include "test_media.h"

namespace aw {
namespace {

std::string string_of(const FormatDescription& format) {
  auto text = codec_string(format);
  EXPECT_TRUE(text.is_ok()) << text.status().message();
  return text.is_ok() ? *text : "";
}

// HM-encoded HEVC Main, level 4 (120 = 4.0 * 30), 1920x1080, main tier, progressive-source flag (0x90).
const char* kHevcMain1920x1080 =
    "01016000000090000000000078f000fcfdf8f800000f03200001001840010c01ffff01600000030090000003000003007895980921"
    "00010031420101016000000300900000030000030078a003c08010e596566924cafff000100016a020202080000003008000000f04"
    "22000100074401c172b46240";

TEST(CodecString, h264_is_avc1_profile_constraints_level_in_hex) {
  // x264enc: High (0x64), no constraint flags, level 2.0 (0x14).
  EXPECT_EQ(string_of({Codec::kH264, test::avcc_320x240()}), "avc1.640014");
  EXPECT_EQ(string_of({Codec::kH264, test::avcc_320x240(), true}), "avc3.640014");
}

TEST(CodecString, hevc_is_hvc1_profile_compatibility_tier_level_constraints) {
  EXPECT_EQ(string_of({Codec::kHevc, unhex(kHevcMain1920x1080)}), "hvc1.1.6.L120.90");
  EXPECT_EQ(string_of({Codec::kHevc, unhex(kHevcMain1920x1080), true}), "hev1.1.6.L120.90");
}

TEST(CodecString, av1_is_av01_profile_level_tier_bit_depth) {
  FormatDescription d{.codec = Codec::kAv1};
  // A 64x48 Main-profile sequence header: seq_level_idx 0 (level 2.0), main tier, 8 bits.
  d.first_sample = unhex("1200 0a0b 00000002aff7f07ffe6010 32840315afac004000dba1e09bae39");
  EXPECT_EQ(string_of(d), "av01.0.00M.08");
}

TEST(CodecString, vp9_is_vp09_profile_level_bit_depth) {
  FormatDescription d{.codec = Codec::kVp9};
  d.width = 64;
  d.height = 48;
  d.bit_depth = 8;
  EXPECT_EQ(string_of(d), "vp09.00.10.08");
}

TEST(CodecString, aac_is_mp4a_40_and_the_audio_object_type) {
  EXPECT_EQ(string_of({Codec::kAac, test::asc_44100_stereo()}), "mp4a.40.2");  // AAC-LC
  EXPECT_EQ(string_of({Codec::kAac, unhex("2b920800")}), "mp4a.40.5");         // explicit HE-AAC (SBR)
  FormatDescription mp3{.codec = Codec::kMp3};
  mp3.sample_rate = 44100;
  mp3.channels = 2;
  EXPECT_EQ(string_of(mp3), "mp4a.6b");
}

TEST(CodecString, other_audio_codecs_are_their_sample_entry_names) {
  FormatDescription opus{.codec = Codec::kOpus};
  opus.configuration = unhex("4f707573486561640102380180bb0000000000");
  EXPECT_EQ(string_of(opus), "opus");
  FormatDescription flac{.codec = Codec::kFlac};
  flac.configuration = unhex("664c6143 00000022 1200 1200 000000 000000 0ac442f0 00000000" + std::string(32, '0'));
  EXPECT_EQ(string_of(flac), "flac");
  FormatDescription ac3{.codec = Codec::kAc3};
  ac3.first_sample = unhex("0b774bee144043e106f46370c0c0c218");
  EXPECT_EQ(string_of(ac3), "ac-3");
  FormatDescription eac3{.codec = Codec::kEac3};
  eac3.first_sample = unhex("0b77017f3487c00020842108");
  eac3.first_sample.resize(768);
  EXPECT_EQ(string_of(eac3), "ec-3");
  FormatDescription alac{.codec = Codec::kAlac};
  alac.configuration = unhex("00000024616c616300000000000010000018280a0e01000000003004001026600000ac44");
  EXPECT_EQ(string_of(alac), "alac");
  FormatDescription pcm{.codec = Codec::kPcm};
  pcm.sample_rate = 48000;
  pcm.channels = 2;
  EXPECT_EQ(string_of(pcm), "ipcm");
  pcm.pcm = {32, true, true, true};
  EXPECT_EQ(string_of(pcm), "fpcm");
}

TEST(CodecString, other_video_codecs_are_their_sample_entry_names) {
  FormatDescription prores{.codec = Codec::kProRes};
  prores.prores_variant = ProResVariant::kHq;
  EXPECT_EQ(string_of(prores), "apch");
  EXPECT_EQ(string_of({.codec = Codec::kJpeg}), "jpeg");
}

TEST(CodecString, a_malformed_record_is_an_error_naming_it) {
  auto text = codec_string({Codec::kH264, {1, 0x64}});
  ASSERT_FALSE(text.is_ok());
  EXPECT_NE(text.status().message().find("avcC"), std::string::npos) << text.status().message();
}

}  // namespace
}  // namespace aw
