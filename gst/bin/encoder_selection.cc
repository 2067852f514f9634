#include "bin/encoder_selection.h"

#include <cmath>
#include <cstring>
#include <optional>

#include "bin/output_settings_structure.h"

namespace gstaw {
namespace {

aw::Status missing(std::string message) { return aw::Status(aw::ErrorCode::kUnsupported, std::move(message)); }

bool starts_with(const char* name, const char* prefix) { return g_str_has_prefix(name, prefix); }

// Bitrate units are not discoverable from the registry; these are the encoders' documented units. Video
// encoders in GStreamer mostly count kbit/s; libav, OpenH264 and the audio encoders count bit/s.
uint32_t bitrate_divisor(const char* factory, bool video) {
  if (!video) return 1;
  if (starts_with(factory, "avenc_") || starts_with(factory, "openh264")) return 1;
  return 1000;
}

// A property of the factory's element class and whether `value` fits it, checked against its range.
class Properties {
 public:
  explicit Properties(GstElementFactory* factory) {
    GType type = gst_element_factory_get_element_type(factory);
    if (type == G_TYPE_INVALID) {
      GstPluginFeature* loaded = gst_plugin_feature_load(GST_PLUGIN_FEATURE(factory));
      if (loaded) {
        type = gst_element_factory_get_element_type(GST_ELEMENT_FACTORY(loaded));
        gst_object_unref(loaded);
      }
    }
    klass_ = type == G_TYPE_INVALID ? nullptr : static_cast<GObjectClass*>(g_type_class_ref(type));
  }
  ~Properties() {
    if (klass_) g_type_class_unref(klass_);
  }
  Properties(const Properties&) = delete;
  Properties& operator=(const Properties&) = delete;

  GParamSpec* find(const char* name) const { return klass_ ? g_object_class_find_property(klass_, name) : nullptr; }
  const char* first_of(std::initializer_list<const char*> names) const {
    for (const char* name : names) {
      if (find(name)) return name;
    }
    return nullptr;
  }
  // Empty when `value` deserialises into the property's type within its range; else why not.
  std::string check(const char* name, const std::string& value, const char* unit = "") const {
    GParamSpec* pspec = find(name);
    if (!pspec) return std::string("has no ") + name + " property";
    GValue v = G_VALUE_INIT;
    g_value_init(&v, G_PARAM_SPEC_VALUE_TYPE(pspec));
    std::string why;
    if (!gst_value_deserialize(&v, value.c_str())) {
      why = std::string("cannot take ") + name + "=" + value;
    } else if (g_param_value_validate(pspec, &v)) {  // true when the value had to be clamped
      gchar* contents = g_strdup_value_contents(&v);
      why = std::string(name) + " " + value + unit + " is outside its range (nearest " + contents + unit + ")";
      g_free(contents);
    }
    g_value_unset(&v);
    return why;
  }

