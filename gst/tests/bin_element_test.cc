// assetwriterbin in pipelines: raw input encoded by presets and output-settings, encoded input passed
// through, settings errors refused before any file exists, and the sink's properties proxied.
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace gstaw::test {
namespace {

const std::string kRawVideo = "videotestsrc num-buffers=30 ! video/x-raw,width=320,height=240,framerate=30/1 ! ";
const std::string kRawAudio = "audiotestsrc num-buffers=20 ! audio/x-raw,rate=44100,channels=1 ! ";

TEST(AssetWriterBin, proxies_every_sink_property) {
  GstElement* bin = gst_element_factory_make("assetwriterbin", nullptr);
  ASSERT_NE(bin, nullptr) << "assetwriterbin not found: is GST_PLUGIN_PATH set?";
  GstElement* sink = gst_element_factory_make("assetwritersink", nullptr);
  guint count = 0;
  GParamSpec** specs = g_object_class_list_properties(G_OBJECT_GET_CLASS(sink), &count);
  for (guint i = 0; i < count; ++i) {
    if (specs[i]->owner_type != G_OBJECT_TYPE(sink)) continue;
    EXPECT_NE(g_object_class_find_property(G_OBJECT_GET_CLASS(bin), specs[i]->name), nullptr) << specs[i]->name;
  }
  g_free(specs);
  g_object_set(bin, "location", "/tmp/x.mov", "movie-timescale", 600u, nullptr);
  GstElement* inner = gst_bin_get_by_name(GST_BIN(bin), "sink");
  ASSERT_NE(inner, nullptr);
  gchar* location = nullptr;
  guint timescale = 0;
  g_object_get(inner, "location", &location, "movie-timescale", &timescale, nullptr);
  EXPECT_STREQ(location, "/tmp/x.mov");
  EXPECT_EQ(timescale, 600u);
  g_free(location);
  gst_object_unref(inner);
  gst_object_unref(sink);
  gst_object_unref(bin);
}

TEST(AssetWriterBin, is_a_sink_the_pipeline_waits_for) {
  GstElement* bin = gst_element_factory_make("assetwriterbin", nullptr);
  ASSERT_NE(bin, nullptr);
  EXPECT_TRUE(GST_OBJECT_FLAG_IS_SET(bin, GST_ELEMENT_FLAG_SINK));
  gst_object_unref(gst_object_ref_sink(bin));
}

TEST(AssetWriterBin, request_pads_carry_the_sinks_names_and_settings_properties) {
  GstElement* bin = gst_element_factory_make("assetwriterbin", nullptr);
  GstPad* video = gst_element_request_pad_simple(bin, "video_%u");
  GstPad* audio = gst_element_request_pad_simple(bin, "audio_%u");
  ASSERT_NE(video, nullptr);
  ASSERT_NE(audio, nullptr);
  EXPECT_STREQ(GST_PAD_NAME(video), "video_0");
  EXPECT_STREQ(GST_PAD_NAME(audio), "audio_0");
  g_object_set(video, "output-settings", "video/x-h265,bitrate=1000", nullptr);
  gchar* text = nullptr;
  g_object_get(video, "output-settings", &text, nullptr);
  EXPECT_STREQ(text, "video/x-h265,bitrate=1000");
  g_free(text);
  gst_element_release_request_pad(bin, video);
  gst_element_release_request_pad(bin, audio);
  gst_object_unref(video);
  gst_object_unref(audio);
  gst_object_unref(gst_object_ref_sink(bin));
}

TEST(AssetWriterBin, raw_video_and_audio_become_h264_and_aac) {
  TempDir dir;
  const std::string path = dir.path("raw.mp4");
  EXPECT_EQ(
      run_to_eos(kRawVideo + "assetwriterbin name=b encoder-speed=fastest location=" + path + " " + kRawAudio + "b."),
      "");
  FileInfo info;
  discover(path, &info);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.video_streams, 1);
  EXPECT_EQ(info.audio_streams, 1);
  EXPECT_EQ(decoded_video_frames(path), 30);
}

TEST(AssetWriterBin, pad_output_settings_pick_hevc_at_the_asked_size) {
  TempDir dir;
  const std::string path = dir.path("hevc.mov");
  EXPECT_EQ(run_to_eos(kRawVideo + "assetwriterbin encoder-speed=fastest location=" + path +
                       " video_0::output-settings=\"video/x-h265,width=160,height=120\""),
            "");
  FileInfo info;
  discover(path, &info);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.video_streams, 1);
  EXPECT_NE(info.video_tag(GST_TAG_VIDEO_CODEC).find("H.265"), std::string::npos)
      << info.video_tag(GST_TAG_VIDEO_CODEC);
}

TEST(AssetWriterBin, encoded_byte_stream_gets_a_parser_and_passes_through) {
  TempDir dir;
  const std::string path = dir.path("encoded.mp4");
  EXPECT_EQ(run_to_eos(kRawVideo + "x264enc speed-preset=ultrafast ! assetwriterbin location=" + path), "");
  EXPECT_EQ(decoded_video_frames(path), 30);
}

// The error comes at READY→PAUSED, before the sink opens the file.
void expect_refused(const std::string& launch_tail, const std::string& path, const std::string& expected) {
  const std::string text = run_to_eos(kRawVideo + "assetwriterbin location=" + path + " " + launch_tail);
  EXPECT_EQ(text.rfind("video_0: ", 0), 0u) << text;
  EXPECT_NE(text.find(expected), std::string::npos) << text;
  EXPECT_FALSE(g_file_test(path.c_str(), G_FILE_TEST_EXISTS)) << path;
}

TEST(AssetWriterBin, hevc_in_m4a_is_refused_before_writing) {
  TempDir dir;
  expect_refused("video_0::output-settings=video/x-h265", dir.path("x.m4a"),
                 "output-settings \"video/x-h265\": an .m4a file holds audio only, not H.265");
}

TEST(AssetWriterBin, unknown_codec_is_refused_naming_the_setting) {
  TempDir dir;
  expect_refused("video_0::output-settings=video/x-vp9", dir.path("x.mp4"),
                 "output-settings \"video/x-vp9\": no codec named");
}

TEST(AssetWriterBin, absurd_bitrate_is_refused) {
  TempDir dir;
  expect_refused("video_0::output-settings=video/x-h264,bitrate=99999999", dir.path("x.mp4"), "bitrate");
}

TEST(AssetWriterBin, bitrate_no_encoder_reaches_is_refused) {
  TempDir dir;
  expect_refused("video_0::output-settings=video/x-h265,bitrate=200000", dir.path("x.mp4"),
                 "no installed encoder can meet these settings");
}

TEST(AssetWriterBin, unknown_preset_is_refused) {
  TempDir dir;
  expect_refused("preset=h264-1x1", dir.path("x.mp4"), "unknown preset \"h264-1x1\"");
}

TEST(AssetWriterBin, encoded_input_of_another_codec_than_the_settings_is_refused) {
  TempDir dir;
  const std::string path = dir.path("x.mp4");
  const std::string text = run_to_eos(kRawVideo + "x264enc ! h264parse ! assetwriterbin location=" + path +
                                      " video_0::output-settings=video/x-h265");
  EXPECT_NE(text.find("video_0: the input is already encoded as H.264 but the output settings ask for H.265"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace gstaw::test
