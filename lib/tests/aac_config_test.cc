// AudioSpecificConfig parsing against configs written by avenc_aac and voaacenc, hand-built configs for
// the rarer forms (explicit frequency, 7350 Hz, HE-AAC signalling), and the esds ES_Descriptor.
#include "codecs/aac_config.h"

#include <gtest/gtest.h>

#include "codecs/track_format.h"
#include "golden.h"

namespace aw {
namespace {

AacConfig parse_ok(const char* text) {
  auto result = parse_aac_config(unhex(text));
  EXPECT_TRUE(result.is_ok()) << text << ": " << result.status().message();
  return result.is_ok() ? *result : AacConfig{};
}

Status error_of(const char* text) {
  auto result = parse_aac_config(unhex(text));
  EXPECT_FALSE(result.is_ok()) << text;
  return result.status();
}

TEST(AacConfig, encoder_configs_give_rate_channels_and_frame_size) {
  struct Case {
    const char* asc;
    uint32_t rate, channels;
  } cases[] = {
      {"1210", 44100, 2},                                  // voaacenc 44.1 kHz stereo
      {"1188", 48000, 1},                                  // voaacenc 48 kHz mono
      {"1588", 8000, 1},                                   // voaacenc 8 kHz mono
      {"121056e500", 44100, 2},                            // avenc_aac: adds a sync extension saying "no SBR"
      {"118856e500", 48000, 1}, {"103056e500", 96000, 6},  // avenc_aac 96 kHz 5.1
  };
  for (const Case& c : cases) {
    AacConfig config = parse_ok(c.asc);
    EXPECT_EQ(config.object_type, 2u) << c.asc;
    EXPECT_EQ(config.sample_rate, c.rate) << c.asc;
    EXPECT_EQ(config.channels, c.channels) << c.asc;
    EXPECT_EQ(config.samples_per_frame, 1024u) << c.asc;
    EXPECT_FALSE(config.sbr) << c.asc;
    EXPECT_EQ(aac_codec_string(config), "mp4a.40.2");
  }
}

TEST(AacConfig, index_12_is_7350_hz) {
  AacConfig c = parse_ok("1608");
  EXPECT_EQ(c.sample_rate, 7350u);
  EXPECT_EQ(c.channels, 1u);
}

TEST(AacConfig, index_15_reads_an_explicit_24_bit_rate) {
  AacConfig c = parse_ok("1780157c10");
  EXPECT_EQ(c.sample_rate, 11000u);
  EXPECT_EQ(c.channels, 2u);
}

TEST(AacConfig, frame_length_flag_means_960_samples) {
  AacConfig c = parse_ok("1194");
  EXPECT_EQ(c.sample_rate, 48000u);
  EXPECT_EQ(c.samples_per_frame, 960u);
}

TEST(AacConfig, explicit_sbr_reports_the_core_and_notes_the_extension) {
  AacConfig c = parse_ok("2b118800");  // object type 5, 24 kHz core, 48 kHz output, stereo, core AAC LC
  EXPECT_EQ(c.object_type, 2u);
  EXPECT_EQ(c.sample_rate, 24000u);
  EXPECT_EQ(c.channels, 2u);
  EXPECT_TRUE(c.sbr);
  EXPECT_FALSE(c.ps);
  EXPECT_EQ(c.extension_sample_rate, 48000u);
  EXPECT_EQ(aac_codec_string(c), "mp4a.40.5");
}

TEST(AacConfig, explicit_ps_is_he_aac_v2) {
  AacConfig c = parse_ok("eb098800");  // object type 29, mono core, 24 → 48 kHz
  EXPECT_EQ(c.object_type, 2u);
  EXPECT_EQ(c.sample_rate, 24000u);
  EXPECT_EQ(c.channels, 1u);
  EXPECT_TRUE(c.sbr);
  EXPECT_TRUE(c.ps);
  EXPECT_EQ(c.extension_sample_rate, 48000u);
  EXPECT_EQ(aac_codec_string(c), "mp4a.40.29");
}

TEST(AacConfig, backward_compatible_sbr_and_ps_signalling_is_noted) {
  AacConfig sbr = parse_ok("139056e5a0");
  EXPECT_EQ(sbr.sample_rate, 22050u);
  EXPECT_TRUE(sbr.sbr);
  EXPECT_FALSE(sbr.ps);
  EXPECT_EQ(sbr.extension_sample_rate, 44100u);
  EXPECT_EQ(aac_codec_string(sbr), "mp4a.40.2");  // the core type is signalled, old decoders play it

  AacConfig ps = parse_ok("138856e5a54880");
  EXPECT_EQ(ps.channels, 1u);
  EXPECT_TRUE(ps.sbr);
  EXPECT_TRUE(ps.ps);
}

TEST(AacConfig, escaped_object_type_is_read_and_rejected_when_not_aac) {
  Status s = error_of("f94840");  // 31 + 6 bits: type 42 (USAC)
  EXPECT_EQ(s.code(), ErrorCode::kUnsupported);
  EXPECT_EQ(s.message(), "AudioSpecificConfig object type 42 is not AAC");
}

TEST(AacConfig, reserved_sample_rate_indices_are_errors) {
  Status s13 = error_of("1690");
  EXPECT_EQ(s13.code(), ErrorCode::kMalformedConfig);
  EXPECT_EQ(s13.message(), "AudioSpecificConfig sampling frequency index 13 is reserved");
  EXPECT_EQ(error_of("1710").message(), "AudioSpecificConfig sampling frequency index 14 is reserved");
}

TEST(AacConfig, channel_configuration_0_is_unsupported) {
  Status s = error_of("1200");
  EXPECT_EQ(s.code(), ErrorCode::kUnsupported);
  EXPECT_EQ(s.message(),
            "AudioSpecificConfig channel configuration 0 (layout in a program_config_element) is not supported");
}

TEST(AacConfig, reserved_channel_configuration_is_an_error) {
  EXPECT_EQ(error_of("1240").message(), "AudioSpecificConfig channel configuration 8 is reserved");
}

TEST(AacConfig, short_or_truncated_configs_are_errors) {
  EXPECT_EQ(error_of("12").message(), "AudioSpecificConfig length 1 is shorter than 2 bytes");
  EXPECT_FALSE(parse_aac_config({}).is_ok());
  for (const char* text : {"1780157c10", "2b118800"}) {
    std::vector<uint8_t> asc = unhex(text);
    for (size_t length = 0; length < asc.size(); ++length) {
      std::vector<uint8_t> prefix(asc.begin(), asc.begin() + static_cast<ptrdiff_t>(length));
      EXPECT_FALSE(parse_aac_config(prefix).is_ok()) << text << " cut to " << length;
    }
  }
}

TEST(AacConfig, object_type_0_is_an_error) {
  EXPECT_EQ(error_of("0010").message(), "AudioSpecificConfig object type 0 is invalid");
}

TEST(EsDescriptor, wraps_the_asc_in_decoder_config_and_sl_config) {
  std::vector<uint8_t> asc = unhex("1210");
  // Written in descriptor order; hex(unhex()) regroups it into 4-byte words like hex() does.
  EXPECT_EQ(hex(make_es_descriptor(asc)),
            hex(unhex("03 80808022 0000 00"                         // ES_Descriptor, 34 bytes: ES_ID 0, no flags
                      "04 80808014 40 15 000000 00000000 00000000"  // DecoderConfig: AAC, audio, no rates
                      "05 80808002 1210"                            // DecoderSpecificInfo: the ASC
                      "06 80808001 02")));                          // SLConfig: predefined 2
}

TEST(EsDescriptor, carries_bitrates_and_clamps_the_24_bit_buffer_size) {
  std::vector<uint8_t> asc = unhex("121056e500");
  std::vector<uint8_t> es = make_es_descriptor(asc, {0x1234567, 128000, 125000});
  EXPECT_EQ(hex(es), hex(unhex("03 80808025 0000 00"
                               "04 80808017 40 15 ffffff 0001f400 0001e848"
                               "05 80808005 121056e500"
                               "06 80808001 02")));
}

TEST(AacTrackFormat, mp4a_entry_gets_the_es_descriptor_and_audio_fields) {
  FormatDescription description{Codec::kAac, unhex("1210"), false};
  auto format = make_track_format(description);
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  EXPECT_EQ(format->media_type, MediaType::kAudio);
  EXPECT_EQ(format->sample_entry, FourCC("mp4a"));
  EXPECT_EQ(format->config_box, FourCC("esds"));
  EXPECT_EQ(format->config_payload, make_es_descriptor(description.configuration));
  EXPECT_EQ(format->sample_rate, 44100u);
  EXPECT_EQ(format->channels, 2u);
  EXPECT_EQ(format->samples_per_frame, 1024u);
  EXPECT_EQ(format->codec_string, "mp4a.40.2");
}

TEST(AacTrackFormat, errors_keep_their_codes) {
  auto format = make_track_format({Codec::kAac, unhex("1200"), false});
  ASSERT_FALSE(format.is_ok());
  EXPECT_EQ(format.status().code(), ErrorCode::kUnsupported);
}

}  // namespace
}  // namespace aw
