#include "convert/tags_to_metadata.h"

#include <gst/tag/tag.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
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

namespace {

std::optional<aw::MetadataKey> key_named(const char* name) {
  for (int k = static_cast<int>(aw::MetadataKey::kTitle); k <= static_cast<int>(aw::MetadataKey::kTrackNumber); ++k) {
    const auto key = static_cast<aw::MetadataKey>(k);
    if (std::string_view(aw::to_string(key)) == name) return key;
  }
  return std::nullopt;
}

std::optional<std::string> value_as_text(const GValue* value) {
  if (G_VALUE_HOLDS_STRING(value)) {
    const gchar* text = g_value_get_string(value);
    if (!text || !*text) return std::nullopt;
    return std::string(text);
  }
  if (!g_value_type_transformable(G_VALUE_TYPE(value), G_TYPE_STRING)) return std::nullopt;
  GValue text = G_VALUE_INIT;
  g_value_init(&text, G_TYPE_STRING);
  std::optional<std::string> out;
  if (g_value_transform(value, &text) && g_value_get_string(&text)) out = g_value_get_string(&text);
  g_value_unset(&text);
  return out;
}

// `value` as the type the tag `name` holds: as given, transformed (int → uint, int → double), or parsed
// from text for dates. False when it cannot be.
bool add_as_tag(GstTagList* tags, const char* name, const GValue* value) {
  const GType type = gst_tag_get_type(name);
  if (G_VALUE_TYPE(value) == type) {
    gst_tag_list_add_value(tags, GST_TAG_MERGE_REPLACE, name, value);
    return true;
  }
  GValue converted = G_VALUE_INIT;
  g_value_init(&converted, type);
  bool ok = false;
  if (G_VALUE_HOLDS_STRING(value) && type == GST_TYPE_DATE_TIME) {
    if (GstDateTime* date_time = gst_date_time_new_from_iso8601_string(g_value_get_string(value))) {
      g_value_take_boxed(&converted, date_time);
      ok = true;
    }
  } else if (G_VALUE_HOLDS_STRING(value) && type == G_TYPE_DATE) {
    GDate* date = g_date_new();
    g_date_set_parse(date, g_value_get_string(value));
    if (g_date_valid(date)) {
      g_value_take_boxed(&converted, date);
      ok = true;
    } else {
      g_date_free(date);
    }
  } else if (g_value_type_transformable(G_VALUE_TYPE(value), type)) {
    ok = g_value_transform(value, &converted);
  }
  if (ok) gst_tag_list_add_value(tags, GST_TAG_MERGE_REPLACE, name, &converted);
  g_value_unset(&converted);
  return ok;
}

}  // namespace

bool tag_has_metadata_key(const char* tag) {
  for (const StringTag& entry : kStringTags) {
    if (std::string_view(entry.tag) == tag) return true;
  }
  // The tags read by creation_date(), location(), track_number() and artwork(), and the ones that go to the
  // track itself rather than to metadata items.
  static constexpr const char* kOther[] = {GST_TAG_DATE_TIME,
                                           GST_TAG_DATE,
                                           GST_TAG_GEO_LOCATION_LATITUDE,
                                           GST_TAG_GEO_LOCATION_LONGITUDE,
                                           GST_TAG_GEO_LOCATION_ELEVATION,
                                           GST_TAG_TRACK_NUMBER,
                                           GST_TAG_TRACK_COUNT,
                                           GST_TAG_IMAGE,
                                           GST_TAG_PREVIEW_IMAGE,
                                           GST_TAG_LANGUAGE_CODE,
                                           GST_TAG_IMAGE_ORIENTATION};
  for (const char* other : kOther) {
    if (std::string_view(other) == tag) return true;
  }
  return false;
}

std::vector<std::string> unmapped_tags(const GstTagList* tags) {
  std::vector<std::string> out;
  if (!tags) return out;
  const int count = gst_tag_list_n_tags(tags);
  for (int i = 0; i < count; ++i) {
    const gchar* name = gst_tag_list_nth_tag_name(tags, static_cast<guint>(i));
    if (!tag_has_metadata_key(name)) out.push_back(name);
  }
  return out;
}

aw::Metadata structure_to_metadata(const GstStructure* structure, std::vector<std::string>* skipped) {
  aw::Metadata direct;
  if (!structure) return direct;
  GstTagList* tags = gst_tag_list_new_empty();
  const int count = gst_structure_n_fields(structure);
  for (int i = 0; i < count; ++i) {
    const char* name = gst_structure_nth_field_name(structure, i);
    const GValue* value = gst_structure_get_value(structure, name);
    bool used = false;
    // The library's own key names first: "title" is both, and the text is the same either way.
    if (auto key = key_named(name)) {
      if (auto text = value_as_text(value)) {
        direct.push_back({*key, std::move(*text)});
        used = true;
      }
    } else if (gst_tag_exists(name) && tag_has_metadata_key(name)) {
      used = add_as_tag(tags, name, value);
    }
    if (!used && skipped) skipped->push_back(name);
  }
  aw::Metadata from_tags = tags_to_metadata(tags);
  gst_tag_list_unref(tags);
  return merge_metadata(std::move(from_tags), direct);
}

aw::Metadata merge_metadata(aw::Metadata base, const aw::Metadata& overrides) {
  for (const aw::MetadataItem& item : overrides) {
    std::erase_if(base, [&](const aw::MetadataItem& b) { return b.key == item.key; });
  }
  base.insert(base.end(), overrides.begin(), overrides.end());
  return base;
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
