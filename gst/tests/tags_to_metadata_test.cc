// tags_to_metadata(), tags_to_language(), tags_to_rotation().
#include "convert/tags_to_metadata.h"

#include <gst/tag/tag.h>
#include <gtest/gtest.h>

namespace gstaw {
namespace {

class TagsToMetadata : public ::testing::Test {
 protected:
  void SetUp() override { gst_init(nullptr, nullptr); }
};

std::string value_of(const aw::Metadata& metadata, aw::MetadataKey key) {
  for (const auto& item : metadata) {
    if (item.key == key) return item.value;
  }
  return "<absent>";
}

TEST_F(TagsToMetadata, common_tags_map_to_keys) {
  GstTagList* tags = gst_tag_list_new(GST_TAG_TITLE, "T", GST_TAG_ARTIST, "A", GST_TAG_ALBUM, "Al", GST_TAG_COMMENT,
                                      "C", GST_TAG_ENCODER, "E", GST_TAG_COPYRIGHT, "(c)", GST_TAG_GENRE, "G",
                                      GST_TAG_DESCRIPTION, "D", GST_TAG_BITRATE, 1000u, nullptr);
  aw::Metadata metadata = tags_to_metadata(tags);
  EXPECT_EQ(metadata.size(), 8u);
  EXPECT_EQ(value_of(metadata, aw::MetadataKey::kTitle), "T");
  EXPECT_EQ(value_of(metadata, aw::MetadataKey::kArtist), "A");
  EXPECT_EQ(value_of(metadata, aw::MetadataKey::kAlbum), "Al");
  EXPECT_EQ(value_of(metadata, aw::MetadataKey::kComment), "C");
  EXPECT_EQ(value_of(metadata, aw::MetadataKey::kEncoder), "E");
  EXPECT_EQ(value_of(metadata, aw::MetadataKey::kCopyright), "(c)");
  EXPECT_EQ(value_of(metadata, aw::MetadataKey::kGenre), "G");
  EXPECT_EQ(value_of(metadata, aw::MetadataKey::kDescription), "D");
  gst_tag_list_unref(tags);
}

TEST_F(TagsToMetadata, datetime_is_preferred_over_date_as_iso_text) {
  GstDateTime* date_time = gst_date_time_new(0, 2026, 11, 25, 10, 0, 0);
  GDate* date = g_date_new_dmy(1, G_DATE_JANUARY, 2000);
  GstTagList* tags = gst_tag_list_new(GST_TAG_DATE_TIME, date_time, GST_TAG_DATE, date, nullptr);
  EXPECT_EQ(value_of(tags_to_metadata(tags), aw::MetadataKey::kCreationDate), "2026-11-25T10:00:00Z");
  gst_tag_list_remove_tag(tags, GST_TAG_DATE_TIME);
  EXPECT_EQ(value_of(tags_to_metadata(tags), aw::MetadataKey::kCreationDate), "2000-01-01");
  gst_tag_list_unref(tags);
  g_date_free(date);
  gst_date_time_unref(date_time);
}

TEST_F(TagsToMetadata, language_becomes_iso_639_2t) {
  GstTagList* tags = gst_tag_list_new(GST_TAG_LANGUAGE_CODE, "de", nullptr);
  EXPECT_EQ(tags_to_language(tags), "deu");
  gst_tag_list_add(tags, GST_TAG_MERGE_REPLACE, GST_TAG_LANGUAGE_CODE, "ger", nullptr);
  EXPECT_EQ(tags_to_language(tags), "deu");
  gst_tag_list_add(tags, GST_TAG_MERGE_REPLACE, GST_TAG_LANGUAGE_CODE, "zz-unknown", nullptr);
  EXPECT_EQ(tags_to_language(tags), std::nullopt);
  gst_tag_list_unref(tags);
}

TEST_F(TagsToMetadata, rotations_are_read_and_flips_ignored) {
  for (int degrees : {0, 90, 180, 270}) {
    const std::string value = "rotate-" + std::to_string(degrees);
    GstTagList* tags = gst_tag_list_new(GST_TAG_IMAGE_ORIENTATION, value.c_str(), nullptr);
    EXPECT_EQ(tags_to_rotation(tags), degrees);
    gst_tag_list_unref(tags);
  }
  GstTagList* flip = gst_tag_list_new(GST_TAG_IMAGE_ORIENTATION, "flip-rotate-90", nullptr);
  EXPECT_EQ(tags_to_rotation(flip), std::nullopt);
  gst_tag_list_unref(flip);
}

}  // namespace
}  // namespace gstaw