 private:
  GObjectClass* klass_ = nullptr;
};

// The property assignments that make `factory` meet `s`, or why it cannot.
std::optional<std::string> configure(GstElementFactory* factory, const aw::OutputSettings& s, EncoderSpeed speed,
                                     EncoderChoice& out) {
  const char* name = GST_OBJECT_NAME(factory);
  const bool video = aw::media_type_of(s.codec) == aw::MediaType::kVideo;
  const bool x26x = std::strcmp(name, "x264enc") == 0 || std::strcmp(name, "x265enc") == 0;
  Properties props(factory);
  auto add = [&](const char* prop, const std::string& value, const char* unit = "") -> std::optional<std::string> {
    std::string why = props.check(prop, value, unit);
    if (!why.empty()) return why;
    out.properties.emplace_back(prop, value);
    return std::nullopt;
  };
  if (s.bitrate) {
    const uint32_t divisor = bitrate_divisor(name, video);
    if (auto why = add("bitrate", std::to_string(*s.bitrate / divisor), divisor == 1000 ? " kbit/s" : " bit/s")) {
      return why;
    }
    // x265's average-bitrate mode alone overshoots hard on busy content (noise: +80% over 3 s); a one-second
    // VBV buffer at the same rate keeps the average on target.
    if (std::strcmp(name, "x265enc") == 0) {
      const std::string kbit = std::to_string(*s.bitrate / 1000);
      if (auto why = add("option-string", "vbv-maxrate=" + kbit + ":vbv-bufsize=" + kbit)) return why;
    }
  }
  if (s.key_frame_interval) {
    const char* prop = props.first_of({"key-int-max", "gop-size", "keyframe-period", "iframeinterval"});
    if (!prop) return std::string("has no key-frame interval property");
    if (auto why = add(prop, std::to_string(*s.key_frame_interval))) return "key-frame-interval: " + *why;
  }
  if (s.quality) {
    // Constant quality through the quantizer: quality 1 → QP 10 (visually lossless), 0 → QP 50.
    const int qp = static_cast<int>(std::lround(50.0 - 40.0 * *s.quality));
    if (std::strcmp(name, "x264enc") == 0) {
      if (auto why = add("pass", "qual")) return "quality: " + *why;
      if (auto why = add("quantizer", std::to_string(qp))) return "quality: " + *why;
    } else if (std::strcmp(name, "x265enc") == 0) {
      if (auto why = add("qp", std::to_string(qp))) return "quality: " + *why;
    } else {
      return std::string("has no known constant-quality mode");
    }
  }
  if (x26x && speed != EncoderSpeed::kDefault) {
    // x264's ultrafast drops CABAC and B-frames, which only Baseline allows; superfast keeps a richer
    // profile the settings ask for.
    const bool baseline = !s.profile || s.profile->find("baseline") != std::string::npos;
    const char* preset = std::strcmp(name, "x264enc") == 0 && !baseline ? "superfast" : "ultrafast";
    if (auto why = add("speed-preset", preset)) return why;
    if (speed == EncoderSpeed::kRealTime) {
      if (auto why = add("tune", "zerolatency")) return why;
    }
  } else if (std::strcmp(name, "openh264enc") == 0 && speed != EncoderSpeed::kDefault) {
    if (auto why = add("complexity", "low")) return why;
  }
  return std::nullopt;
}

bool produces_any(GstElementFactory* factory) {
  for (const GList* l = gst_element_factory_get_static_pad_templates(factory); l; l = l->next) {
    auto* templ = static_cast<GstStaticPadTemplate*>(l->data);
    if (templ->direction != GST_PAD_SRC) continue;
    GstCaps* caps = gst_static_caps_get(&templ->static_caps);
    const bool any = gst_caps_is_any(caps);
    gst_caps_unref(caps);
    if (any) return true;
  }
  return false;
}

}  // namespace

aw::Result<EncoderChoice> choose_encoder(const aw::OutputSettings& s, EncoderSpeed speed) {
  const bool video = aw::media_type_of(s.codec) == aw::MediaType::kVideo;
  const auto type = GST_ELEMENT_FACTORY_TYPE_ENCODER |
                    (video ? GST_ELEMENT_FACTORY_TYPE_MEDIA_VIDEO : GST_ELEMENT_FACTORY_TYPE_MEDIA_AUDIO);
  GList* all = gst_element_factory_list_get_elements(type, GST_RANK_NONE);
  GstCaps* target = encoded_caps(s);
  GList* producing = gst_element_factory_list_filter(all, target, GST_PAD_SRC, FALSE);
  gst_plugin_feature_list_free(all);
  producing = g_list_sort(producing, gst_plugin_feature_rank_compare_func);
  gchar* target_text = gst_caps_to_string(target);
  const std::string wanted = target_text;
  g_free(target_text);
  gst_caps_unref(target);

  const std::vector<std::string> formats = video ? raw_video_formats(s) : std::vector<std::string>{""};
  std::string reasons;
  std::optional<EncoderChoice> found;
  for (GList* l = producing; l && !found; l = l->next) {
    auto* factory = GST_ELEMENT_FACTORY(l->data);
    if (produces_any(factory)) continue;  // bins such as encodebin claim any output
    const char* name = GST_OBJECT_NAME(factory);
    std::optional<std::string> format;
    for (const std::string& f : formats) {
      GstCaps* raw = raw_caps(s, f.c_str());
      const bool takes = gst_element_factory_can_sink_any_caps(factory, raw);
      gst_caps_unref(raw);
      if (takes) {
        format = f;
        break;
      }
    }
    if (!format) {
      reasons += std::string(reasons.empty() ? "" : "; ") + name + " cannot take the raw size, rate or channels";
      continue;
    }
    EncoderChoice choice;
    choice.factory = name;
    choice.raw_format = *format;
    if (auto why = configure(factory, s, speed, choice)) {
      reasons += std::string(reasons.empty() ? "" : "; ") + name + ": " + *why;
      continue;
    }
    found = std::move(choice);
  }
  gst_plugin_feature_list_free(producing);
  if (found) return *found;
  if (reasons.empty()) return missing("no encoder producing " + wanted + " is installed");
  return missing("no installed encoder can meet these settings (" + reasons + ")");
}

GstElement* make_encoder(const EncoderChoice& choice) {
  GstElement* encoder = gst_element_factory_make(choice.factory.c_str(), nullptr);
  if (!encoder) return nullptr;
  for (const auto& [name, value] : choice.properties)
    gst_util_set_object_arg(G_OBJECT(encoder), name.c_str(), value.c_str());
  return encoder;
}

}  // namespace gstaw
