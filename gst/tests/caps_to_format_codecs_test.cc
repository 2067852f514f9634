// caps_to_format() for the codecs besides H.264/H.265/AAC, the picture fields (colour, HDR, aspect,
// interlacing) and the per-file-type refusal.
#include <gtest/gtest.h>

#include <string>

#include "convert/caps_to_format.h"

namespace gstaw {
namespace {

aw::Result<CapsFormat> parse(const std::string& text, aw::FileType type = aw::FileType::kQuickTimeMovie) {
  gst_init(nullptr, nullptr);
  GstCaps* caps = gst_caps_from_string(text.c_str());
  auto result = caps_to_format_for(caps, type);
  gst_caps_unref(caps);
  return result;
}

TEST(CapsToFormatCodecs, colorimetry_becomes_iso_code_points_and_hdr_fields_are_kept) {
  auto f = parse(
      "video/x-vp9, width=64, height=48, profile=(string)2, bit-depth-luma=(uint)10, chroma-format=(string)4:2:0, "
      "colorimetry=(string)bt2100-pq, pixel-aspect-ratio=(fraction)16/11, "
      "mastering-display-info=(string)34000:16000:13250:34500:7500:3000:15635:16450:10000000:50, "
      "content-light-level=(string)1000:400");
  ASSERT_TRUE(f.is_ok()) << f.status().message();
  const aw::FormatDescription& d = f->format;
  EXPECT_EQ(d.codec, aw::Codec::kVp9);
  EXPECT_EQ(d.profile, 2u);
  EXPECT_EQ(d.bit_depth, 10u);
  ASSERT_TRUE(d.color.has_value());
  EXPECT_EQ(d.color->primaries, 9);
  EXPECT_EQ(d.color->transfer, 16);
  EXPECT_EQ(d.color->matrix, 9);
  EXPECT_FALSE(d.color->full_range);
  EXPECT_EQ(d.pixel_aspect_h, 16u);
  EXPECT_EQ(d.pixel_aspect_v, 11u);
  ASSERT_TRUE(d.mastering_display.has_value());
  EXPECT_EQ(d.mastering_display->primaries[0][0], 34000);  // red x
  EXPECT_EQ(d.mastering_display->max_luminance, 10000000u);
  ASSERT_TRUE(d.content_light_level.has_value());
  EXPECT_EQ(d.content_light_level->max_content, 1000);
  EXPECT_EQ(d.content_light_level->max_frame_average, 400);
}

TEST(CapsToFormatCodecs, interlaced_caps_set_the_field_order) {
  auto f = parse("image/jpeg, width=64, height=48, interlace-mode=(string)interleaved, "
                 "field-order=(string)bottom-field-first");
  ASSERT_TRUE(f.is_ok()) << f.status().message();
  EXPECT_EQ(f->format.field_order, aw::FieldOrder::kBottomFirst);
}

TEST(CapsToFormatCodecs, prores_variant_names_the_entry) {
  auto f = parse("video/x-prores, variant=(string)4444xq, width=64, height=48");
  ASSERT_TRUE(f.is_ok()) << f.status().message();
  EXPECT_EQ(f->format.prores_variant, aw::ProResVariant::k4444Xq);
  EXPECT_FALSE(parse("video/x-prores, width=64, height=48").is_ok());
}

TEST(CapsToFormatCodecs, prores_in_mp4_is_refused_with_the_reason) {
  auto f = parse("video/x-prores, variant=(string)hq, width=64, height=48", aw::FileType::kMpeg4);
  ASSERT_FALSE(f.is_ok());
  EXPECT_NE(f.status().message().find("ProRes needs a QuickTime movie (.mov), not mp4"), std::string::npos)
      << f.status().message();
}

TEST(CapsToFormatCodecs, audio_codecs_map_to_their_configuration) {
  auto opus = parse("audio/x-opus, rate=48000, channels=2, channel-mapping-family=0");
  ASSERT_TRUE(opus.is_ok()) << opus.status().message();
  EXPECT_EQ(opus->format.codec, aw::Codec::kOpus);
  EXPECT_EQ(opus->format.configuration.size(), 19u);  // an OpusHead built from the caps
  auto mp3 = parse("audio/mpeg, mpegversion=1, layer=3, rate=44100, channels=2");
  ASSERT_TRUE(mp3.is_ok()) << mp3.status().message();
  EXPECT_EQ(mp3->format.codec, aw::Codec::kMp3);
  EXPECT_EQ(mp3->format.sample_rate, 44100u);
  auto ac3 = parse("audio/x-ac3, framed=true, alignment=frame, rate=48000, channels=6");
  ASSERT_TRUE(ac3.is_ok());
  EXPECT_TRUE(aw::needs_first_sample(ac3->format));
  EXPECT_FALSE(parse("audio/x-alac, rate=44100, channels=2").is_ok());  // no cookie
  EXPECT_FALSE(parse("audio/x-flac, framed=true, rate=44100, channels=2").is_ok());  // no STREAMINFO
}

TEST(CapsToFormatCodecs, raw_audio_layouts) {
  auto s24 = parse("audio/x-raw, format=S24LE, layout=interleaved, rate=48000, channels=6");
  ASSERT_TRUE(s24.is_ok()) << s24.status().message();
  EXPECT_EQ(s24->format.codec, aw::Codec::kPcm);
  EXPECT_EQ(s24->format.pcm.bits_per_sample, 24u);
  EXPECT_TRUE(s24->format.pcm.little_endian);
  EXPECT_FALSE(s24->format.pcm.is_float);
  auto f64 = parse("audio/x-raw, format=F64BE, layout=interleaved, rate=48000, channels=1");
  ASSERT_TRUE(f64.is_ok());
  EXPECT_TRUE(f64->format.pcm.is_float);
  EXPECT_FALSE(f64->format.pcm.little_endian);
  EXPECT_FALSE(parse("audio/x-raw, format=S16LE, layout=non-interleaved, rate=48000, channels=2").is_ok());
  EXPECT_FALSE(parse("audio/x-raw, format=S20LE, layout=interleaved, rate=48000, channels=2").is_ok());
  EXPECT_FALSE(parse("audio/x-raw, format=S16LE, layout=interleaved, rate=48000, channels=2",
                     aw::FileType::kAppleM4A).is_ok());
}

}  // namespace
}  // namespace gstaw
