// Output settings as the bin reads them: presets, the caps-like output-settings string, the library's
// per-file-type check, and the choice of an encoder from the registry.
#include <gst/gst.h>
#include <gtest/gtest.h>

#include "aw/output_settings.h"
#include "bin/encoder_selection.h"
#include "bin/output_settings_structure.h"
#include "bin/presets.h"

namespace gstaw {
namespace {

using aw::Codec;
using aw::ErrorCode;
using aw::FileType;
using aw::MediaType;

class GstEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { gst_init(nullptr, nullptr); }
};
[[maybe_unused]] ::testing::Environment* const gst_environment =
    ::testing::AddGlobalTestEnvironment(new GstEnvironment);

TEST(Presets, h264_1280x720_is_h264_at_that_size_and_5_mbit) {
  auto s = preset_settings("h264-1280x720");
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s->codec, Codec::kH264);
  EXPECT_EQ(s->width, 1280u);
  EXPECT_EQ(s->height, 720u);
  EXPECT_EQ(s->bitrate, 5'000'000u);
}

TEST(Presets, aac_stereo_48k_is_two_channels_at_48_khz) {
  auto s = preset_settings("aac-stereo-48k");
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s->codec, Codec::kAac);
  EXPECT_EQ(s->channels, 2u);
  EXPECT_EQ(s->sample_rate, 48'000u);
  EXPECT_EQ(s->bitrate, 128'000u);
}

TEST(Presets, every_preset_passes_the_library_check_in_mp4) {
  for (const Preset& p : presets()) {
    aw::Status status = aw::check_output_settings(p.settings, aw::media_type_of(p.settings.codec), FileType::kMpeg4);
    EXPECT_TRUE(status.is_ok()) << p.name << ": " << status.message();
  }
}

TEST(Presets, unknown_name_lists_the_known_ones) {
  auto s = preset_settings("h264-123x45");
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.status().message().find("unknown preset \"h264-123x45\""), std::string::npos);
  EXPECT_NE(s.status().message().find("hevc-1920x1080"), std::string::npos);
}

TEST(Presets, list_takes_one_video_and_one_audio_preset) {
  auto choice = parse_preset_list("hevc-1920x1080,aac-stereo-48k");
  ASSERT_TRUE(choice.is_ok()) << choice.status().message();
  ASSERT_TRUE(choice->video && choice->audio);
  EXPECT_EQ(choice->video->codec, Codec::kHevc);
  EXPECT_EQ(choice->audio->codec, Codec::kAac);
  EXPECT_FALSE(parse_preset_list("h264-640x480+hevc-1280x720").is_ok());
  EXPECT_TRUE(parse_preset_list("").is_ok());
}

TEST(SettingsString, video_bitrate_is_kbit_and_fields_map_to_the_settings) {
  auto s =
      settings_from_string("video/x-h265,bitrate=8000,key-frame-interval=30,profile=main-10,width=1920,height=1080");
  ASSERT_TRUE(s.is_ok()) << s.status().message();
  EXPECT_EQ(s->codec, Codec::kHevc);
  EXPECT_EQ(s->bitrate, 8'000'000u);
  EXPECT_EQ(s->key_frame_interval, 30u);
  EXPECT_EQ(s->profile, "main-10");
  EXPECT_EQ(s->width, 1920u);
  EXPECT_EQ(s->height, 1080u);
}

