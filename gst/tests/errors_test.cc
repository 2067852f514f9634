// Stream and resource errors are posted as ERROR messages naming the pad or the path, and the element
// stops accepting data instead of hanging.
#include <gtest/gtest.h>

#include "element_fixture.h"

namespace gstaw::test {
namespace {

using ErrorsTest = ElementTest;

TEST_F(ErrorsTest, buffer_without_timestamp_is_an_error_naming_the_pad) {
  EncodedStream stream = h264_stream(3);
  ASSERT_NE(stream.caps, nullptr);
  set_location(dir_.path("no-timestamp.mp4"));
  GstHarness* h = harness("video_%u");
  gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
  GstBuffer* buffer = gst_buffer_copy(stream.buffers[0]);
  GST_BUFFER_PTS(buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DTS(buffer) = GST_CLOCK_TIME_NONE;
  gst_harness_push(h, buffer);

  const BusMessage said = next(GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_EQ(said.text, "video_0: buffer has no timestamp");
  // Later data is refused rather than blocking forever.
  GstFlowReturn ret = GST_FLOW_OK;
  for (int i = 0; i < 3 && ret == GST_FLOW_OK; ++i) ret = gst_harness_push(h, gst_buffer_ref(stream.buffers[1]));
  EXPECT_NE(ret, GST_FLOW_OK);
}

TEST_F(ErrorsTest, decode_time_going_backwards_is_an_error_naming_the_pad) {
  EncodedStream stream = h264_stream(3);
  ASSERT_NE(stream.caps, nullptr);
  set_location(dir_.path("backwards.mp4"));
  GstHarness* h = harness("video_%u");
  gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
  GstBuffer* first = gst_buffer_copy(stream.buffers[0]);
  GST_BUFFER_PTS(first) = GST_BUFFER_DTS(first) = 100 * GST_MSECOND;
  GstBuffer* second = gst_buffer_copy(stream.buffers[1]);
  GST_BUFFER_PTS(second) = GST_BUFFER_DTS(second) = 50 * GST_MSECOND;
  gst_harness_push(h, first);
  gst_harness_push(h, second);

  const BusMessage said = next(GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  const std::string& text = said.text;
  EXPECT_EQ(text.rfind("video_0: decode timestamp went backwards", 0), 0u) << text;
}

// A codec configuration the file cannot carry (an avcC shorter than its header): a STREAM/FORMAT error naming
// the pad, not "Could not open file for writing" (issue 22).
TEST_F(ErrorsTest, an_unwritable_codec_configuration_is_a_stream_error_naming_the_pad) {
  EncodedStream stream = h264_stream(3);
  ASSERT_NE(stream.caps, nullptr);
  set_location(dir_.path("bad-avcc.mp4"));
  GstHarness* h = harness("video_%u");
  GstCaps* caps = gst_caps_copy(stream.caps);
  const guint8 short_avcc[] = {1, 0x64, 0};
  GstBuffer* codec_data = gst_buffer_new_memdup(short_avcc, sizeof short_avcc);
  gst_caps_set_simple(caps, "codec_data", GST_TYPE_BUFFER, codec_data, nullptr);
  gst_buffer_unref(codec_data);
  gst_harness_set_src_caps(h, caps);
  for (int i = 0; i < 3; ++i) gst_harness_push(h, gst_buffer_ref(stream.buffers[i]));
  gst_harness_push_event(h, gst_event_new_eos());

  const BusMessage said = next(GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_TRUE(said.is(GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT)) << said.text;
  EXPECT_EQ(said.text.rfind("video_0:", 0), 0u) << said.text;
}

TEST_F(ErrorsTest, unwritable_location_fails_the_state_change_naming_the_path) {
  const std::string location = dir_.path("missing-dir/out.mp4");
  set_location(location);
  EXPECT_EQ(gst_element_set_state(element_, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  const BusMessage said = next(GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_TRUE(said.is(GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_WRITE));
  EXPECT_NE(said.text.find(location), std::string::npos) << said.text;
}

TEST_F(ErrorsTest, missing_location_fails_the_state_change) {
  EXPECT_EQ(gst_element_set_state(element_, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  const BusMessage said = next(GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  EXPECT_TRUE(said.is(GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND));
}

}  // namespace
}  // namespace gstaw::test
