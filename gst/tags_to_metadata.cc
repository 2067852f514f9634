#include "tags_to_metadata.h"

#include <gst/tag/tag.h>

#include <array>
#include <optional>
#include <string>
#include <utility>

namespace gstaw {
namespace {

struct StringTag {
  const char* tag;
  aw::MetadataKey key;
};

constexpr std::array<StringTag, 10> kStringTags{{
    {GST_TAG_DEVICE_MANUFACTURER, aw::MetadataKey::kMake},
    {GST_TAG_DEVICE_MODEL, aw::MetadataKey::kModel},
    {GST_TAG_TITLE, aw::MetadataKey::kTitle},
    {GST_TAG_ARTIST, aw::MetadataKey::kArtist},
    {GST_TAG_ALBUM, aw::MetadataKey::kAlbum},
    {GST_TAG_COMMENT, aw::MetadataKey::kComment},
    {GST_TAG_ENCODER, aw::MetadataKey::kEncoder},
    {GST_TAG_COPYRIGHT, aw::MetadataKey::kCopyright},
    {GST_TAG_GENRE, aw::MetadataKey::kGenre},
    {GST_TAG_DESCRIPTION, aw::MetadataKey::kDescription},
}};

std::optional<std::string> creation_date(const GstTagList* tags) {
  GstDateTime* date_time = nullptr;
  if (gst_tag_list_get_date_time(tags, GST_TAG_DATE_TIME, &date_time)) {
    gchar* text = gst_date_time_to_iso8601_string(date_time);
    gst_date_time_unref(date_time);
    if (text) {
      std::string out = text;
      g_free(text);
      return out;
    }
  }
  GDate* date = nullptr;
  if (gst_tag_list_get_date(tags, GST_TAG_DATE, &date)) {
    std::optional<std::string> out;
    if (g_date_valid(date)) {
      gchar text[16];
      g_snprintf(text, sizeof text, "%04u-%02u-%02u", g_date_get_year(date),
                 static_cast<unsigned>(g_date_get_month(date)), g_date_get_day(date));
      out = text;
    }
    g_date_free(date);
    return out;
  }
  return std::nullopt;
}

// ISO 6709 "+DD.DDDD+DDD.DDDD+AAA.AAA/" from the geo-location tags (altitude when known).
std::optional<std::string> location(const GstTagList* tags) {
  gdouble latitude = 0, longitude = 0, elevation = 0;
  if (!gst_tag_list_get_double(tags, GST_TAG_GEO_LOCATION_LATITUDE, &latitude) ||
      !gst_tag_list_get_double(tags, GST_TAG_GEO_LOCATION_LONGITUDE, &longitude)) {
    return std::nullopt;
  }
  gchar text[64];
  if (gst_tag_list_get_double(tags, GST_TAG_GEO_LOCATION_ELEVATION, &elevation)) {
    g_snprintf(text, sizeof text, "%+08.4f%+09.4f%+.3f/", latitude, longitude, elevation);
  } else {
    g_snprintf(text, sizeof text, "%+08.4f%+09.4f/", latitude, longitude);
  }
  return std::string(text);
}

std::optional<std::string> track_number(const GstTagList* tags) {
  guint number = 0, count = 0;
  if (!gst_tag_list_get_uint(tags, GST_TAG_TRACK_NUMBER, &number) || number == 0) return std::nullopt;
  if (gst_tag_list_get_uint(tags, GST_TAG_TRACK_COUNT, &count) && count > 0) {
    return std::to_string(number) + "/" + std::to_string(count);
  }
  return std::to_string(number);
}

// The cover image (GST_TAG_IMAGE, else the preview image): its encoded bytes.
std::optional<std::string> artwork(const GstTagList* tags) {
  GstSample* sample = nullptr;
  if (!gst_tag_list_get_sample(tags, GST_TAG_IMAGE, &sample) &&
      !gst_tag_list_get_sample(tags, GST_TAG_PREVIEW_IMAGE, &sample)) {
    return std::nullopt;
  }
  std::optional<std::string> out;
  GstMapInfo map;
  GstBuffer* buffer = gst_sample_get_buffer(sample);
  if (buffer && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
    out = std::string(reinterpret_cast<const char*>(map.data), map.size);
    gst_buffer_unmap(buffer, &map);
  }
  gst_sample_unref(sample);
  return out;
}

}  // namespace

aw::Metadata tags_to_metadata(const GstTagList* tags) {
  aw::Metadata metadata;
  if (!tags) return metadata;
  for (const StringTag& entry : kStringTags) {
    gchar* value = nullptr;
    // A list tag (several artists) becomes one item: the boxes hold one string per key.
    if (gst_tag_list_get_string(tags, entry.tag, &value) && value && *value) {
      metadata.push_back({entry.key, value});
    }
    g_free(value);
  }
  if (auto date = creation_date(tags)) metadata.push_back({aw::MetadataKey::kCreationDate, std::move(*date)});
  if (auto where = location(tags)) metadata.push_back({aw::MetadataKey::kLocation, std::move(*where)});
  if (auto number = track_number(tags)) metadata.push_back({aw::MetadataKey::kTrackNumber, std::move(*number)});
  if (auto image = artwork(tags)) metadata.push_back({aw::MetadataKey::kArtwork, std::move(*image)});
  return metadata;
}

std::optional<std::string> tags_to_language(const GstTagList* tags) {
  gchar* code = nullptr;
  if (!tags || !gst_tag_list_get_string(tags, GST_TAG_LANGUAGE_CODE, &code) || !code) return std::nullopt;
  // Accepts ISO 639-1 ("en"), 639-2/B ("ger") and 639-2/T; mdhd wants 639-2/T.
  const gchar* iso = gst_tag_get_language_code_iso_639_2T(code);
  std::optional<std::string> out;
  if (iso) out = iso;
  g_free(code);
  return out;
}

std::optional<int> tags_to_rotation(const GstTagList* tags) {
  gchar* orientation = nullptr;
  if (!tags || !gst_tag_list_get_string(tags, GST_TAG_IMAGE_ORIENTATION, &orientation) || !orientation) {
    return std::nullopt;
  }
  const std::string value = orientation;
  g_free(orientation);
  for (int degrees : {0, 90, 180, 270}) {
    if (value == "rotate-" + std::to_string(degrees)) return degrees;
  }
  return std::nullopt;
}

}  // namespace gstaw