TEST(SettingsString, audio_bitrate_is_bit_per_second) {
  auto s = settings_from_string("audio/mpeg,mpegversion=4,bitrate=128000,rate=48000,channels=2");
  ASSERT_TRUE(s.is_ok()) << s.status().message();
  EXPECT_EQ(s->codec, Codec::kAac);
  EXPECT_EQ(s->bitrate, 128'000u);
  EXPECT_EQ(s->sample_rate, 48'000u);
  EXPECT_EQ(s->channels, 2u);
}

TEST(SettingsString, short_codec_names_and_quality) {
  auto s = settings_from_string("hevc,quality=0.75");
  ASSERT_TRUE(s.is_ok()) << s.status().message();
  EXPECT_EQ(s->codec, Codec::kHevc);
  EXPECT_DOUBLE_EQ(*s->quality, 0.75);
}

TEST(SettingsString, round_trips_through_its_text_form) {
  auto s = settings_from_string("video/x-h264,bitrate=2000,profile=high,width=640,height=480");
  ASSERT_TRUE(s.is_ok());
  auto again = settings_from_string(settings_to_string(*s));
  ASSERT_TRUE(again.is_ok()) << settings_to_string(*s);
  EXPECT_EQ(again->bitrate, s->bitrate);
  EXPECT_EQ(again->profile, s->profile);
  EXPECT_EQ(again->width, s->width);
}

TEST(SettingsString, errors_name_the_field) {
  EXPECT_NE(settings_from_string("video/x-vp9").status().message().find("no codec named \"video/x-vp9\""),
            std::string::npos);
  EXPECT_NE(settings_from_string("video/x-h264,bitrat=1").status().message().find("unknown field \"bitrat\""),
            std::string::npos);
  EXPECT_NE(settings_from_string("video/x-h264,bitrate=-5").status().message().find("bitrate"), std::string::npos);
  EXPECT_NE(settings_from_string("video/x-h264,bitrate=5000000").status().message().find("out of range"),
            std::string::npos);
  EXPECT_NE(settings_from_string("video/x-h264,profile=7").status().message().find("profile must be a string"),
            std::string::npos);
  EXPECT_FALSE(settings_from_string("audio/mpeg,mpegversion=2").is_ok());
  EXPECT_FALSE(settings_from_string(",,").is_ok());
}

aw::OutputSettings parsed(const char* text) {
  auto s = settings_from_string(text);
  EXPECT_TRUE(s.is_ok()) << text << ": " << s.status().message();
  return s.is_ok() ? *s : aw::OutputSettings{};
}

TEST(CanApply, codec_must_match_the_media_type) {
  aw::Status status = aw::check_output_settings(parsed("aac"), MediaType::kVideo, FileType::kMpeg4);
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "codec AAC is not a video codec");
}

TEST(CanApply, file_type_must_hold_the_codec) {
  aw::Status m4a = aw::check_output_settings(parsed("video/x-h265"), MediaType::kVideo, FileType::kAppleM4A);
  EXPECT_EQ(m4a.code(), ErrorCode::kUnsupported);
  EXPECT_NE(m4a.message().find(".m4a file holds audio only"), std::string::npos);
  EXPECT_EQ(aw::check_output_settings(parsed("hevc"), MediaType::kVideo, FileType::k3Gpp).code(),
            ErrorCode::kUnsupported);
  EXPECT_TRUE(aw::check_output_settings(parsed("hevc"), MediaType::kVideo, FileType::kQuickTimeMovie).is_ok());
  EXPECT_TRUE(aw::check_output_settings(parsed("aac"), MediaType::kAudio, FileType::kAppleM4A).is_ok());
}

TEST(CanApply, ranges_name_the_setting) {
  auto check = [](const char* text, MediaType type) {
    return aw::check_output_settings(parsed(text), type, FileType::kMpeg4).message();
  };
  EXPECT_EQ(check("h264,bitrate=900000", MediaType::kVideo),
            "bitrate 900000000 bit/s is outside 16000..800000000 bit/s for H.264 video");
  EXPECT_NE(check("h264,width=641", MediaType::kVideo).find("width 641 is odd"), std::string::npos);
  EXPECT_NE(check("h264,height=8", MediaType::kVideo).find("height 8 is outside"), std::string::npos);
  EXPECT_NE(check("h264,profile=ultra", MediaType::kVideo).find("profile \"ultra\" is not a H.264 profile"),
            std::string::npos);
  EXPECT_NE(check("h264,quality=2", MediaType::kVideo).find("quality"), std::string::npos);
  EXPECT_NE(check("h264,bitrate=1000,quality=0.5", MediaType::kVideo).find("exclude each other"), std::string::npos);
  EXPECT_NE(check("aac,rate=1000", MediaType::kAudio).find("sample rate 1000 Hz is outside"), std::string::npos);
  EXPECT_NE(check("aac,channels=9", MediaType::kAudio).find("channels 9 is outside"), std::string::npos);
  EXPECT_NE(check("aac,bitrate=5000000", MediaType::kAudio).find("bitrate"), std::string::npos);
}

using EncoderChoiceTest = ::testing::Test;

TEST_F(EncoderChoiceTest, h264_picks_the_highest_ranked_encoder_with_bitrate_in_its_unit) {
  auto choice = choose_encoder(parsed("h264,bitrate=2000,key-frame-interval=30"), EncoderSpeed::kFastest);
  ASSERT_TRUE(choice.is_ok()) << choice.status().message();
  EXPECT_EQ(choice->factory, "x264enc");
  EXPECT_EQ(choice->raw_format, "I420");
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(choice->properties,
            (std::vector<P>{{"bitrate", "2000"}, {"key-int-max", "30"}, {"speed-preset", "ultrafast"}}));
}

TEST_F(EncoderChoiceTest, aac_bitrate_stays_in_bit_per_second) {
  auto choice = choose_encoder(parsed("audio/mpeg,bitrate=96000,rate=48000,channels=2"), EncoderSpeed::kDefault);
  ASSERT_TRUE(choice.is_ok()) << choice.status().message();
  ASSERT_FALSE(choice->properties.empty());
  EXPECT_EQ(choice->properties[0], (std::pair<std::string, std::string>{"bitrate", "96000"}));
}

TEST_F(EncoderChoiceTest, a_bitrate_beyond_every_encoder_says_which_and_why) {
  auto choice = choose_encoder(parsed("hevc,bitrate=200000"), EncoderSpeed::kDefault);
  ASSERT_FALSE(choice.is_ok());
  EXPECT_EQ(choice.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(choice.status().message().find("x265enc: bitrate 200000 kbit/s is outside its range"), std::string::npos)
      << choice.status().message();
}

TEST_F(EncoderChoiceTest, quality_becomes_a_constant_quantizer) {
  auto choice = choose_encoder(parsed("h264,quality=1"), EncoderSpeed::kDefault);
  ASSERT_TRUE(choice.is_ok()) << choice.status().message();
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(choice->properties, (std::vector<P>{{"pass", "qual"}, {"quantizer", "10"}}));
}

TEST_F(EncoderChoiceTest, no_installed_encoder_for_the_codec_is_an_error) {
  // Hide every H.265 encoder from this process's registry.
  GList* encoders = gst_element_factory_list_get_elements(GST_ELEMENT_FACTORY_TYPE_ENCODER, GST_RANK_NONE);
  GstCaps* h265 = gst_caps_from_string("video/x-h265");
  GList* producing = gst_element_factory_list_filter(encoders, h265, GST_PAD_SRC, FALSE);
  for (GList* l = producing; l; l = l->next)
    gst_registry_remove_feature(gst_registry_get(), GST_PLUGIN_FEATURE(l->data));
  gst_plugin_feature_list_free(producing);
  gst_plugin_feature_list_free(encoders);
  gst_caps_unref(h265);

  auto choice = choose_encoder(parsed("hevc,bitrate=1000"), EncoderSpeed::kDefault);
  ASSERT_FALSE(choice.is_ok());
  EXPECT_EQ(choice.status().message(), "no encoder producing video/x-h265 is installed");
}

}  // namespace
}  // namespace gstaw
