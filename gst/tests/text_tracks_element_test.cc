// text_%u and meta_%u pads and chapters from a GstToc, through GstHarness: the tracks land in the file, a sparse
// pad never holds the video back, and bad input is an error naming the pad.
#include <gst/check/gstharness.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "element_fixture.h"

namespace gstaw::test {
namespace {

GstBuffer* text_buffer(const std::string& text, GstClockTime pts, GstClockTime duration) {
  GstBuffer* buffer = gst_buffer_new_memdup(text.data(), text.size());
  GST_BUFFER_PTS(buffer) = pts;
  GST_BUFFER_DURATION(buffer) = duration;
  return buffer;
}

// The video buffer `i` (30 fps), cycling through `stream`'s 10-frame GOPs.
GstBuffer* video_buffer(const EncodedStream& stream, int i) {
  GstBuffer* buffer = gst_buffer_copy(stream.buffers[static_cast<size_t>(i) % stream.buffers.size()]);
  GST_BUFFER_PTS(buffer) = GST_BUFFER_DTS(buffer) = gst_util_uint64_scale(static_cast<guint64>(i), GST_SECOND, 30);
  GST_BUFFER_DURATION(buffer) = GST_SECOND / 30;
  return buffer;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

int subtitle_streams(const std::string& path) {
  GstDiscoverer* discoverer = gst_discoverer_new(10 * GST_SECOND, nullptr);
  gchar* uri = gst_filename_to_uri(path.c_str(), nullptr);
  GstDiscovererInfo* info = gst_discoverer_discover_uri(discoverer, uri, nullptr);
  g_free(uri);
  int count = -1;
  if (info) {
    GList* streams = gst_discoverer_info_get_subtitle_streams(info);
    count = static_cast<int>(g_list_length(streams));
    gst_discoverer_stream_info_list_free(streams);
    gst_discoverer_info_unref(info);
  }
  g_object_unref(discoverer);
  return count;
}

class TextTracksTest : public ElementTest {
 protected:
  // Each pad gets its own streaming thread in a pipeline; the aggregator blocks a pad's push until the
  // others have data, so a second pad is fed from a thread of its own here too.
  void feed_in_thread(GstHarness* h, std::vector<GstBuffer*> buffers) {
    feeders_.emplace_back([h, buffers] {
      for (GstBuffer* b : buffers) gst_harness_push(h, b);
      gst_harness_push_event(h, gst_event_new_eos());
    });
  }
  void TearDown() override {
    for (auto& t : feeders_) t.join();
    ElementTest::TearDown();
  }
  std::vector<std::thread> feeders_;
};

TEST_F(TextTracksTest, text_pad_becomes_a_subtitle_track_qtdemux_exposes) {
  const std::string path = dir_.path("subs.mp4");
  set_location(path);
  EncodedStream video = h264_stream(10);
  GstHarness* v = harness("video_%u");
  GstHarness* t = harness("text_%u");
  EXPECT_STREQ(GST_OBJECT_NAME(GST_PAD_PEER(t->srcpad)), "text_0");
  gst_harness_set_src_caps_str(t, "text/x-raw, format=utf8");
  feed_in_thread(t, {text_buffer("Hello", 0, GST_SECOND / 10), text_buffer("World", GST_SECOND / 5, GST_SECOND / 10)});
  ASSERT_EQ(push_stream(v, video), GST_FLOW_OK);
  EXPECT_TRUE(end_streams_and_expect_eos({v}));
  const std::string bytes = file_bytes(path);
  EXPECT_TRUE(contains(bytes, "tx3g"));
  EXPECT_TRUE(contains(bytes, std::string("\0\5Hello", 7)));
  EXPECT_EQ(subtitle_streams(path), 1);
}

TEST_F(TextTracksTest, m4a_refuses_a_text_pad_naming_it) {
  set_location(dir_.path("a.m4a"));
  GstHarness* t = harness("text_%u");
  gst_harness_set_src_caps_str(t, "text/x-raw, format=utf8");
  gst_harness_push(t, text_buffer("Hello", 0, GST_SECOND));
  const BusMessage said = next(GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_TRUE(contains(said.text, "text_0")) << said.text;
  EXPECT_TRUE(contains(said.text, "audio only")) << said.text;
}

std::atomic<int> alive_video{0};
void on_video_freed(gpointer, GstMiniObject*) { --alive_video; }

// A subtitle at 0 and the next a minute later, with a GAP event between (what demuxers and subparse-like
// sources send for sparse streams): the video is written as it comes, not queued for the minute.
TEST_F(TextTracksTest, a_sparse_text_pad_does_not_hold_the_video_back) {
  const std::string path = dir_.path("sparse.mp4");
  set_location(path);
  EncodedStream video = h264_stream(10);
  GstHarness* v = harness("video_%u");
  GstHarness* t = harness("text_%u");
  gst_harness_set_src_caps(v, gst_caps_ref(video.caps));
  gst_harness_set_src_caps_str(t, "text/x-raw, format=utf8");
  ASSERT_EQ(gst_harness_push(t, text_buffer("first", 0, 2 * GST_SECOND)), GST_FLOW_OK);
  // The gap goes in as a buffer that stays queued until the video passes its end; the push itself may wait
  // for the video to take the first subtitle, so it runs in the feeding thread.
  feeders_.emplace_back([t] {
    gst_harness_push_event(t, gst_event_new_gap(2 * GST_SECOND, 58 * GST_SECOND));
    gst_harness_push(t, text_buffer("a minute later", 60 * GST_SECOND, 2 * GST_SECOND));
    gst_harness_push_event(t, gst_event_new_eos());
  });
  alive_video = 0;
  int most_alive = 0;
  for (int i = 0; i < 30 * 60; ++i) {
    GstBuffer* buffer = video_buffer(video, i);
    ++alive_video;
    gst_mini_object_weak_ref(GST_MINI_OBJECT(buffer), on_video_freed, nullptr);
    ASSERT_EQ(gst_harness_push(v, buffer), GST_FLOW_OK);
    most_alive = std::max(most_alive, alive_video.load());
  }
  // Half a second of pad queue plus one or two interleaving windows, never the whole minute (1800).
  RecordProperty("most_video_buffers_held", most_alive);
  std::printf("most video buffers held at once: %d of 1800\n", most_alive);
  EXPECT_LT(most_alive, 120) << "video buffers held at once";
  EXPECT_TRUE(end_streams_and_expect_eos({v}));
  EXPECT_TRUE(contains(file_bytes(path), "a minute later"));
}

TEST_F(TextTracksTest, toc_setter_chapters_become_a_chapter_track_and_chpl) {
  const std::string path = dir_.path("chapters.mp4");
  set_location(path);
  GstToc* toc = gst_toc_new(GST_TOC_SCOPE_GLOBAL);
  const char* titles[] = {"Opening", "Middle"};
  for (int i = 0; i < 2; ++i) {
    GstTocEntry* entry = gst_toc_entry_new(GST_TOC_ENTRY_TYPE_CHAPTER, titles[i]);
    gst_toc_entry_set_start_stop_times(entry, i * GST_SECOND / 2, (i + 1) * GST_SECOND / 2);
    gst_toc_entry_set_tags(entry, gst_tag_list_new(GST_TAG_TITLE, titles[i], nullptr));
    gst_toc_append_entry(toc, entry);
  }
  gst_toc_setter_set_toc(GST_TOC_SETTER(element_), toc);
  gst_toc_unref(toc);
  EncodedStream video = h264_stream(30);
  GstHarness* v = harness("video_%u");
  ASSERT_EQ(push_stream(v, video), GST_FLOW_OK);
  EXPECT_TRUE(end_streams_and_expect_eos({v}));
  const std::string bytes = file_bytes(path);
  EXPECT_TRUE(contains(bytes, "chpl"));
  EXPECT_TRUE(contains(bytes, "chap"));
  EXPECT_TRUE(contains(bytes, std::string("\0\7Opening", 9)));
  EXPECT_TRUE(contains(bytes, std::string("\6Middle", 7)));  // in chpl
  EXPECT_EQ(decoded_video_frames(path), 30);
}

TEST_F(TextTracksTest, toc_event_chapters_are_written_in_mov) {
  const std::string path = dir_.path("chapters.mov");
  set_location(path);
  EncodedStream video = h264_stream(30);
  GstHarness* v = harness("video_%u");
  gst_harness_set_src_caps(v, gst_caps_ref(video.caps));
  ASSERT_EQ(gst_harness_push(v, gst_buffer_ref(video.buffers[0])), GST_FLOW_OK);
  GstToc* toc = gst_toc_new(GST_TOC_SCOPE_GLOBAL);
  GstTocEntry* entry = gst_toc_entry_new(GST_TOC_ENTRY_TYPE_CHAPTER, "only");
  gst_toc_entry_set_start_stop_times(entry, 0, GST_SECOND);
  gst_toc_entry_set_tags(entry, gst_tag_list_new(GST_TAG_TITLE, "Only chapter", nullptr));
  gst_toc_append_entry(toc, entry);
  ASSERT_TRUE(gst_harness_push_event(v, gst_event_new_toc(toc, FALSE)));
  gst_toc_unref(toc);
  ASSERT_EQ(push_buffers(v, video, 1), GST_FLOW_OK);
  EXPECT_TRUE(end_streams_and_expect_eos({v}));
  const std::string bytes = file_bytes(path);
  EXPECT_TRUE(contains(bytes, std::string("\0\14Only chapter", 14)));
  EXPECT_FALSE(contains(bytes, "chpl"));  // QuickTime reads the chapter track only
}

TEST_F(TextTracksTest, metadata_pad_becomes_a_mebx_track_ffprobe_sees) {
  const std::string path = dir_.path("meta.mp4");
  set_location(path);
  EncodedStream video = h264_stream(30);
  GstHarness* v = harness("video_%u");
  GstHarness* m = harness("meta_%u");
  EXPECT_STREQ(GST_OBJECT_NAME(GST_PAD_PEER(m->srcpad)), "meta_0");
  gst_harness_set_src_caps_str(m, "application/x-metadata, keys=(string)\"com.example.speed\"");
  feed_in_thread(m, {text_buffer("metadata, com.example.speed=(double)12.5", GST_SECOND / 2, GST_SECOND / 4)});
  ASSERT_EQ(push_stream(v, video), GST_FLOW_OK);
  EXPECT_TRUE(end_streams_and_expect_eos({v}));
  const std::string bytes = file_bytes(path);
  EXPECT_TRUE(contains(bytes, "mebx"));
  EXPECT_TRUE(contains(bytes, std::string("com.example.speed")));
  EXPECT_TRUE(contains(bytes, std::string("\0\0\0\014\0\0\0\00112.5", 12)));
  gchar* out = nullptr;
  const std::string cmd = "ffprobe -v error -show_streams -of compact \"" + path + "\"";
  if (g_spawn_command_line_sync(cmd.c_str(), &out, nullptr, nullptr, nullptr)) {
    const std::string probe = out ? out : "";
    EXPECT_TRUE(contains(probe, "codec_type=data")) << probe;
    EXPECT_TRUE(contains(probe, "codec_tag_string=mebx")) << probe;
    EXPECT_TRUE(contains(probe, "MetadataHandler")) << probe;
  }
  g_free(out);
}

TEST_F(TextTracksTest, a_metadata_buffer_with_an_undeclared_key_is_an_error_naming_the_pad) {
  set_location(dir_.path("bad-meta.mp4"));
  EncodedStream video = h264_stream(10);
  GstHarness* v = harness("video_%u");
  GstHarness* m = harness("meta_%u");
  gst_harness_set_src_caps_str(m, "application/x-metadata, keys=(string)\"a.b\"");
  feed_in_thread(m, {text_buffer("metadata, c.d=(int)1", 0, GST_SECOND / 4)});
  push_stream(v, video);
  const BusMessage said = next(GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_TRUE(contains(said.text, "meta_0")) << said.text;
  EXPECT_TRUE(contains(said.text, "\"c.d\"")) << said.text;
}

}  // namespace
}  // namespace gstaw::test
