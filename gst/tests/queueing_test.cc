// How deep the pads queue (the aggregator latency) with and without a live upstream, and that a live pad
// which goes silent does not hold back the others once its deadline passed.
#include <gst/check/gsttestclock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "element_fixture.h"

namespace gstaw::test {
namespace {

constexpr guint64 kNonLiveQueue = 500 * GST_MSECOND;

guint64 latency_of(GstElement* element) {
  guint64 latency = 0;
  g_object_get(element, "latency", &latency, nullptr);
  return latency;
}

// Plays `launch` (a non-live pipeline with an assetwritersink named w) to EOS and returns the sink's
// latency property as it was at EOS; `after` gets it once the pipeline is back to NULL.
guint64 latency_at_eos(const std::string& launch, guint64 user_latency, guint64* after) {
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(launch.c_str(), &error);
  EXPECT_EQ(error, nullptr) << (error ? error->message : "");
  if (!pipeline) return 0;
  GstElement* sink = gst_bin_get_by_name(GST_BIN(pipeline), "w");
  if (user_latency != 0) g_object_set(sink, "latency", user_latency, nullptr);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  GstBus* bus = gst_element_get_bus(pipeline);
  GstMessage* message = wait_for(bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  EXPECT_NE(message, nullptr);
  if (message) {
    EXPECT_EQ(GST_MESSAGE_TYPE(message), GST_MESSAGE_EOS) << message_text(message);
    gst_message_unref(message);
  }
  const guint64 at_eos = latency_of(sink);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  *after = latency_of(sink);
  gst_object_unref(bus);
  gst_object_unref(sink);
  gst_object_unref(pipeline);
  return at_eos;
}

TEST(QueueDepthTest, non_live_upstream_lets_each_pad_queue_half_a_second_and_stop_restores_latency_0) {
  TempDir dir;
  guint64 after = 1;
  const guint64 during = latency_at_eos(
      "videotestsrc num-buffers=30 ! x264enc speed-preset=ultrafast ! h264parse ! queue ! "
      "assetwritersink name=w location=\"" + dir.path("non-live.mp4") + "\"",
      0, &after);
  EXPECT_EQ(during, kNonLiveQueue);
  EXPECT_EQ(after, 0u);
}

TEST(QueueDepthTest, a_latency_set_by_the_user_is_kept) {
  TempDir dir;
  guint64 after = 0;
  const guint64 during = latency_at_eos(
      "videotestsrc num-buffers=30 ! x264enc speed-preset=ultrafast ! h264parse ! queue ! "
      "assetwritersink name=w location=\"" + dir.path("user.mp4") + "\"",
      20 * GST_MSECOND, &after);
  EXPECT_EQ(during, 20 * GST_MSECOND);
  EXPECT_EQ(after, 20 * GST_MSECOND);
}

using LiveTest = ElementTest;

// GstHarness reports its upstream as live, so the element keeps latency 0 and waits on the clock.
TEST_F(LiveTest, a_silent_live_pad_does_not_hold_back_the_others_past_its_deadline) {
  EncodedStream video = h264_stream(2);
  EncodedStream audio =
      capture("audiotestsrc num-buffers=8 samplesperbuffer=1024 ! audio/x-raw,rate=48000 ! avenc_aac ! "
              "aacparse ! appsink name=out");
  ASSERT_NE(video.caps, nullptr);
  ASSERT_NE(audio.caps, nullptr);
  ASSERT_GE(audio.buffers.size(), 7u);
  const std::string location = dir_.path("silent-video.mp4");
  set_location(location);
  GstHarness* hv = harness("video_%u");
  GstHarness* ha = harness("audio_%u");
  GstClock* clock = gst_test_clock_new();
  gst_element_set_clock(element_, clock);

  // Two video frames from 0 (the encoder's own timestamps start 1000 hours in; ultrafast has no B-frames),
  // then the camera goes quiet while the microphone keeps delivering. Both push from their own threads: how
  // many buffers a live pad takes before blocking depends on when the aggregate thread wakes, and only
  // cranking the test clock moves it on.
  auto frame_at = [&](size_t i) {
    GstBuffer* frame = gst_buffer_copy(video.buffers[i]);
    GST_BUFFER_PTS(frame) = GST_BUFFER_DTS(frame) = i * GST_SECOND / 30;
    GST_BUFFER_DURATION(frame) = GST_SECOND / 30;
    return frame;
  };
  // The first buffer of each goes into an empty pad queue, which never blocks: both are queued before the
  // test clock moves, so writing starts with both tracks (a pad still without data when the start deadline
  // passes is left out of the file; robustness_test.cc).
  gst_harness_set_src_caps(hv, gst_caps_ref(video.caps));
  gst_harness_set_src_caps(ha, gst_caps_ref(audio.caps));
  ASSERT_EQ(gst_harness_push(hv, frame_at(0)), GST_FLOW_OK);
  ASSERT_EQ(gst_harness_push(ha, gst_buffer_ref(audio.buffers[0])), GST_FLOW_OK);
  auto pushed_video = std::async(std::launch::async, [&] {
    for (size_t i = 1; i < video.buffers.size(); ++i) {
      if (GstFlowReturn flow = gst_harness_push(hv, frame_at(i)); flow != GST_FLOW_OK) return flow;
    }
    return GST_FLOW_OK;
  });
  auto pushed_audio = std::async(std::launch::async, [&] {
    for (size_t i = 1; i < audio.buffers.size(); ++i) {
      if (GstFlowReturn flow = gst_harness_push(ha, gst_buffer_ref(audio.buffers[i])); flow != GST_FLOW_OK)
        return flow;
    }
    return GST_FLOW_OK;
  });
  // The audio thread only finishes if timeouts drain the audio pad past the silent video pad.
  auto done = [](std::future<GstFlowReturn>& f) {
    return f.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready;
  };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!(done(pushed_audio) && done(pushed_video)) && std::chrono::steady_clock::now() < give_up) {
    if (gst_test_clock_timed_wait_for_multiple_pending_ids(GST_TEST_CLOCK(clock), 1, 50, nullptr)) {
      gst_test_clock_crank(GST_TEST_CLOCK(clock));
    }
  }
  if (!done(pushed_audio) || !done(pushed_video)) {
    ADD_FAILURE() << (done(pushed_video) ? "audio stayed blocked behind the silent video pad"
                                         : "the two video frames were never taken");
    // Flushing unblocks the pushing threads, whose futures are waited for when they go out of scope.
    gst_element_set_state(element_, GST_STATE_NULL);
    gst_object_unref(clock);
    return;
  }
  EXPECT_EQ(pushed_audio.get(), GST_FLOW_OK);
  EXPECT_EQ(pushed_video.get(), GST_FLOW_OK);
  EXPECT_TRUE(end_streams_and_expect_eos({hv, ha}));
  EXPECT_EQ(latency_of(element_), 0u);
  gst_object_unref(clock);

  FileInfo info;
  discover(location, &info);
  ASSERT_TRUE(info.ok) << info.error;
  // GstDiscoverer lists no video for a two-frame track; decoding it proves the track is there (with the
  // audio linked too: it outlasts the video; qtdemux skips tracks under 20% of the movie's duration, so
  // the audio stays short).
  EncodedStream decoded = capture("filesrc location=\"" + location +
                                  "\" ! qtdemux name=d d.video_0 ! queue ! avdec_h264 ! appsink name=out "
                                  "sync=false d.audio_0 ! queue ! fakesink sync=false");
  EXPECT_EQ(decoded.buffers.size(), 2u);
  EXPECT_EQ(info.audio_streams, 1);
  EXPECT_GE(info.duration, 140 * GST_MSECOND);  // 7 AAC frames of 1024 samples at 48 kHz are 149 ms
}

}  // namespace
}  // namespace gstaw::test
