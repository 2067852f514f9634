// Golden bytes of whole sample entries. The expected bytes are spelled out field by field; the audio
// layouts match what FFmpeg's movenc writes for the same AudioSpecificConfig (up to ES_ID and bitrates).
#include "boxes/sample_entries.h"

#include <gtest/gtest.h>

#include "codecs/track_format.h"
#include "golden.h"

namespace aw {
namespace {

// x264 baseline 320x240 (43 bytes) and x265 main 320x240 (118 bytes) records.
const char* kAvcRecord = "0142c015ffe1001c6742c015d90141fb016a0c0c0d4a000003000200000300791e2c5c9001000468cb8cb2";
const char* kHevcRecord =
    "0101600000009000000000003ff000fcfdf8f800000f03200001001840010c01ffff01600000030090000003000003003f95980921"
    "0001003142010101600000030090000003000003003fa00a080f165959a4932bffc00040005a830303020000030002000003003c10"
    "22000100074401c172b46240";

TrackFormat format_of(Codec codec, const std::string& config, bool in_band = false) {
  auto format = make_track_format({codec, unhex(config), in_band});
  EXPECT_TRUE(format.is_ok()) << format.status().message();
  return format.is_ok() ? *format : TrackFormat{};
}

std::string entry(const TrackFormat& format, FileType file_type, uint16_t width = 0, uint16_t height = 0) {
  BoxWriter w;
  write_sample_entry(w, format, file_type, {.width = width, .height = height, .bitrates = {}});
  return hex(w.data());
}

// VisualSampleEntry fields up to and including pre_defined -1, for a 320x240 picture.
std::string visual_fields(const std::string& compressor_name_hex) {
  return "000000000000 0001"                   // reserved, data_reference_index 1
         "0000 0000 000000000000000000000000"  // pre_defined, reserved, pre_defined[3]
         "0140 00f0"                           // width 320, height 240
         "00480000 00480000 00000000"          // 72 dpi, 72 dpi, reserved
         "0001" +                              // frame_count
         compressor_name_hex +                 // 32-byte Pascal string
         "0018 ffff";                          // depth 24, pre_defined -1
}

TEST(SampleEntries, avc1_entry_holds_visual_fields_and_avcC) {
  std::string expected = "00000089 61766331" +                                              // 137 bytes, 'avc1'
                         visual_fields("0a 41564320436f64696e67" + std::string(42, '0')) +  // "AVC Coding"
                         "00000033 61766343" + kAvcRecord;                                  // avcC: the record as given
  EXPECT_EQ(entry(format_of(Codec::kH264, kAvcRecord), FileType::kMpeg4, 320, 240), hex(unhex(expected)));
}

TEST(SampleEntries, hvc1_entry_holds_visual_fields_and_hvcC) {
  std::string expected = "000000d4 68766331" +  // 8 + 78 + 126 bytes, 'hvc1'
                         visual_fields("0b 48455643 20436f64 696e67" + std::string(40, '0')) +  // "HEVC Coding"
                         "0000007e 68766343" + kHevcRecord;
  EXPECT_EQ(entry(format_of(Codec::kHevc, kHevcRecord), FileType::kMpeg4, 320, 240), hex(unhex(expected)));
}

TEST(SampleEntries, in_band_entries_are_named_avc3_and_hev1) {
  std::string avc3 = entry(format_of(Codec::kH264, kAvcRecord, true), FileType::kMpeg4, 320, 240);
  EXPECT_EQ(avc3.substr(9, 8), "61766333");
  std::string hev1 = entry(format_of(Codec::kHevc, kHevcRecord, true), FileType::kQuickTimeMovie, 320, 240);
  EXPECT_EQ(hev1.substr(9, 8), "68657631");
}

TEST(SampleEntries, mp4a_entry_for_iso_files_is_version_0_with_esds) {
  std::string expected =
      "00000057 6d703461"           // 87 bytes, 'mp4a'
      "000000000000 0001"           // reserved, data_reference_index 1
      "00000000 00000000"           // reserved
      "0002 0010 0000 0000"         // channelcount 2, samplesize 16, pre_defined, reserved
      "ac440000"                    // 44100 << 16
      "00000033 65736473 00000000"  // esds full box, version 0, flags 0
      "03 80808022 0000 00"         // ES_Descriptor
      "04 80808014 40 15 000000 00000000 00000000"
      "05 80808002 1210"
      "06 80808001 02";
  TrackFormat format = format_of(Codec::kAac, "1210");
  EXPECT_EQ(entry(format, FileType::kMpeg4), hex(unhex(expected)));
  // Every ISO flavour writes the same entry.
  for (FileType type : {FileType::kAppleM4A, FileType::kAppleM4V, FileType::k3Gpp}) {
    EXPECT_EQ(entry(format, type), hex(unhex(expected))) << static_cast<int>(type);
  }
}

TEST(SampleEntries, mp4a_entry_for_quicktime_is_sound_description_v1_with_wave) {
  std::string expected =
      "0000008f 6d703461"                    // 143 bytes, 'mp4a'
      "000000000000 0001"                    // reserved, data_reference_index 1
      "0001 0000 00000000"                   // version 1, revision 0, vendor
      "0002 0010 fffe 0000"                  // channels 2, sample size 16, compression ID -2, packet size
      "ac440000"                             // 44100 << 16
      "00000400 00000000 00000000 00000002"  // samples per packet 1024, bytes per packet/frame, bytes per sample
      "0000005b 77617665"                    // 'wave'
      "0000000c 66726d61 6d703461"           //   'frma' → mp4a
      "0000000c 6d703461 00000000"           //   'mp4a' with 4 zero bytes
      "00000033 65736473 00000000"           //   'esds'
      "03 80808022 0000 00"
      "04 80808014 40 15 000000 00000000 00000000"
      "05 80808002 1210"
      "06 80808001 02"
      "00000008 00000000";  //   terminator
  EXPECT_EQ(entry(format_of(Codec::kAac, "1210"), FileType::kQuickTimeMovie), hex(unhex(expected)));
}

TEST(SampleEntries, quicktime_entry_uses_960_sample_packets_when_the_asc_says_so) {
  BoxWriter w;
  write_sample_entry(w, format_of(Codec::kAac, "1194"), FileType::kQuickTimeMovie, {});
  ASSERT_GT(w.data().size(), 40u);
  // the 16.16 rate 48000 at offset 32, then samples per packet
  EXPECT_EQ(hex(std::span(w.data()).subspan(32, 8)), "bb800000 000003c0");
}

TEST(SampleEntries, rates_above_65535_write_zero_in_the_16_16_field) {
  TrackFormat format = format_of(Codec::kAac, "103056e500");  // 96 kHz 5.1
  BoxWriter w;
  write_sample_entry(w, format, FileType::kMpeg4, {});
  const std::vector<uint8_t>& data = w.data();
  ASSERT_GT(data.size(), 36u);
  EXPECT_EQ(hex(std::span(data).subspan(24, 12)), "00060010 00000000 00000000");
}

}  // namespace
}  // namespace aw
