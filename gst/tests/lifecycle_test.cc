// The file is finalised at EOS, which the element announces itself, or when it stops before EOS.
#include <gtest/gtest.h>

#include <algorithm>

#include "element_fixture.h"

namespace gstaw::test {
namespace {

using LifecycleTest = ElementTest;

TEST_F(LifecycleTest, eos_on_every_pad_finishes_the_file_and_posts_eos) {
  EncodedStream stream = h264_stream(20);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("eos.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  ASSERT_EQ(push_stream(h, stream), GST_FLOW_OK);
  EXPECT_TRUE(end_streams_and_expect_eos({h}));
  EXPECT_EQ(decoded_video_frames(location), 20);
}

TEST_F(LifecycleTest, stopping_before_eos_finalises_a_playable_file_and_warns) {
  EncodedStream stream = h264_stream(30);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("stopped.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  ASSERT_EQ(push_stream(h, stream, 15), GST_FLOW_OK);
  // A pushed buffer may still sit in the pad queue; stopping keeps what the writer accepted.
  gst_element_set_state(element_, GST_STATE_READY);
  const BusMessage said = next(GST_MESSAGE_WARNING | GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_EQ(said.type, GST_MESSAGE_WARNING);
  const std::string& text = said.text;
  EXPECT_EQ(text, "stopped before EOS; finalised " + location + " with data received so far");
  const int frames = decoded_video_frames(location);
  EXPECT_GE(frames, 14);
  EXPECT_LE(frames, 15);
}

TEST_F(LifecycleTest, optimize_for_network_use_puts_moov_before_mdat) {
  EncodedStream stream = h264_stream(10);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("fast-start.mp4");
  set_location(location);
  g_object_set(element_, "optimize-for-network-use", TRUE, nullptr);
  GstHarness* h = harness("video_%u");
  ASSERT_EQ(push_stream(h, stream), GST_FLOW_OK);
  ASSERT_TRUE(end_streams_and_expect_eos({h}));
  auto boxes = top_level_boxes(location);
  auto moov = std::find(boxes.begin(), boxes.end(), "moov");
  auto mdat = std::find(boxes.begin(), boxes.end(), "mdat");
  ASSERT_NE(moov, boxes.end());
  ASSERT_NE(mdat, boxes.end());
  EXPECT_LT(moov, mdat);
}

TEST(PipelineTest, audio_and_video_pipeline_ends_by_itself_with_both_tracks) {
  TempDir dir;
  const std::string location = dir.path("av.mov");
  const std::string error = run_to_eos(
      "videotestsrc num-buffers=60 ! video/x-raw,framerate=30/1 ! x264enc speed-preset=ultrafast bframes=2 ! "
      "h264parse ! queue ! w.video_%u audiotestsrc num-buffers=100 ! avenc_aac ! aacparse ! queue ! w.audio_%u "
      "assetwritersink name=w location=\"" + location + "\"");
  ASSERT_EQ(error, "");
  FileInfo info;
  discover(location, &info);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.video_streams, 1);
  EXPECT_EQ(info.audio_streams, 1);
  EXPECT_GE(info.duration, 1900 * GST_MSECOND);
  EXPECT_LE(info.duration, 2500 * GST_MSECOND);
  EXPECT_EQ(decoded_video_frames(location), 60);
}

TEST(PipelineTest, h265_stream_is_written) {
  TempDir dir;
  const std::string location = dir.path("hevc.mp4");
  const std::string error = run_to_eos(
      "videotestsrc num-buffers=10 ! video/x-raw,width=320,height=240 ! x265enc speed-preset=ultrafast ! h265parse "
      "! video/x-h265,stream-format=hvc1 ! assetwritersink location=\"" + location + "\"");
  ASSERT_EQ(error, "");
  FileInfo info;
  discover(location, &info);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.video_streams, 1);
}

}  // namespace
}  // namespace gstaw::test
