// Tags from events and from the GstTagSetter interface end up in the file where qtdemux finds them.
#include <gst/tag/tag.h>
#include <gtest/gtest.h>

#include "element_fixture.h"

namespace gstaw::test {
namespace {

using TagsTest = ElementTest;

GstEvent* tag_event(GstTagScope scope, GstTagList* tags) {
  gst_tag_list_set_scope(tags, scope);
  return gst_event_new_tag(tags);
}

TEST_F(TagsTest, global_tags_become_file_metadata_and_stream_tags_set_language_and_rotation) {
  EncodedStream stream = h264_stream(10);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("tags.mp4");
  set_location(location);
  gst_tag_setter_add_tags(GST_TAG_SETTER(element_), GST_TAG_MERGE_REPLACE, GST_TAG_ARTIST, "Setter Artist",
                          nullptr);
  GstHarness* h = harness("video_%u");
  gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
  EXPECT_TRUE(gst_harness_push_event(
      h, tag_event(GST_TAG_SCOPE_GLOBAL, gst_tag_list_new(GST_TAG_TITLE, "Event Title", GST_TAG_COMMENT,
                                                          "a comment", nullptr))));
  EXPECT_TRUE(gst_harness_push_event(
      h, tag_event(GST_TAG_SCOPE_STREAM, gst_tag_list_new(GST_TAG_LANGUAGE_CODE, "fr", GST_TAG_IMAGE_ORIENTATION,
                                                          "rotate-90", nullptr))));
  ASSERT_EQ(push_stream(h, stream), GST_FLOW_OK);
  ASSERT_TRUE(end_streams_and_expect_eos({h}));

  FileInfo info;
  discover(location, &info);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.tag(GST_TAG_TITLE), "Event Title");
  EXPECT_EQ(info.tag(GST_TAG_ARTIST), "Setter Artist");
  EXPECT_EQ(info.tag(GST_TAG_COMMENT), "a comment");
  EXPECT_EQ(info.video_tag(GST_TAG_LANGUAGE_CODE), "fr");  // qtdemux reports ISO 639-1 when one exists
  EXPECT_EQ(info.video_tag(GST_TAG_IMAGE_ORIENTATION), "rotate-90");
  EXPECT_NE(file_bytes(location).find("\xa9nam"), std::string::npos);
}

// The library writes metadata at finish and accepts set_metadata() while writing.
TEST_F(TagsTest, global_tags_after_the_first_buffers_are_still_written) {
  EncodedStream stream = h264_stream(10);
  ASSERT_NE(stream.caps, nullptr);
  const std::string location = dir_.path("late-tags.mp4");
  set_location(location);
  GstHarness* h = harness("video_%u");
  ASSERT_EQ(push_stream(h, stream), GST_FLOW_OK);
  EXPECT_TRUE(gst_harness_push_event(
      h, tag_event(GST_TAG_SCOPE_GLOBAL, gst_tag_list_new(GST_TAG_TITLE, "Late Title", nullptr))));
  ASSERT_TRUE(end_streams_and_expect_eos({h}, GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING));

  FileInfo info;
  discover(location, &info);
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.tag(GST_TAG_TITLE), "Late Title");
}

}  // namespace
}  // namespace gstaw::test
