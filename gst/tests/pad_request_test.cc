// Request pads are named after their template (video_%u, audio_%u) and can be released.
#include <gtest/gtest.h>

#include "element_fixture.h"

namespace gstaw::test {
namespace {

std::string request(GstElement* element, const char* name) {
  GstPad* pad = gst_element_request_pad_simple(element, name);
  if (!pad) return "";
  std::string out = GST_PAD_NAME(pad);
  gst_object_unref(pad);
  return out;
}

using PadRequestTest = ElementTest;

TEST_F(PadRequestTest, pads_are_numbered_per_template) {
  EXPECT_EQ(request(element_, "video_%u"), "video_0");
  EXPECT_EQ(request(element_, "video_%u"), "video_1");
  EXPECT_EQ(request(element_, "audio_%u"), "audio_0");
  EXPECT_EQ(request(element_, "audio_%u"), "audio_1");
}

TEST_F(PadRequestTest, explicit_name_is_honoured_and_numbering_continues_after_it) {
  EXPECT_EQ(request(element_, "video_5"), "video_5");
  EXPECT_EQ(request(element_, "video_%u"), "video_6");
}

TEST_F(PadRequestTest, taken_or_malformed_names_are_refused) {
  EXPECT_EQ(request(element_, "audio_2"), "audio_2");
  EXPECT_EQ(request(element_, "audio_2"), "");
  EXPECT_EQ(request(element_, "audio_x"), "");
  EXPECT_EQ(request(element_, "sink_0"), "");
}

TEST_F(PadRequestTest, released_pad_is_removed) {
  GstPad* pad = gst_element_request_pad_simple(element_, "video_%u");
  ASSERT_NE(pad, nullptr);
  EXPECT_EQ(element_->numsinkpads, 1);
  gst_element_release_request_pad(element_, pad);
  gst_object_unref(pad);
  EXPECT_EQ(element_->numsinkpads, 0);
  EXPECT_EQ(request(element_, "video_%u"), "video_1");
}

TEST_F(PadRequestTest, element_is_a_sink_for_the_bin) {
  EXPECT_TRUE(GST_OBJECT_FLAG_IS_SET(element_, GST_ELEMENT_FLAG_SINK));
  EXPECT_TRUE(GST_IS_TAG_SETTER(element_));
}

}  // namespace
}  // namespace gstaw::test
