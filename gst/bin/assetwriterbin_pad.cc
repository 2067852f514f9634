#include "bin/assetwriterbin_pad.h"

#include "bin/output_settings_structure.h"
#include "bin/presets.h"

struct _GstAssetWriterBinPad {
  GstGhostPad parent;
  gstaw::BinPadState* state;
};

G_DEFINE_TYPE(GstAssetWriterBinPad, gst_asset_writer_bin_pad, GST_TYPE_GHOST_PAD)

namespace gstaw {

BinPadState& bin_pad_state(GstAssetWriterBinPad* pad) { return *pad->state; }

BinPadConfig bin_pad_config(GstAssetWriterBinPad* pad) {
  GST_OBJECT_LOCK(pad);
  BinPadConfig copy = pad->state->config;
  GST_OBJECT_UNLOCK(pad);
  return copy;
}

}  // namespace gstaw

namespace {

enum Property { kPropOutputSettings = 1, kPropPreset, kPropGroup, kPropDefault };

// group and default belong to the sink's pad this pad feeds; the bin pad forwards them.
bool forward_to_sink_pad(GObject* object, guint id, const GValue* value, GValue* out) {
  if (id != kPropGroup && id != kPropDefault) return false;
  GstPad* sink_pad = GST_ASSET_WRITER_BIN_PAD(object)->state->sink_pad;
  const char* name = id == kPropGroup ? "group" : "default";
  if (!sink_pad) return true;
  if (value) g_object_set_property(G_OBJECT(sink_pad), name, value);
  if (out) g_object_get_property(G_OBJECT(sink_pad), name, out);
  return true;
}

// output-settings wins over preset; a value that cannot be parsed is kept as the error, reported when the
// element goes to PAUSED (a property setter cannot fail).
void reparse(gstaw::BinPadConfig& config) {
  config.settings.reset();
  config.error = aw::Status::ok();
  if (!config.output_settings.empty()) {
    auto settings = gstaw::settings_from_string(config.output_settings);
    if (!settings) {
      config.error = settings.status().with_context("output-settings \"" + config.output_settings + "\"");
      return;
    }
    config.settings = *settings;
  } else if (!config.preset.empty()) {
    auto settings = gstaw::preset_settings(config.preset);
    if (!settings) {
      config.error = settings.status().with_context("preset");
      return;
    }
    config.settings = *settings;
  }
}

void set_property(GObject* object, guint id, const GValue* value, GParamSpec* pspec) {
  if (forward_to_sink_pad(object, id, value, nullptr)) return;
  auto* pad = GST_ASSET_WRITER_BIN_PAD(object);
  const gchar* text = g_value_get_string(value);
  GST_OBJECT_LOCK(pad);
  gstaw::BinPadConfig& config = pad->state->config;
  switch (id) {
    case kPropOutputSettings: config.output_settings = text ? text : ""; break;
    case kPropPreset: config.preset = text ? text : ""; break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec); break;
  }
  reparse(config);
  const aw::Status error = config.error;
  GST_OBJECT_UNLOCK(pad);
  if (!error) GST_WARNING_OBJECT(pad, "%s", error.message().c_str());
}

void get_property(GObject* object, guint id, GValue* value, GParamSpec* pspec) {
  if (forward_to_sink_pad(object, id, nullptr, value)) return;
  auto* pad = GST_ASSET_WRITER_BIN_PAD(object);
  GST_OBJECT_LOCK(pad);
  const gstaw::BinPadConfig& config = pad->state->config;
  switch (id) {
    case kPropOutputSettings:
      g_value_set_string(value, config.output_settings.empty() ? nullptr : config.output_settings.c_str());
      break;
    case kPropPreset: g_value_set_string(value, config.preset.empty() ? nullptr : config.preset.c_str()); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec); break;
  }
  GST_OBJECT_UNLOCK(pad);
}

void finalize(GObject* object) {
  auto* pad = GST_ASSET_WRITER_BIN_PAD(object);
  if (pad->state->sink_pad) gst_object_unref(pad->state->sink_pad);
  delete pad->state;
  G_OBJECT_CLASS(gst_asset_writer_bin_pad_parent_class)->finalize(object);
}

}  // namespace

static void gst_asset_writer_bin_pad_class_init(GstAssetWriterBinPadClass* klass) {
  auto* gobject_class = G_OBJECT_CLASS(klass);
  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;
  gobject_class->finalize = finalize;
  constexpr auto flags = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property(
      gobject_class, kPropOutputSettings,
      g_param_spec_string("output-settings", "Output settings",
                          "What raw input is encoded to, as caps: video/x-h264 or video/x-h265 with bitrate "
                          "(kbit/s), quality (0..1), key-frame-interval (frames), profile, width, height; "
                          "audio/mpeg with bitrate (bit/s), rate, channels, profile. Wins over preset",
                          nullptr, flags));
  g_object_class_install_property(
      gobject_class, kPropPreset,
      g_param_spec_string("preset", "Preset",
                          "Named output settings for raw input, e.g. h264-1280x720, "
                          "hevc-1920x1080, aac-stereo-48k (see the element's preset property for the list)",
                          nullptr, flags));
  g_object_class_install_property(
      gobject_class, kPropGroup,
      g_param_spec_int("group", "Alternate group",
                       "Pads with the same group number are alternatives (e.g. audio languages): their tracks "
                       "share an alternate group and only the default one is enabled. -1: in no group",
                       -1, G_MAXINT, -1, flags));
  g_object_class_install_property(
      gobject_class, kPropDefault,
      g_param_spec_boolean("default", "Default in its group",
                           "This pad's track is its group's default (the enabled one)", FALSE, flags));
}

static void gst_asset_writer_bin_pad_init(GstAssetWriterBinPad* pad) { pad->state = new gstaw::BinPadState(); }
