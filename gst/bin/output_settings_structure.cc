#include "bin/output_settings_structure.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

namespace gstaw {
namespace {

aw::Status invalid(std::string message) { return aw::Status(aw::ErrorCode::kInvalidArgument, std::move(message)); }

std::string type_name(const GValue* value) { return g_type_name(G_VALUE_TYPE(value)); }

// Integers of any width (a parsed string gives gint; code may pass guint or gint64), as a uint32.
aw::Result<uint32_t> to_uint(const char* field, const GValue* value) {
  int64_t v = 0;
  if (G_VALUE_HOLDS_INT(value)) {
    v = g_value_get_int(value);
  } else if (G_VALUE_HOLDS_UINT(value)) {
    v = g_value_get_uint(value);
  } else if (G_VALUE_HOLDS_INT64(value)) {
    v = g_value_get_int64(value);
  } else if (G_VALUE_HOLDS_UINT64(value)) {
    const guint64 u = g_value_get_uint64(value);
    v = u > static_cast<guint64>(std::numeric_limits<int64_t>::max()) ? -1 : static_cast<int64_t>(u);
  } else {
    return invalid(std::string(field) + " must be a whole number, not a " + type_name(value));
  }
  if (v < 0 || v > std::numeric_limits<uint32_t>::max()) {
    return invalid(std::string(field) + " " + std::to_string(v) + " is out of range");
  }
  return static_cast<uint32_t>(v);
}

std::optional<aw::Codec> codec_for_name(std::string_view name) {
  if (name == "video/x-h264" || name == "h264") return aw::Codec::kH264;
  if (name == "video/x-h265" || name == "h265" || name == "hevc") return aw::Codec::kHevc;
  if (name == "audio/mpeg" || name == "aac") return aw::Codec::kAac;
  return std::nullopt;
}

const char* caps_name(aw::Codec codec) {
  switch (codec) {
    case aw::Codec::kH264: return "video/x-h264";
    case aw::Codec::kHevc: return "video/x-h265";
    default: return "audio/mpeg";
  }
}

struct Parse {
  aw::OutputSettings settings;
  aw::Status status;
};

gboolean parse_field(GQuark id, const GValue* value, gpointer data) {
  auto* parse = static_cast<Parse*>(data);
  aw::OutputSettings& s = parse->settings;
  const char* field = g_quark_to_string(id);
  const bool video = aw::media_type_of(s.codec) == aw::MediaType::kVideo;
  auto set_uint = [&](std::optional<uint32_t>& slot, uint32_t scale = 1) {
    auto v = to_uint(field, value);
    if (!v) {
      parse->status = v.status();
    } else if (static_cast<uint64_t>(*v) * scale > std::numeric_limits<uint32_t>::max()) {
      parse->status = invalid(std::string(field) + " " + std::to_string(*v) + (scale == 1000 ? " kbit/s" : "") +
                              " is out of range");
    } else {
      slot = *v * scale;
    }
  };
  if (std::strcmp(field, "bitrate") == 0) {
    set_uint(s.bitrate, video ? 1000 : 1);
  } else if (std::strcmp(field, "width") == 0) {
    set_uint(s.width);
  } else if (std::strcmp(field, "height") == 0) {
    set_uint(s.height);
  } else if (std::strcmp(field, "key-frame-interval") == 0 || std::strcmp(field, "key-int-max") == 0) {
    set_uint(s.key_frame_interval);
  } else if (std::strcmp(field, "rate") == 0) {
    set_uint(s.sample_rate);
  } else if (std::strcmp(field, "channels") == 0) {
    set_uint(s.channels);
  } else if (std::strcmp(field, "quality") == 0) {
    if (G_VALUE_HOLDS_DOUBLE(value)) {
      s.quality = g_value_get_double(value);
    } else if (G_VALUE_HOLDS_INT(value)) {
      s.quality = g_value_get_int(value);
    } else {
      parse->status = invalid("quality must be a number from 0 to 1, not a " + type_name(value));
    }
  } else if (std::strcmp(field, "profile") == 0) {
    if (G_VALUE_HOLDS_STRING(value) && g_value_get_string(value)) {
      s.profile = g_value_get_string(value);
    } else {
      parse->status = invalid("profile must be a string, not a " + type_name(value));
    }
  } else if (std::strcmp(field, "mpegversion") == 0 && !video) {
    auto v = to_uint(field, value);
    if (!v || *v != 4) parse->status = invalid("mpegversion must be 4 (AAC)");
  } else {
    parse->status = invalid(std::string("unknown field \"") + field +
                            "\" (known: bitrate, quality, key-frame-interval, profile, width, height, rate, "
                            "channels)");
  }
  return parse->status.is_ok();
}

}  // namespace

aw::Result<aw::OutputSettings> settings_from_structure(const GstStructure* structure) {
  const char* name = gst_structure_get_name(structure);
  auto codec = codec_for_name(name);
  if (!codec) {
    return invalid(std::string("no codec named \"") + name +
                   "\" (known: video/x-h264, video/x-h265, audio/mpeg, or h264, h265, hevc, aac)");
  }
  Parse parse;
  parse.settings.codec = *codec;
  gst_structure_foreach(structure, parse_field, &parse);
  if (!parse.status) return parse.status;
  return parse.settings;
}

aw::Result<aw::OutputSettings> settings_from_string(std::string_view text) {
  const std::string copy(text);
  GstStructure* structure = gst_structure_from_string(copy.c_str(), nullptr);
  if (!structure) return invalid("\"" + copy + "\" is not a caps-like structure (e.g. video/x-h264,bitrate=2000)");
  auto settings = settings_from_structure(structure);
  gst_structure_free(structure);
  return settings;
}

std::string settings_to_string(const aw::OutputSettings& s) {
  const bool video = aw::media_type_of(s.codec) == aw::MediaType::kVideo;
  std::string out = caps_name(s.codec);
  auto add = [&](const char* field, const std::optional<uint32_t>& v, uint32_t scale = 1) {
    if (v) out += std::string(", ") + field + "=" + std::to_string(*v / scale);
  };
  add("bitrate", s.bitrate, video ? 1000 : 1);
  if (s.quality) {
    gchar buffer[G_ASCII_DTOSTR_BUF_SIZE];
    out += std::string(", quality=") + g_ascii_dtostr(buffer, sizeof buffer, *s.quality);
  }
  add("key-frame-interval", s.key_frame_interval);
  if (s.profile) out += ", profile=" + *s.profile;
  add("width", s.width);
  add("height", s.height);
  add("rate", s.sample_rate);
  add("channels", s.channels);
  return out;
}

GstCaps* encoded_caps(const aw::OutputSettings& s) {
  GstCaps* caps = gst_caps_new_empty_simple(caps_name(s.codec));
  if (s.codec == aw::Codec::kAac) gst_caps_set_simple(caps, "mpegversion", G_TYPE_INT, 4, nullptr);
  if (s.profile) gst_caps_set_simple(caps, "profile", G_TYPE_STRING, s.profile->c_str(), nullptr);
  return caps;
}

GstCaps* raw_caps(const aw::OutputSettings& s, const char* format) {
  auto set_int = [](GstCaps* caps, const char* field, const std::optional<uint32_t>& v) {
    if (v) gst_caps_set_simple(caps, field, G_TYPE_INT, static_cast<gint>(*v), nullptr);
  };
  if (aw::media_type_of(s.codec) == aw::MediaType::kAudio) {
    GstCaps* caps = gst_caps_new_empty_simple("audio/x-raw");
    set_int(caps, "rate", s.sample_rate);
    set_int(caps, "channels", s.channels);
    return caps;
  }
  GstCaps* caps = gst_caps_new_empty_simple("video/x-raw");
  if (format && *format) gst_caps_set_simple(caps, "format", G_TYPE_STRING, format, nullptr);
  set_int(caps, "width", s.width);
  set_int(caps, "height", s.height);
  return caps;
}

std::vector<std::string> raw_video_formats(const aw::OutputSettings& s) {
  const std::string profile = s.profile.value_or("");
  const bool ten_bit = profile.find("10") != std::string::npos;
  if (profile.find("4:4:4") != std::string::npos || profile.find("444") != std::string::npos) {
    return {ten_bit ? "Y444_10LE" : "Y444"};
  }
  if (profile.find("4:2:2") != std::string::npos || profile.find("422") != std::string::npos) {
    return {"I422_10LE", "Y42B"};
  }
  if (ten_bit) return {"I420_10LE", "P010_10LE"};
  // 4:2:0 8-bit plays everywhere; without a pinned format x264enc would follow the source into 4:4:4.
  return {"I420", "NV12"};
}

}  // namespace gstaw
