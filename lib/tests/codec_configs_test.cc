// Configuration parsers of the codecs besides H.264/H.265/AAC, on records made here by real encoders
// (GStreamer av1enc, avenc_ac3, avenc_eac3, avenc_alac, opusenc, flacenc), and on malformed records.
#include <gtest/gtest.h>

#include "codecs/audio_configs.h"
#include "codecs/av1_config.h"
#include "codecs/avc_config.h"
#include "codecs/file_type_support.h"
#include "codecs/in_band_config.h"
#include "codecs/track_format.h"
#include "codecs/video_configs.h"
#include "golden.h"

namespace aw {
namespace {

// av1enc 64x48 I420, first temporal unit up to the sequence header: a temporal delimiter, then the
// sequence header OBU (type 1, with its size), then the start of the frame OBU.
const char* kAv1TemporalUnit = "1200 0a0b 00000002aff7f07ffe6010 32840315afac004000dba1e09bae39";
const char* kAv1SequenceHeaderObu = "0a0b00000002aff7f07ffe6010";
// avenc_ac3 and avenc_eac3, 48 kHz stereo, 192 kbit/s: the first bytes of the first syncframe.
const char* kAc3Frame = "0b774bee144043e106f46370c0c0c218";
const char* kEac3Frame = "0b77017f3487c00020842108";
// avenc_alac mono 44.1 kHz: FFmpeg's extradata is the whole 'alac' atom.
const char* kAlacCookie = "00000024616c616300000000000010000018280a0e01000000003004001026600000ac44";
// opusenc mono: OpusHead, version 1, 1 channel, pre-skip 312, 48000 Hz, gain 0, family 0.
const char* kOpusHead = "4f707573486561640101380180bb0000000000";
// flacenc mono 44.1 kHz 8-bit (audiotestsrc negotiated S8): the first streamheader packet (Ogg FLAC mapping) without its 9-byte prefix.
const char* kFlacMetadata = "664c614300000022120012000000000000000ac440700000000000000000000000000000000000000000";

TEST(Av1Config, builds_av1C_from_the_sequence_header_of_the_first_temporal_unit) {
  auto config = make_av1_config({}, unhex(kAv1TemporalUnit));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->sequence_header.profile, 0);
  EXPECT_EQ(config->sequence_header.width, 64u);
  EXPECT_EQ(config->sequence_header.height, 48u);
  EXPECT_EQ(config->sequence_header.bit_depth(), 8u);
  // 81: marker+version; profile 0 and level idx; 4:2:0 (subsampling x and y set); no presentation delay.
  std::string expected = hex(unhex("81") ) + hex(std::vector<uint8_t>{static_cast<uint8_t>(config->sequence_header.level_idx_0)}) +
                         "0c00" + std::string(kAv1SequenceHeaderObu);
  EXPECT_EQ(hex(config->record), hex(unhex(expected)));
  EXPECT_EQ(av1_codec_string(config->sequence_header).substr(0, 8), "av01.0.0");
}

TEST(Av1Config, an_av1C_with_its_configOBUs_needs_no_first_sample) {
  auto from_sample = make_av1_config({}, unhex(kAv1TemporalUnit));
  ASSERT_TRUE(from_sample.is_ok());
  auto from_record = make_av1_config(from_sample->record, {});
  ASSERT_TRUE(from_record.is_ok()) << from_record.status().message();
  EXPECT_EQ(hex(from_record->record), hex(from_sample->record));
}

// AV1-ISOBMFF 2.4: samples SHOULD NOT hold temporal delimiters; the writer stores the temporal unit after them.
TEST(Av1Config, stored_samples_start_after_their_temporal_delimiters) {
  const std::vector<uint8_t> unit = unhex(kAv1TemporalUnit);
  EXPECT_EQ(hex(without_temporal_delimiters(unit)), hex(std::span(unit).subspan(2)));
  // Two delimiters (one with an extension header byte: 0x16), then the sequence header.
  const std::vector<uint8_t> two = unhex("1200 1608 00" + std::string(kAv1SequenceHeaderObu));
  EXPECT_EQ(hex(without_temporal_delimiters(two)), hex(unhex(kAv1SequenceHeaderObu)));
  // Nothing but a delimiter, a unit without one, and bytes that do not parse stay whole.
  for (const char* kept : {"1200", kAv1SequenceHeaderObu, "80"}) {
    const std::vector<uint8_t> sample = unhex(kept);
    EXPECT_EQ(hex(without_temporal_delimiters(sample)), hex(sample)) << kept;
  }
  auto format = make_track_format({.codec = Codec::kAv1, .first_sample = unit});
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  EXPECT_EQ(stored_payload(*format, unit).size(), unit.size() - 2);
}

TEST(Av1Config, refuses_a_stream_without_a_sequence_header) {
  auto config = make_av1_config({}, unhex("1200"));
  ASSERT_FALSE(config.is_ok());
  EXPECT_EQ(config.status().message(), "AV1 stream has no sequence header OBU in its first temporal unit");
  EXPECT_EQ(make_av1_config(unhex("8100"), {}).status().code(), ErrorCode::kMalformedConfig);
  EXPECT_FALSE(make_av1_config({}, unhex("0a 20 0000")).is_ok());  // declares 32 bytes, has 2
}

TEST(Ac3Config, dac3_from_the_first_syncframe) {
  auto config = make_ac3_config(unhex(kAc3Frame));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  // fscod 0 (48 kHz), bsid 8, bsmod 0, acmod 2 (L R), lfeon 0, bit_rate_code 10 (192 kbit/s), reserved.
  EXPECT_EQ(hex(config->box_payload), "101140");
  EXPECT_EQ(config->sample_rate, 48000u);
  EXPECT_EQ(config->channels, 2u);
  EXPECT_EQ(config->samples_per_frame, 1536u);
  EXPECT_FALSE(make_ac3_config(unhex("0b780000000000")).is_ok());
}

TEST(Eac3Config, dec3_from_the_first_access_unit) {
  std::vector<uint8_t> frame = unhex(kEac3Frame);
  frame.resize(768);  // frmsiz 383: the whole 768-byte syncframe
  auto config = make_eac3_config(frame);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  // data_rate 192, one independent substream: fscod 0, bsid 16, acmod 2, no LFE, no dependent substreams.
  EXPECT_EQ(hex(config->box_payload), "06002004 00");
  EXPECT_EQ(config->sample_rate, 48000u);
  EXPECT_EQ(config->channels, 2u);
  EXPECT_FALSE(make_eac3_config(unhex("0b77017f")).is_ok());
}

TEST(AlacConfig, the_cookie_in_its_alac_atom_or_bare) {
  auto config = make_alac_config(unhex(kAlacCookie));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(hex(config->box_payload), hex(unhex(std::string(kAlacCookie).substr(24))));
  EXPECT_EQ(config->samples_per_frame, 4096u);
  EXPECT_EQ(config->bits_per_sample, 24u);  // FFmpeg's encoder took S32 from audiotestsrc: 24-bit ALAC
  EXPECT_EQ(config->channels, 1u);
  EXPECT_EQ(config->sample_rate, 44100u);
  auto bare = make_alac_config(config->box_payload);
  ASSERT_TRUE(bare.is_ok());
  EXPECT_EQ(hex(bare->box_payload), hex(config->box_payload));
  // A QuickTime-style cookie: frma naming alac first, then the alac atom.
  std::vector<uint8_t> wave = unhex("0000000c 66726d61 616c6163");
  std::vector<uint8_t> atom = unhex(kAlacCookie);
  wave.insert(wave.end(), atom.begin(), atom.end());
  auto in_wave = make_alac_config(wave);
  ASSERT_TRUE(in_wave.is_ok());
  EXPECT_EQ(hex(in_wave->box_payload), hex(config->box_payload));
  EXPECT_FALSE(make_alac_config(unhex("0000")).is_ok());
}

TEST(OpusConfig, dOps_is_the_OpusHead_big_endian_with_pre_skip_as_priming) {
  auto config = make_opus_config(unhex(kOpusHead));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  // Version 0, 1 channel, pre-skip 312, input rate 48000, gain 0, family 0.
  EXPECT_EQ(hex(config->box_payload), hex(unhex("00 01 0138 0000bb80 0000 00")));
  EXPECT_EQ(config->priming_samples, 312u);
  EXPECT_EQ(config->sample_rate, 48000u);
  EXPECT_FALSE(make_opus_config(unhex("4f70757348656164")).is_ok());
}

TEST(OpusConfig, mapping_family_1_carries_its_table) {
  // 6 channels, family 1: 4 streams, 2 coupled, mapping 0 4 1 2 3 5.
  auto config = make_opus_config(unhex("4f70757348656164 01 06 3801 80bb0000 0000 01 04 02 000401020305"));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(hex(config->box_payload), hex(unhex("00 06 0138 0000bb80 0000 01 04 02 000401020305")));
  EXPECT_EQ(config->channels, 6u);
}

TEST(FlacConfig, dfLa_holds_the_STREAMINFO_flagged_last) {
  auto config = make_flac_config(unhex(kFlacMetadata));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(hex(config->box_payload), hex(unhex("80000022" + std::string(kFlacMetadata).substr(16))));
  EXPECT_EQ(config->sample_rate, 44100u);
  EXPECT_EQ(config->channels, 1u);
  EXPECT_EQ(config->bits_per_sample, 8u);
  EXPECT_EQ(config->samples_per_frame, 4608u);
  EXPECT_FALSE(make_flac_config(unhex("664c614301000022")).is_ok());
}

TEST(InBandConfig, avcC_from_the_parameter_sets_of_an_access_unit) {
  // x264 baseline 320x240 SPS and PPS, 4-byte lengths, then a slice NAL.
  const std::string sps = "6742c015d90141fb016a0c0c0d4a000003000200000300791e2c5c90";
  const std::string pps = "68cb8cb2";
  auto record = avc_record_from_access_unit(unhex("0000001c" + sps + "00000004" + pps + "00000002 6588"));
  ASSERT_TRUE(record.is_ok()) << record.status().message();
  EXPECT_EQ(hex(*record), hex(unhex("0142c015 ffe1001c" + sps + "01 0004" + pps)));
  auto format = make_track_format({.codec = Codec::kH264, .configuration = {}, .parameter_sets_in_band = true,
                                   .first_sample = unhex("0000001c" + sps + "00000004" + pps)});
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  EXPECT_EQ(format->sample_entry, FourCC("avc3"));
  EXPECT_EQ(format->width, 320u);
  EXPECT_FALSE(avc_record_from_access_unit(unhex("00000002 6588")).is_ok());
  EXPECT_FALSE(avc_record_from_access_unit(unhex("000000ff 67")).is_ok());
}

// Found by fuzz_avc: 36 SPS in an access unit wrapped avcC's 5-bit SPS count, and the built record did not
// parse back. At most 31 SPS, 255 PPS and 65535 bytes each fit; more is a clear error.
TEST(InBandConfig, avcC_is_refused_when_the_parameter_sets_do_not_fit_it) {
  const std::string sps = "0000001c 6742c015d90141fb016a0c0c0d4a000003000200000300791e2c5c90";
  const std::string pps = "00000004 68cb8cb2";
  std::string au31, au32;
  for (int i = 0; i < 31; ++i) au31 += sps;
  au32 = au31 + sps;
  auto fits = avc_record_from_access_unit(unhex(au31 + pps));
  ASSERT_TRUE(fits.is_ok()) << fits.status().message();
  auto parsed = parse_avc_config(*fits, true);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  auto too_many = avc_record_from_access_unit(unhex(au32 + pps));
  ASSERT_FALSE(too_many.is_ok());
  EXPECT_EQ(too_many.status().message(),
            "the first H.264 access unit has 32 SPS and 1 PPS; an avcC holds at most 31 and 255");
  std::vector<uint8_t> long_sps = {0x00, 0x01, 0x11, 0x70, 0x67, 0x42, 0xc0, 0x15};  // a 70000-byte SPS
  long_sps.resize(4 + 70000, 0x11);
  auto pps_bytes = unhex(pps);
  long_sps.insert(long_sps.end(), pps_bytes.begin(), pps_bytes.end());
  auto too_long = avc_record_from_access_unit(long_sps);
  ASSERT_FALSE(too_long.is_ok());
  EXPECT_EQ(too_long.status().message(),
            "H.264 parameter set of 70000 bytes is longer than a configuration record holds (65535)");
}

// Found by fuzz_hevc (regressions/hevc/one-byte-vps): a parameter set shorter than the 2-byte NAL unit header
// went into the hvcC, which then did not parse back.
TEST(InBandConfig, hvcC_refuses_a_parameter_set_shorter_than_its_nal_header) {
  // A one-byte VPS (type 32 in its first byte), then the x265 SPS of the test below.
  const std::string vps = "00000001 40";
  const std::string sps =
      "00000031 42010101600000030090000003000003003fa00a080f165959a4932bffc00040005a830303020000030002000003003c10";
  auto built = hevc_record_from_access_unit(unhex(vps + sps));
  ASSERT_FALSE(built.is_ok());
  EXPECT_EQ(built.status().message(), "H.265 parameter set NAL unit of 1 byte is shorter than its 2-byte header");
}

TEST(InBandConfig, hvcC_from_the_parameter_sets_of_an_access_unit) {
  // x265 main 320x240 VPS, SPS, PPS (from the hvcC in sample_entries_test.cc).
  const std::string vps = "40010c01ffff01600000030090000003000003003f959809";
  const std::string sps = "42010101600000030090000003000003003fa00a080f165959a4932bffc00040005a830303020000030002000003003c10";
  const std::string pps = "4401c172b46240";
  auto record = hevc_record_from_access_unit(unhex("00000018" + vps + "00000031" + sps + "00000007" + pps));
  ASSERT_TRUE(record.is_ok()) << record.status().message();
  auto parsed = make_track_format({.codec = Codec::kHevc, .configuration = *record, .parameter_sets_in_band = true});
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  EXPECT_EQ(parsed->width, 320u);
  EXPECT_EQ(parsed->height, 240u);
  EXPECT_EQ(parsed->codec_string, "hev1.1.6.L63.90");
}

TEST(Vp9Config, vpcC_from_profile_depth_subsampling_and_colour) {
  FormatDescription format{.codec = Codec::kVp9};
  format.width = 1920;
  format.height = 1080;
  format.profile = 2;
  format.bit_depth = 10;
  format.color = ColorDescription{9, 16, 9, false};
  auto vpcc = make_vpcc(format);
  ASSERT_TRUE(vpcc.is_ok());
  // version 1; profile 2, level 4.0, 10-bit 4:2:0 co-sited, limited range; BT.2020 PQ; no init data.
  EXPECT_EQ(hex(*vpcc), hex(unhex("01000000 02 28 a2 09 10 09 0000")));
  EXPECT_EQ(vp9_codec_string(*vpcc), "vp09.02.40.10");
  EXPECT_EQ(vp9_level_for(64, 64), 10);
  format.width = 0;
  EXPECT_FALSE(make_vpcc(format).is_ok());
}

TEST(FileTypeSupport, prores_needs_mov_and_3gp_takes_only_3gpp_codecs) {
  EXPECT_TRUE(check_codec_allowed(FileType::kQuickTimeMovie, Codec::kProRes).is_ok());
  EXPECT_EQ(check_codec_allowed(FileType::kMpeg4, Codec::kProRes).message(),
            "ProRes needs a QuickTime movie (.mov), not mp4");
  EXPECT_EQ(check_codec_allowed(FileType::k3Gpp, Codec::kOpus).message(),
            "Opus is not a 3GPP codec: use mp4 or a QuickTime movie (.mov), not 3gp");
  EXPECT_EQ(check_codec_allowed(FileType::kAppleM4A, Codec::kAv1).message(), "an .m4a file holds audio only, not AV1");
  EXPECT_EQ(check_codec_allowed(FileType::kAppleM4A, Codec::kPcm).code(), ErrorCode::kUnsupported);
  EXPECT_EQ(check_codec_allowed(FileType::kAppleM4V, Codec::kVp9).message(),
            "VP9 needs mp4 or a QuickTime movie (.mov), not m4v");
  for (Codec c : {Codec::kAv1, Codec::kVp9, Codec::kJpeg, Codec::kAlac, Codec::kOpus, Codec::kFlac, Codec::kAc3,
                  Codec::kEac3, Codec::kMp3, Codec::kPcm}) {
    EXPECT_TRUE(check_codec_allowed(FileType::kMpeg4, c).is_ok()) << to_string(c);
    EXPECT_TRUE(check_codec_allowed(FileType::kQuickTimeMovie, c).is_ok()) << to_string(c);
  }
  FormatDescription unsigned_pcm{.codec = Codec::kPcm};
  unsigned_pcm.pcm = {8, false, true, false};
  EXPECT_FALSE(check_codec_allowed(FileType::kMpeg4, unsigned_pcm).is_ok());
  EXPECT_TRUE(check_codec_allowed(FileType::kQuickTimeMovie, unsigned_pcm).is_ok());
}

TEST(FileTypeSupport, first_sample_is_needed_only_where_the_stream_carries_the_configuration) {
  EXPECT_TRUE(needs_first_sample({.codec = Codec::kAc3}));
  EXPECT_TRUE(needs_first_sample({.codec = Codec::kEac3}));
  EXPECT_TRUE(needs_first_sample({.codec = Codec::kAv1}));
  EXPECT_TRUE(needs_first_sample({.codec = Codec::kH264, .configuration = {}, .parameter_sets_in_band = true}));
  EXPECT_TRUE(needs_first_sample({.codec = Codec::kH264, .configuration = {1}, .parameter_sets_in_band = true}));
  EXPECT_FALSE(needs_first_sample({.codec = Codec::kH264, .configuration = {1}, .parameter_sets_in_band = false}));
  EXPECT_FALSE(needs_first_sample({.codec = Codec::kOpus}));
}

}  // namespace
}  // namespace aw
