#include "convert/sparse_payload.h"

#include <cstring>

#include "aw/text_and_metadata.h"
#include "convert/caps_to_format.h"

namespace gstaw {
namespace {

aw::Status refuse(const GstCaps* caps, const std::string& why) {
  gchar* text = gst_caps_to_string(caps);
  aw::Status status(aw::ErrorCode::kUnsupported, std::string("refusing caps ") + (text ? text : "") + ": " + why);
  g_free(text);
  return status;
}

aw::Status invalid(const std::string& why) { return aw::Status(aw::ErrorCode::kInvalidArgument, why); }

std::vector<std::string> split_keys(const std::string& list) {
  std::vector<std::string> keys;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string key = list.substr(start, comma - start);
    key.erase(0, key.find_first_not_of(" \t"));
    key.erase(key.find_last_not_of(" \t") + 1);
    if (!key.empty()) keys.push_back(key);
    start = comma + 1;
  }
  return keys;
}

bool pango_markup(const CapsFormat& format) { return format.text_markup; }

// A field's value as the UTF-8 text stored for it: strings as they are, anything else serialised.
std::string value_text(const GValue* value) {
  if (G_VALUE_HOLDS_STRING(value)) return g_value_get_string(value) ? g_value_get_string(value) : "";
  gchar* text = gst_value_serialize(value);
  std::string out = text ? text : "";
  g_free(text);
  return out;
}

aw::Result<std::vector<uint8_t>> structure_payload(const CapsFormat& format, const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  while (!text.empty() && (text.back() == '\0' || text.back() == '\n')) text.pop_back();
  GstStructure* s = gst_structure_from_string(text.c_str(), nullptr);
  if (!s) return invalid("metadata buffer is not a serialised GstStructure: \"" + text.substr(0, 80) + "\"");
  std::vector<aw::TimedMetadataValue> values;
  const auto& keys = format.format.metadata_keys;
  std::string unknown;
  for (gint i = 0; i < gst_structure_n_fields(s); ++i) {
    const char* name = gst_structure_nth_field_name(s, static_cast<guint>(i));
    size_t index = keys.size();
    for (size_t k = 0; k < keys.size(); ++k) {
      if (keys[k].key == name) index = k;
    }
    if (index == keys.size()) {
      unknown = name;
      break;
    }
    std::string value = value_text(gst_structure_get_value(s, name));
    values.push_back({index, std::vector<uint8_t>(value.begin(), value.end())});
  }
  gst_structure_free(s);
  if (!unknown.empty()) return invalid("metadata key \"" + unknown + "\" is not one of the caps' keys");
  return aw::make_metadata_sample(values, keys.size());
}

}  // namespace

bool is_sparse_caps_name(const std::string& name) {
  return name == "text/x-raw" || name == "meta/x-klv" || name == "application/x-metadata";
}

aw::Result<CapsFormat> sparse_caps_format(const GstCaps* caps, const GstStructure* s) {
  const std::string name = gst_structure_get_name(s);
  CapsFormat out;
  if (name == "text/x-raw") {
    const char* format = gst_structure_get_string(s, "format");
    if (!format || (std::strcmp(format, "utf8") != 0 && std::strcmp(format, "pango-markup") != 0)) {
      return refuse(caps, "text must be utf8 or pango-markup");
    }
    out.media_type = aw::MediaType::kText;
    out.format.codec = aw::Codec::kTx3g;
    out.text_markup = std::strcmp(format, "pango-markup") == 0;
    return out;
  }
  out.media_type = aw::MediaType::kMetadata;
  out.format.codec = aw::Codec::kMebx;
  if (name == "meta/x-klv") {
    out.format.metadata_keys.push_back({aw::FourCC("mdta"), kKlvKey, aw::MetadataDataType::kRaw});
    return out;
  }
  const char* list = gst_structure_get_string(s, "keys");
  std::vector<std::string> keys = split_keys(list ? list : "");
  if (keys.empty()) {
    return refuse(caps, "application/x-metadata needs keys=(string)\"key1,key2\" naming the keys its buffers carry");
  }
  for (const std::string& key : keys) {
    out.format.metadata_keys.push_back({aw::FourCC("mdta"), key, aw::MetadataDataType::kUtf8});
  }
  return out;
}

aw::Result<std::vector<uint8_t>> sparse_payload(const CapsFormat& format, const uint8_t* data, size_t size) {
  if (format.format.codec == aw::Codec::kTx3g) {
    std::string text(reinterpret_cast<const char*>(data), size);
    // Text elements often end buffers with a NUL or a line break; neither is shown.
    while (!text.empty() && (text.back() == '\0' || text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (pango_markup(format)) text = strip_pango_markup(text);
    return aw::make_text_sample(text);
  }
  const auto& keys = format.format.metadata_keys;
  if (keys.size() == 1 && keys.front().key == kKlvKey && keys.front().data_type == aw::MetadataDataType::kRaw) {
    if (size == 0) return aw::make_metadata_sample({}, keys.size());
    aw::TimedMetadataValue value{0, std::vector<uint8_t>(data, data + size)};
    return aw::make_metadata_sample({&value, 1}, keys.size());
  }
  return structure_payload(format, data, size);
}

std::string strip_pango_markup(const std::string& markup) {
  // Pango markup is XML-like: tags go, the five XML entities and numeric references become characters.
  static const std::pair<const char*, const char*> kEntities[] = {
      {"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""}, {"apos;", "'"}};
  std::string out;
  for (size_t i = 0; i < markup.size(); ++i) {
    char c = markup[i];
    if (c == '<') {
      size_t close = markup.find('>', i);
      if (close == std::string::npos) break;
      i = close;
      continue;
    }
    if (c != '&') {
      out += c;
      continue;
    }
    bool replaced = false;
    for (const auto& [entity, character] : kEntities) {
      if (markup.compare(i + 1, std::strlen(entity), entity) == 0) {
        out += character;
        i += std::strlen(entity);
        replaced = true;
        break;
      }
    }
    if (!replaced && i + 2 < markup.size() && markup[i + 1] == '#') {
      size_t semi = markup.find(';', i);
      if (semi != std::string::npos) {
        const bool hex = markup[i + 2] == 'x' || markup[i + 2] == 'X';
        const std::string digits = markup.substr(i + (hex ? 3 : 2), semi - i - (hex ? 3 : 2));
        gchar* end = nullptr;
        const guint64 code = g_ascii_strtoull(digits.c_str(), &end, hex ? 16 : 10);
        if (!digits.empty() && end && *end == '\0' && code > 0 && code <= 0x10ffff) {
          gchar utf8[8] = {};
          out.append(utf8, static_cast<size_t>(g_unichar_to_utf8(static_cast<gunichar>(code), utf8)));
          i = semi;
          replaced = true;
        }
      }
    }
    if (!replaced) out += c;
  }
  return out;
}

}  // namespace gstaw
