// The metadata property's structure → metadata items, and GstAudioClippingMeta → encoder delay.
#include <gst/audio/audio.h>
#include <gtest/gtest.h>

#include "convert/buffer_to_sample.h"
#include "convert/tags_to_metadata.h"

namespace gstaw {
namespace {

class MetadataProperty : public ::testing::Test {
 protected:
  void SetUp() override { gst_init(nullptr, nullptr); }
};

const aw::MetadataItem* find(const aw::Metadata& metadata, aw::MetadataKey key) {
  for (const auto& item : metadata) {
    if (item.key == key) return &item;
  }
  return nullptr;
}

TEST_F(MetadataProperty, library_key_names_and_tag_names_both_map_and_the_rest_is_skipped) {
  GstStructure* s = gst_structure_from_string(
      "meta, title=Foo, artist=Bar, creation-date=2026-11-25, location=\"+48.8577+002.2950/\", "
      "device-manufacturer=Acme, datetime=\"2026-11-25T10:00:00Z\", track-number=(uint)3, "
      "bitrate=(uint)1000, no-such-thing=1",
      nullptr);
  ASSERT_NE(s, nullptr);
  std::vector<std::string> skipped;
  const aw::Metadata metadata = structure_to_metadata(s, &skipped);
  gst_structure_free(s);
  ASSERT_NE(find(metadata, aw::MetadataKey::kTitle), nullptr);
  EXPECT_EQ(find(metadata, aw::MetadataKey::kTitle)->value, "Foo");
  EXPECT_EQ(find(metadata, aw::MetadataKey::kArtist)->value, "Bar");
  EXPECT_EQ(find(metadata, aw::MetadataKey::kLocation)->value, "+48.8577+002.2950/");
  EXPECT_EQ(find(metadata, aw::MetadataKey::kMake)->value, "Acme");
  EXPECT_EQ(find(metadata, aw::MetadataKey::kTrackNumber)->value, "3");
  // creation-date (the library's key) wins over the datetime tag: both give a creation date.
  ASSERT_NE(find(metadata, aw::MetadataKey::kCreationDate), nullptr);
  EXPECT_EQ(find(metadata, aw::MetadataKey::kCreationDate)->value, "2026-11-25");
  EXPECT_EQ(skipped, (std::vector<std::string>{"bitrate", "no-such-thing"}));
}

TEST_F(MetadataProperty, a_datetime_tag_given_as_text_is_parsed) {
  GstStructure* s = gst_structure_from_string("meta, datetime=\"2026-11-25T10:00:00Z\"", nullptr);
  const aw::Metadata metadata = structure_to_metadata(s);
  gst_structure_free(s);
  ASSERT_NE(find(metadata, aw::MetadataKey::kCreationDate), nullptr);
  EXPECT_EQ(find(metadata, aw::MetadataKey::kCreationDate)->value.substr(0, 16), "2026-11-25T10:00");
}

TEST_F(MetadataProperty, null_structure_is_no_metadata) { EXPECT_TRUE(structure_to_metadata(nullptr).empty()); }

TEST_F(MetadataProperty, merge_replaces_items_of_the_same_key_and_keeps_the_rest) {
  const aw::Metadata merged = merge_metadata({{aw::MetadataKey::kTitle, "tag"}, {aw::MetadataKey::kArtist, "a"}},
                                             {{aw::MetadataKey::kTitle, "property"}});
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(find(merged, aw::MetadataKey::kTitle)->value, "property");
  EXPECT_EQ(find(merged, aw::MetadataKey::kArtist)->value, "a");
}

TEST_F(MetadataProperty, unmapped_tags_are_the_ones_no_key_holds) {
  GstTagList* tags = gst_tag_list_new(GST_TAG_TITLE, "t", GST_TAG_BITRATE, 1000u, GST_TAG_AUDIO_CODEC, "AAC", nullptr);
  EXPECT_EQ(unmapped_tags(tags), (std::vector<std::string>{GST_TAG_BITRATE, GST_TAG_AUDIO_CODEC}));
  gst_tag_list_unref(tags);
}

TEST_F(MetadataProperty, clipping_in_samples_or_time_gives_both) {
  GstBuffer* samples = gst_buffer_new();
  gst_buffer_add_audio_clipping_meta(samples, GST_FORMAT_DEFAULT, 312, 100);
  AudioClipping a = audio_clipping(samples, 48000);
  EXPECT_EQ(a.start_samples, 312u);
  EXPECT_EQ(a.start_ns, 6'500'000);
  gst_buffer_unref(samples);

  GstBuffer* time = gst_buffer_new();
  gst_buffer_add_audio_clipping_meta(time, GST_FORMAT_TIME, 6'500'000, 0);
  AudioClipping b = audio_clipping(time, 48000);
  EXPECT_EQ(b.start_samples, 312u);
  EXPECT_EQ(b.start_ns, 6'500'000);
  gst_buffer_unref(time);

  GstBuffer* none = gst_buffer_new();
  EXPECT_EQ(audio_clipping(none, 48000).start_samples, 0u);
  gst_buffer_unref(none);
}

TEST_F(MetadataProperty, duration_past_the_segment_stop_ends_at_the_stop) {
  GstSegment segment;
  gst_segment_init(&segment, GST_FORMAT_TIME);
  segment.stop = GST_SECOND;
  GstBuffer* buffer = gst_buffer_new();
  GST_BUFFER_PTS(buffer) = 990 * GST_MSECOND;
  GST_BUFFER_DURATION(buffer) = 21 * GST_MSECOND;
  auto times = running_times(buffer, segment);
  ASSERT_TRUE(times);
  clip_duration_to_segment(*times, buffer, segment);
  EXPECT_EQ(times->duration, 10 * GST_MSECOND);
  gst_buffer_unref(buffer);
}

}  // namespace
}  // namespace gstaw
