// assetwriterbin in pipelines: raw input encoded by presets and output-settings, encoded input passed
// through, settings errors refused before any file exists, and the sink's properties and signals proxied.
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/base/gstaggregator.h>
#include <gst/check/gstharness.h>
#include <gst/gst.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

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

TEST(AssetWriterBin, has_every_sink_signal_with_its_signature) {
  GstElement* bin = gst_element_factory_make("assetwriterbin", nullptr);
  ASSERT_NE(bin, nullptr);
  guint count = 0;
  guint* ids = g_signal_list_ids(g_type_from_name("GstAssetWriterSink"), &count);
  EXPECT_GE(count, 2u);  // segment-written, flush-segment
  for (guint i = 0; i < count; ++i) {
    GSignalQuery sink_signal, bin_signal;
    g_signal_query(ids[i], &sink_signal);
    const guint id = g_signal_lookup(sink_signal.signal_name, G_OBJECT_TYPE(bin));
    ASSERT_NE(id, 0u) << sink_signal.signal_name;
    g_signal_query(id, &bin_signal);
    EXPECT_EQ(bin_signal.signal_flags, sink_signal.signal_flags) << sink_signal.signal_name;
    EXPECT_EQ(bin_signal.return_type, sink_signal.return_type) << sink_signal.signal_name;
    ASSERT_EQ(bin_signal.n_params, sink_signal.n_params) << sink_signal.signal_name;
    for (guint p = 0; p < sink_signal.n_params; ++p) EXPECT_EQ(bin_signal.param_types[p], sink_signal.param_types[p]);
  }
  g_free(ids);
  gst_object_unref(gst_object_ref_sink(bin));
}

void count_segment(GstElement* bin, const gchar*, guint64, guint64, guint64, gpointer data) {
  EXPECT_TRUE(GST_IS_BIN(bin));  // the bin re-emits the sink's signal as its own
  ++*static_cast<int*>(data);
}

