// Caps the writer cannot hold are refused on the pad, with an ERROR naming the pad and the caps.
#include <gtest/gtest.h>

#include "element_fixture.h"

namespace gstaw::test {
namespace {

struct Refusal {
  const char* pad_template;
  const char* pad_name;
  const char* caps;
  const char* expected_text;  // part of the error text besides the pad name
};

class CapsRefusalTest : public ElementTest, public ::testing::WithParamInterface<Refusal> {};

TEST_P(CapsRefusalTest, caps_event_is_refused_with_an_error_naming_the_pad) {
  const Refusal& p = GetParam();
  set_location(dir_.path("refused.mp4"));
  GstHarness* h = harness(p.pad_template);
  GstCaps* caps = gst_caps_from_string(p.caps);
  ASSERT_NE(caps, nullptr);
  // The harness stores sticky events on its own pad whatever the peer says; the element's pad tells.
  gst_harness_push_event(h, gst_event_new_caps(caps));
  gst_caps_unref(caps);
  GstPad* pad = gst_element_get_static_pad(element_, p.pad_name);
  ASSERT_NE(pad, nullptr);
  EXPECT_FALSE(gst_pad_has_current_caps(pad));
  gst_object_unref(pad);

  const BusMessage said = next(GST_MESSAGE_ERROR);
  ASSERT_NE(said.type, GST_MESSAGE_UNKNOWN);
  const std::string& text = said.text;
  EXPECT_EQ(text.rfind(std::string(p.pad_name) + ": ", 0), 0u) << text;
  EXPECT_NE(text.find(p.expected_text), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(
    Caps, CapsRefusalTest,
    ::testing::Values(Refusal{"video_%u", "video_0", "video/x-raw, format=I420, width=320, height=240", "video/x-raw"},
                      Refusal{"audio_%u", "audio_0", "audio/mpeg, mpegversion=1, layer=3", "mpegversion=(int)1"},
                      Refusal{"video_%u", "video_0", "video/x-h264, stream-format=byte-stream, alignment=au",
                              "byte-stream"},
                      Refusal{"video_%u", "video_0", "video/x-h264, stream-format=avc, alignment=au", "codec_data"},
                      Refusal{"video_%u", "video_0", "video/x-h265, stream-format=hvc1, alignment=au", "codec_data"},
                      Refusal{"audio_%u", "audio_0", "audio/mpeg, mpegversion=4, stream-format=raw", "codec_data"}),
    [](const ::testing::TestParamInfo<Refusal>& info) { return "case" + std::to_string(info.index); });

TEST(CapsQueryTest, video_pad_offers_only_encoded_video) {
  GstElement* element = gst_element_factory_make("assetwritersink", nullptr);
  ASSERT_NE(element, nullptr);
  GstPad* pad = gst_element_request_pad_simple(element, "video_%u");
  GstCaps* raw = gst_caps_from_string("video/x-raw");
  GstCaps* result = gst_pad_query_caps(pad, raw);
  EXPECT_TRUE(gst_caps_is_empty(result));
  gst_caps_unref(result);
  gst_caps_unref(raw);
  gst_object_unref(pad);
  gst_object_unref(element);
}

}  // namespace
}  // namespace gstaw::test
