// Golden bytes of the sample entries of AV1, VP9, ProRes, JPEG, ALAC, Opus, FLAC, AC-3, E-AC-3, MP3 and PCM,
// with the colour extensions and measured bitrates where they apply.
#include <gtest/gtest.h>

#include <algorithm>

#include "boxes/sample_entries.h"
#include "codecs/track_format.h"
#include "golden.h"

namespace aw {
namespace {

TrackFormat format_of(const FormatDescription& description) {
  auto format = make_track_format(description);
  EXPECT_TRUE(format.is_ok()) << format.status().message();
  return format.is_ok() ? *format : TrackFormat{};
}

std::string entry(const TrackFormat& format, FileType file_type, uint16_t width = 0, uint16_t height = 0,
                  Bitrates rates = {}) {
  BoxWriter w;
  write_sample_entry(w, format, file_type, {.width = width, .height = height, .bitrates = rates});
  return hex(w.data());
}

// Compressor name field: length byte, the name, zero padding to 32 bytes.
std::string name_field(const std::string& name) {
  std::string out = hex(std::vector<uint8_t>{static_cast<uint8_t>(name.size())});
  out += hex(std::vector<uint8_t>(name.begin(), name.end()));
  out += std::string(2 * (31 - name.size()), '0');
  return out;
}

// VisualSampleEntry fields for a 64x48 picture.
std::string visual_fields(const std::string& name) {
  return "000000000000 0001 0000 0000 000000000000000000000000 0040 0030 00480000 00480000 00000000 0001" +
         name_field(name) + "0018 ffff";
}

// Version 0 AudioSampleEntry fields up to the sample rate.
std::string audio_fields(const std::string& channels, const std::string& sample_size, const std::string& rate) {
  return "000000000000 0001 00000000 00000000" + channels + sample_size + "0000 0000" + rate;
}

std::vector<uint8_t> entry_bytes(const TrackFormat& format, FileType file_type, Bitrates rates = {}) {
  BoxWriter w;
  write_sample_entry(w, format, file_type, {.width = 64, .height = 48, .bitrates = rates});
  return w.data();
}

bool contains(const std::vector<uint8_t>& data, const std::string& needle_hex) {
  std::vector<uint8_t> needle = unhex(needle_hex);
  return std::search(data.begin(), data.end(), needle.begin(), needle.end()) != data.end();
}

bool ends_with(const std::vector<uint8_t>& data, const std::string& tail_hex) {
  std::vector<uint8_t> tail = unhex(tail_hex);
  return data.size() >= tail.size() && std::equal(tail.begin(), tail.end(), data.end() - tail.size());
}

const char* kAv1TemporalUnit = "1200 0a0b 00000002aff7f07ffe6010 32840315afac004000dba1e09bae39";

TEST(CodecSampleEntries, av01_with_av1C_and_colour_from_the_caller) {
  FormatDescription d{.codec = Codec::kAv1};
  d.first_sample = unhex(kAv1TemporalUnit);
  d.color = ColorDescription{1, 1, 1, false};
  TrackFormat format = format_of(d);
  EXPECT_EQ(format.width, 64u);
  EXPECT_EQ(format.height, 48u);
  std::string av1c = "81 00 0c 00 0a0b00000002aff7f07ffe6010";  // level idx 0 from this sequence header
  std::string expected = "00000082 61763031" + visual_fields("AV1 Coding") + "00000019 61763143" + av1c +
                         "00000013 636f6c72 6e636c78 0001 0001 0001 00";
  EXPECT_EQ(entry(format, FileType::kMpeg4, 64, 48), hex(unhex(expected)));
}

TEST(CodecSampleEntries, vp09_with_vpcC_and_btrt_from_measured_rates) {
  FormatDescription d{.codec = Codec::kVp9};
  d.width = 64;
  d.height = 48;
  d.profile = 0;
  d.bit_depth = 8;
  TrackFormat format = format_of(d);
  std::string expected = "0000007e 76703039" + visual_fields("VP9 Coding") +
                         "00000014 76706343 01000000 00 0a 82 02 02 02 0000"  // vpcC: profile 0, level 1.0, 8-bit 4:2:0
                         "00000014 62747274 00000fa0 0003d090 00030d40";      // btrt
  EXPECT_EQ(entry(format, FileType::kMpeg4, 64, 48, {4000, 250000, 200000}), hex(unhex(expected)));
}

TEST(CodecSampleEntries, prores_entries_by_variant_with_nclc_pasp_and_fiel) {
  FormatDescription d{.codec = Codec::kProRes};
  d.prores_variant = ProResVariant::kHq;
  d.color = ColorDescription{1, 1, 1, false};
  d.pixel_aspect_h = 10;
  d.pixel_aspect_v = 11;
  d.field_order = FieldOrder::kTopFirst;
  std::string expected = "00000082 61706368" + visual_fields("Apple ProRes 422 HQ") +
                         "0000000a 6669656c 0201"                       // fiel: 2 fields, top first
                         "00000012 636f6c72 6e636c63 0001 0001 0001"    // colr nclc
                         "00000010 70617370 0000000a 0000000b";         // pasp 10:11
  // QuickTime writes no btrt even when the rates are known.
  EXPECT_EQ(entry(format_of(d), FileType::kQuickTimeMovie, 64, 48, {4000, 250000, 200000}), hex(unhex(expected)));
  const std::pair<ProResVariant, const char*> variants[] = {
      {ProResVariant::kProxy, "apco"}, {ProResVariant::kLt, "apcs"},    {ProResVariant::kStandard, "apcn"},
      {ProResVariant::kHq, "apch"},    {ProResVariant::k4444, "ap4h"}, {ProResVariant::k4444Xq, "ap4x"}};
  for (auto [variant, fourcc] : variants) {
    d.prores_variant = variant;
    EXPECT_EQ(format_of(d).sample_entry.to_string(), fourcc);
  }
}

TEST(CodecSampleEntries, jpeg_has_no_configuration_box) {
  FormatDescription d{.codec = Codec::kJpeg};
  std::string expected = "00000056 6a706567" + visual_fields("Photo - JPEG");
  EXPECT_EQ(entry(format_of(d), FileType::kMpeg4, 64, 48), hex(unhex(expected)));
}

TEST(CodecSampleEntries, hdr_hevc_in_mp4_gets_mdcv_and_clli) {
  // The colour extensions follow any configuration box; checked on AV1 to keep the record short.
  FormatDescription d{.codec = Codec::kAv1};
  d.first_sample = unhex(kAv1TemporalUnit);
  d.content_light_level = ContentLightLevel{1000, 400};
  EXPECT_TRUE(ends_with(entry_bytes(format_of(d), FileType::kMpeg4), "0000000c 636c6c69 03e8 0190"));
  EXPECT_TRUE(ends_with(entry_bytes(format_of(d), FileType::kQuickTimeMovie), "00000010 436f4c4c 00000000 03e8 0190"));
}

TEST(CodecSampleEntries, alac_entry_holds_the_alac_full_box) {
  FormatDescription d{.codec = Codec::kAlac};
  d.configuration = unhex("00000024616c616300000000000010000018280a0e01000000003004001026600000ac44");
  std::string expected = "00000048 616c6163" + audio_fields("0001", "0018", "ac440000") +
                         "00000024 616c6163 00000000 000010000018280a0e01000000003004001026600000ac44";
  EXPECT_EQ(entry(format_of(d), FileType::kAppleM4A), hex(unhex(expected)));
  // QuickTime uses the same version 0 layout with the box in the entry.
  EXPECT_EQ(entry(format_of(d), FileType::kQuickTimeMovie), hex(unhex(expected)));
}

TEST(CodecSampleEntries, opus_entry_is_48kHz_with_dOps_and_priming) {
  FormatDescription d{.codec = Codec::kOpus};
  d.configuration = unhex("4f707573486561640102380180bb0000000000");
  TrackFormat format = format_of(d);
  EXPECT_EQ(format.priming_samples, 312u);
  std::string expected = "00000037 4f707573" + audio_fields("0002", "0010", "bb800000") +
                         "00000013 644f7073 00 02 0138 0000bb80 0000 00";
  EXPECT_EQ(entry(format, FileType::kMpeg4), hex(unhex(expected)));
}

TEST(CodecSampleEntries, flac_entry_holds_dfLa_with_streaminfo) {
  FormatDescription d{.codec = Codec::kFlac};
  // Blocks of 4608, 44.1 kHz, 2 channels, 16 bits, unknown length, no MD5.
  const std::string info = "1200 1200 000000 000000 0ac442f0 00000000" + std::string(32, '0');
  d.configuration = unhex("664c6143 00000022" + info);
  std::string expected = "00000056 664c6143" + audio_fields("0002", "0010", "ac440000") +
                         "00000032 64664c61 00000000 80000022" + info;
  EXPECT_EQ(entry(format_of(d), FileType::kMpeg4), hex(unhex(expected)));
}

TEST(CodecSampleEntries, ac3_and_eac3_entries_from_the_first_frame) {
  FormatDescription ac3{.codec = Codec::kAc3};
  ac3.first_sample = unhex("0b774bee144043e106f46370c0c0c218");
  EXPECT_EQ(entry(format_of(ac3), FileType::kMpeg4),
            hex(unhex("0000002f 61632d33" + audio_fields("0002", "0010", "bb800000") + "0000000b 64616333 101140")));
  FormatDescription eac3{.codec = Codec::kEac3};
  eac3.first_sample = unhex("0b77017f3487c00020842108");
  eac3.first_sample.resize(768);
  EXPECT_EQ(entry(format_of(eac3), FileType::kMpeg4),
            hex(unhex("00000031 65632d33" + audio_fields("0002", "0010", "bb800000") +
                      "0000000d 64656333 0600200400")));
}

TEST(CodecSampleEntries, mp3_is_mp4a_with_object_type_6b_in_iso_and_dot_mp3_in_quicktime) {
  FormatDescription d{.codec = Codec::kMp3};
  d.sample_rate = 44100;
  d.channels = 2;
  TrackFormat format = format_of(d);
  // No DecoderSpecificInfo: the ES_Descriptor is 27 bytes, its DecoderConfigDescriptor 13.
  std::string esds = "0000002c 65736473 00000000 03 8080801b 0000 00 04 8080800d 6b 15 000000 00000000 00000000"
                     "06 80808001 02";
  EXPECT_EQ(entry(format, FileType::kMpeg4),
            hex(unhex("00000050 6d703461" + audio_fields("0002", "0010", "ac440000") + esds)));
  // With measured rates the DecoderConfigDescriptor states them.
  EXPECT_TRUE(contains(entry_bytes(format, FileType::kMpeg4, {1044, 128000, 128000}), "6b 15 000414 0001f400 0001f400"));
  EXPECT_EQ(entry(format, FileType::kQuickTimeMovie),
            hex(unhex("00000034 2e6d7033 000000000000 0001 0001 0000 00000000 0002 0010 fffe 0000 ac440000"
                      "00000480 00000000 00000000 00000002")));
}

TEST(CodecSampleEntries, aac_esds_carries_measured_rates) {
  FormatDescription d{.codec = Codec::kAac};
  d.configuration = unhex("1210");
  EXPECT_TRUE(contains(entry_bytes(format_of(d), FileType::kMpeg4, {700, 130000, 128000}),
                       "40 15 0002bc 0001fbd0 0001f400"));
  EXPECT_TRUE(contains(entry_bytes(format_of(d), FileType::kQuickTimeMovie, {700, 130000, 128000}),
                       "40 15 0002bc 0001fbd0 0001f400"));
}

FormatDescription pcm(uint32_t bits, bool is_float, bool little_endian, uint32_t channels = 2,
                      uint32_t rate = 48000) {
  FormatDescription d{.codec = Codec::kPcm};
  d.pcm = {bits, is_float, little_endian, true};
  d.channels = channels;
  d.sample_rate = rate;
  return d;
}

TEST(CodecSampleEntries, pcm_in_iso_files_is_ipcm_or_fpcm_with_pcmC) {
  TrackFormat s16 = format_of(pcm(16, false, true));
  EXPECT_EQ(s16.pcm_frame_bytes, 4u);
  EXPECT_EQ(entry(s16, FileType::kMpeg4),
            hex(unhex("00000032 6970636d" + audio_fields("0002", "0010", "bb800000") + "0000000e 70636d43 00000000 01 10")));
  TrackFormat f32be = format_of(pcm(32, true, false, 1));
  EXPECT_EQ(f32be.pcm_frame_bytes, 4u);
  EXPECT_EQ(entry(f32be, FileType::kMpeg4),
            hex(unhex("00000032 6670636d" + audio_fields("0001", "0020", "bb800000") + "0000000e 70636d43 00000000 00 20")));
}

TEST(CodecSampleEntries, pcm_in_quicktime_uses_the_classic_fourccs_where_they_fit) {
  const std::pair<FormatDescription, const char*> cases[] = {
      {pcm(16, false, true), "sowt"}, {pcm(16, false, false), "twos"}, {pcm(24, false, false), "in24"},
      {pcm(32, false, false), "in32"}, {pcm(32, true, false), "fl32"}, {pcm(64, true, false), "fl64"}};
  for (const auto& [description, fourcc] : cases) {
    TrackFormat format = format_of(description);
    std::string bits = hex(std::vector<uint8_t>{0, static_cast<uint8_t>(description.pcm.bits_per_sample)});
    // Ends with 'chan': kAudioChannelLayoutTag_Stereo (101 << 16 | 2).
    std::string expected = "0000003c" + hex(std::vector<uint8_t>(fourcc, fourcc + 4)) +
                           "000000000000 0001 0000 0000 00000000 0002" + bits + "0000 0000 bb800000" +
                           "00000018 6368616e 00000000 00650002 00000000 00000000";
    EXPECT_EQ(entry(format, FileType::kQuickTimeMovie), hex(unhex(expected))) << fourcc;
  }
}

TEST(CodecSampleEntries, little_endian_wide_or_multichannel_pcm_in_quicktime_is_lpcm_v2) {
  TrackFormat format = format_of(pcm(24, false, true, 6, 96000));
  EXPECT_EQ(format.pcm_frame_bytes, 18u);
  std::string expected = "00000060 6c70636d 000000000000 0001"
                         "0002 0000 00000000"           // version 2, revision, vendor
                         "0003 0010 fffe 0000 00010000"  // always 3, 16, -2, 0, 65536
                         "00000048"                     // sizeOfStructOnly 72
                         "40f77000 00000000"            // 96000.0
                         "00000006 7f000000 00000018"   // channels, always 0x7F000000, 24 bits
                         "0000000c"                     // flags: signed integer, packed (little endian)
                         "00000012 00000001"            // 18 bytes per packet, 1 frame per packet
                         // 'chan': 6 channels without positions (kAudioChannelLayoutTag_DiscreteInOrder | 6)
                         "00000018 6368616e 00000000 00930006 00000000 00000000";
  EXPECT_EQ(entry(format, FileType::kQuickTimeMovie), hex(unhex(expected)));
  // Float little-endian: float + packed.
  EXPECT_EQ(entry(format_of(pcm(32, true, true)), FileType::kQuickTimeMovie).substr(9, 8), "6c70636d");
}

TEST(CodecSampleEntries, mono_pcm_in_quicktime_states_the_mono_layout) {
  const std::string e = entry(format_of(pcm(16, false, false, 1)), FileType::kQuickTimeMovie);
  EXPECT_EQ(e.substr(e.size() - 53), "00000018 6368616e 00000000 00640001 00000000 00000000");
}

TEST(CodecSampleEntries, pcm_refuses_layouts_it_cannot_describe) {
  EXPECT_FALSE(make_track_format(pcm(20, false, true)).is_ok());
  EXPECT_FALSE(make_track_format(pcm(16, true, true)).is_ok());
  EXPECT_FALSE(make_track_format(pcm(16, false, true, 0)).is_ok());
}

}  // namespace
}  // namespace aw