TEST(AssetWriterBin, forwards_flush_segment_to_the_sink_and_re_emits_segment_written) {
  TempDir dir;
  EncodedStream stream = h264_stream(40);
  ASSERT_NE(stream.caps, nullptr);
  GstElement* bin = gst_element_factory_make("assetwriterbin", nullptr);
  ASSERT_NE(bin, nullptr);
  gst_object_ref_sink(bin);
  // Only flush-segment ends a segment.
  g_object_set(bin, "segment-interval", GST_CLOCK_TIME_NONE, "location", dir.path("segment%05d.m4s").c_str(),
               "init-location", dir.path("init.mp4").c_str(), "playlist-location", dir.path("index.m3u8").c_str(),
               nullptr);
  gst_util_set_object_arg(G_OBJECT(bin), "sync-fragments", "false");
  int segments = 0;
  g_signal_connect(bin, "segment-written", G_CALLBACK(count_segment), &segments);
  GstBus* bus = gst_bus_new();
  gst_element_set_bus(bin, bus);
  GstHarness* h = gst_harness_new_with_element(bin, "video_%u", nullptr);
  gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
  for (size_t i = 0; i < 15; ++i) ASSERT_EQ(gst_harness_push(h, gst_buffer_ref(stream.buffers[i])), GST_FLOW_OK);
  // Wait until the writer has the pushed frames (the inner sink's pad queue drains in aggregate()).
  GstElement* sink = gst_bin_get_by_name(GST_BIN(bin), "sink");
  GstPad* sink_pad = gst_element_get_static_pad(sink, "video_0");
  for (int i = 0; i < 200 && gst_aggregator_pad_has_buffer(GST_AGGREGATOR_PAD(sink_pad)); ++i) g_usleep(10'000);
  g_usleep(100'000);
  gboolean flushed = FALSE;
  g_signal_emit_by_name(bin, "flush-segment", &flushed);
  EXPECT_TRUE(flushed);
  for (size_t i = 15; i < stream.buffers.size(); ++i) {
    ASSERT_EQ(gst_harness_push(h, gst_buffer_ref(stream.buffers[i])), GST_FLOW_OK);
  }
  gst_harness_push_event(h, gst_event_new_eos());
  EXPECT_TRUE(is_eos(wait_for(bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR)));
  EXPECT_EQ(segments, 2);  // the flushed one and the last
  gst_object_unref(sink_pad);
  gst_object_unref(sink);
  gst_harness_teardown(h);
  gst_element_set_state(bin, GST_STATE_NULL);
  gst_object_unref(bus);
  gst_object_unref(bin);
}

GOutputStream* memory_stream(GstElement* bin, const gchar* location, gpointer data) {
  EXPECT_TRUE(GST_IS_BIN(bin));
  static_cast<std::vector<std::string>*>(data)->push_back(location);
  return g_memory_output_stream_new_resizable();
}

// A storage signal connected on the bin is one the sink has: its segments go to the handler's streams; the
// kinds nobody handles (init segment, playlist) stay local files.
TEST(AssetWriterBin, a_storage_handler_on_the_bin_gets_the_sinks_files) {
  TempDir dir;
  EncodedStream stream = h264_stream(40);
  ASSERT_NE(stream.caps, nullptr);
  GstElement* bin = gst_element_factory_make("assetwriterbin", nullptr);
  ASSERT_NE(bin, nullptr);
  gst_object_ref_sink(bin);
  g_object_set(bin, "segment-interval", GST_SECOND, "location", dir.path("segment%05d.m4s").c_str(), "init-location",
               dir.path("init.mp4").c_str(), "playlist-location", dir.path("index.m3u8").c_str(), nullptr);
  gst_util_set_object_arg(G_OBJECT(bin), "sync-fragments", "false");
  std::vector<std::string> streams;
  g_signal_connect(bin, "get-fragment-stream", G_CALLBACK(memory_stream), &streams);
  GstBus* bus = gst_bus_new();
  gst_element_set_bus(bin, bus);
  GstHarness* h = gst_harness_new_with_element(bin, "video_%u", nullptr);
  gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
  for (GstBuffer* buffer : stream.buffers) ASSERT_EQ(gst_harness_push(h, gst_buffer_ref(buffer)), GST_FLOW_OK);
  gst_harness_push_event(h, gst_event_new_eos());
  EXPECT_TRUE(is_eos(wait_for(bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR)));
  EXPECT_EQ(streams, (std::vector<std::string>{dir.path("segment00000.m4s"), dir.path("segment00001.m4s")}));
  EXPECT_TRUE(g_file_test(dir.path("init.mp4").c_str(), G_FILE_TEST_EXISTS));
  EXPECT_TRUE(g_file_test(dir.path("index.m3u8").c_str(), G_FILE_TEST_EXISTS));
  EXPECT_FALSE(g_file_test(dir.path("segment00000.m4s").c_str(), G_FILE_TEST_EXISTS));
  gst_harness_teardown(h);
  gst_element_set_state(bin, GST_STATE_NULL);
  gst_object_unref(bus);
  gst_object_unref(bin);
}

TEST(AssetWriterBin, its_users_see_the_sinks_progress_messages_from_the_inner_sink_before_eos) {
  TempDir dir;
  const std::string path = dir.path("fragments.mp4");
  std::vector<std::string> seen;
  const std::string error = run_to_eos(
      "videotestsrc num-buffers=60 ! video/x-raw,width=320,height=240,framerate=30/1 ! x264enc key-int-max=10 "
      "speed-preset=ultrafast ! h264parse ! assetwriterbin name=b fragment-interval=1000000000 location=" +
          path,
      [&](GstMessage* m) {
        const char* name = gst_structure_get_name(gst_message_get_structure(m));
        if (!g_str_has_prefix(name, "assetwritersink-")) return;
        // Posted by the bin's "sink" child, as GstBin forwards its children's element messages.
        EXPECT_STREQ(GST_OBJECT_NAME(GST_MESSAGE_SRC(m)), "sink");
        EXPECT_STREQ(GST_OBJECT_NAME(GST_OBJECT_PARENT(GST_MESSAGE_SRC(m))), "b");
        seen.push_back(name);
      });
  EXPECT_EQ(error, "");  // and EOS came after every message
  EXPECT_EQ(seen, (std::vector<std::string>{"assetwritersink-fragment", "assetwritersink-fragment",
                                            "assetwritersink-file-complete"}));
}

}  // namespace
}  // namespace gstaw::test
