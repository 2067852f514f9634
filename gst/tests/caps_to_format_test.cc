// caps_to_format(): which caps become which FormatDescription.
#include "convert/caps_to_format.h"

#include <gtest/gtest.h>

#include <string>

namespace gstaw {
namespace {

aw::Result<CapsFormat> parse(const std::string& text, const std::vector<uint8_t>& codec_data = {}) {
  gst_init(nullptr, nullptr);
  GstCaps* caps = gst_caps_from_string(text.c_str());
  if (!codec_data.empty()) {
    GstBuffer* buffer = gst_buffer_new_memdup(codec_data.data(), codec_data.size());
    gst_caps_set_simple(caps, "codec_data", GST_TYPE_BUFFER, buffer, nullptr);
    gst_buffer_unref(buffer);
  }
  auto result = caps_to_format(caps);
  gst_caps_unref(caps);
  return result;
}

TEST(CapsToFormat, avc_takes_codec_data_as_the_avcc_record_and_the_natural_size) {
  auto format = parse("video/x-h264, stream-format=avc, alignment=au, width=640, height=360", {1, 0x64, 0, 0x1f});
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  EXPECT_EQ(format->media_type, aw::MediaType::kVideo);
  EXPECT_EQ(format->format.codec, aw::Codec::kH264);
  EXPECT_FALSE(format->format.parameter_sets_in_band);
  EXPECT_EQ(format->format.configuration, (std::vector<uint8_t>{1, 0x64, 0, 0x1f}));
  EXPECT_EQ(format->natural_size.width, 640u);
  EXPECT_EQ(format->natural_size.height, 360u);
}

TEST(CapsToFormat, avc3_and_hev1_carry_parameter_sets_in_band) {
  auto avc3 = parse("video/x-h264, stream-format=avc3, alignment=au", {1});
  ASSERT_TRUE(avc3.is_ok());
  EXPECT_TRUE(avc3->format.parameter_sets_in_band);
  auto hev1 = parse("video/x-h265, stream-format=hev1, alignment=au");
  ASSERT_TRUE(hev1.is_ok());
  EXPECT_EQ(hev1->format.codec, aw::Codec::kHevc);
  EXPECT_TRUE(hev1->format.parameter_sets_in_band);
}

TEST(CapsToFormat, aac_takes_the_audio_specific_config) {
  auto format = parse("audio/mpeg, mpegversion=4, stream-format=raw, rate=48000, channels=2", {0x11, 0x90});
  ASSERT_TRUE(format.is_ok());
  EXPECT_EQ(format->media_type, aw::MediaType::kAudio);
  EXPECT_EQ(format->format.codec, aw::Codec::kAac);
  EXPECT_EQ(format->format.configuration, (std::vector<uint8_t>{0x11, 0x90}));
}

TEST(CapsToFormat, refusals_name_the_caps_and_the_reason) {
  auto missing = parse("video/x-h264, stream-format=avc, alignment=au");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_NE(missing.status().message().find("codec_data"), std::string::npos);
  EXPECT_NE(missing.status().message().find("video/x-h264"), std::string::npos);

  EXPECT_FALSE(parse("video/x-h264, stream-format=byte-stream, alignment=au").is_ok());
  EXPECT_FALSE(parse("video/x-h264, stream-format=avc, alignment=nal", {1}).is_ok());
  EXPECT_FALSE(parse("audio/mpeg, mpegversion=4, stream-format=adts", {0x11, 0x90}).is_ok());
  EXPECT_FALSE(parse("audio/mpeg, mpegversion=1, layer=3").is_ok());
  auto raw = parse("video/x-raw, format=I420");
  ASSERT_FALSE(raw.is_ok());
  EXPECT_EQ(raw.status().code(), aw::ErrorCode::kUnsupported);
}

}  // namespace
}  // namespace gstaw
