// assetwriterbin's GObject plumbing: the proxied sink properties (its signals: signal_proxy.cc), its own
// properties, request pads, the settings check before PAUSED and the raw/encoded decision at each pad's
// first caps.
#include "bin/assetwriterbin.h"

#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "bin/assetwriterbin_pad.h"
#include "bin/bin_chain.h"
#include "bin/presets.h"
#include "bin/signal_proxy.h"
#include "sink/assetwritersink.h"
#include "sink/settings.h"

GST_DEBUG_CATEGORY_STATIC(gst_asset_writer_bin_debug);
#define GST_CAT_DEFAULT gst_asset_writer_bin_debug

namespace {

enum class RealTime : int { kAuto, kYes, kNo };

GType real_time_get_type() {
  static const GEnumValue values[] = {
      {static_cast<gint>(RealTime::kAuto), "Follow the source: live when upstream answers the latency query as live",
       "auto"},
      {static_cast<gint>(RealTime::kYes), "Always: leaky queue, fastest zero-latency encoder", "true"},
      {static_cast<gint>(RealTime::kNo), "Never: the writer paces the source", "false"},
      // Every tri-state enum of the plugin spells its values auto/true/false (as sync-fragments does); the
      // yes/no of earlier releases stay accepted as aliases listed after them, so that g_enum_get_value()
      // and gst-inspect's default name the new spelling.
      {static_cast<gint>(RealTime::kYes), "Always (old spelling of true, still accepted)", "yes"},
      {static_cast<gint>(RealTime::kNo), "Never (old spelling of false, still accepted)", "no"},
      {0, nullptr, nullptr},
  };
  static const GType type = g_enum_register_static("GstAssetWriterBinRealTime", values);
  return type;
}

GType encoder_speed_get_type() {
  static const GEnumValue values[] = {
      {static_cast<gint>(gstaw::EncoderSpeed::kDefault), "The encoder's defaults", "default"},
      {static_cast<gint>(gstaw::EncoderSpeed::kFastest), "The encoder's fastest preset (e.g. x264 ultrafast)",
       "fastest"},
      {0, nullptr, nullptr},
  };
  static const GType type = g_enum_register_static("GstAssetWriterBinEncoderSpeed", values);
  return type;
}

struct BinImpl {
  GstElement* sink = nullptr;  // the assetwritersink child, referenced
  std::mutex lock;             // guards the fields below
  std::string preset;
  gstaw::PresetChoice presets;
  aw::Status preset_error;
  gstaw::EncoderSpeed speed = gstaw::EncoderSpeed::kDefault;
  RealTime real_time = RealTime::kAuto;
};

enum Property { kPropPreset = 1, kPropEncoderSpeed, kPropRealTime, kPropFirstProxied };

// The sink's own properties (not GstObject's or GstAggregator's), installed on the bin at class init under
// the same names and forwarded, so a property the sink gains is a bin property without code here.
std::vector<std::string>& proxied_names() {
  static std::vector<std::string> names;
  return names;
}

GParamSpec* copy_param_spec(GParamSpec* p) {
  const char* name = g_param_spec_get_name(p);
  const char* nick = g_param_spec_get_nick(p);
  const char* blurb = g_param_spec_get_blurb(p);
  // The sink's class stays referenced for the process, so its static strings stay valid.
  const GParamFlags flags = p->flags;
  const GType type = G_PARAM_SPEC_TYPE(p);
  if (type == G_TYPE_PARAM_STRING) {
    return g_param_spec_string(name, nick, blurb, G_PARAM_SPEC_STRING(p)->default_value, flags);
  }
  if (type == G_TYPE_PARAM_BOOLEAN) {
    return g_param_spec_boolean(name, nick, blurb, G_PARAM_SPEC_BOOLEAN(p)->default_value, flags);
  }
  if (type == G_TYPE_PARAM_INT) {
    auto* s = G_PARAM_SPEC_INT(p);
    return g_param_spec_int(name, nick, blurb, s->minimum, s->maximum, s->default_value, flags);
  }
  if (type == G_TYPE_PARAM_UINT) {
    auto* s = G_PARAM_SPEC_UINT(p);
    return g_param_spec_uint(name, nick, blurb, s->minimum, s->maximum, s->default_value, flags);
  }
  if (type == G_TYPE_PARAM_INT64) {
    auto* s = G_PARAM_SPEC_INT64(p);
    return g_param_spec_int64(name, nick, blurb, s->minimum, s->maximum, s->default_value, flags);
  }
  if (type == G_TYPE_PARAM_UINT64) {
    auto* s = G_PARAM_SPEC_UINT64(p);
    return g_param_spec_uint64(name, nick, blurb, s->minimum, s->maximum, s->default_value, flags);
  }
  if (type == G_TYPE_PARAM_DOUBLE) {
    auto* s = G_PARAM_SPEC_DOUBLE(p);
    return g_param_spec_double(name, nick, blurb, s->minimum, s->maximum, s->default_value, flags);
  }
  if (type == G_TYPE_PARAM_ENUM) {
    return g_param_spec_enum(name, nick, blurb, p->value_type, G_PARAM_SPEC_ENUM(p)->default_value, flags);
  }
  if (type == G_TYPE_PARAM_FLAGS) {
    return g_param_spec_flags(name, nick, blurb, p->value_type, G_PARAM_SPEC_FLAGS(p)->default_value, flags);
  }
  if (type == G_TYPE_PARAM_BOXED) return g_param_spec_boxed(name, nick, blurb, p->value_type, flags);
  if (type == G_TYPE_PARAM_OBJECT) return g_param_spec_object(name, nick, blurb, p->value_type, flags);
  return nullptr;
}

void install_proxied_properties(GObjectClass* gobject_class) {
  auto* sink_class = static_cast<GObjectClass*>(g_type_class_ref(GST_TYPE_ASSET_WRITER_SINK));
  guint count = 0;
  GParamSpec** specs = g_object_class_list_properties(sink_class, &count);
  for (guint i = 0; i < count; ++i) {
    if (specs[i]->owner_type != GST_TYPE_ASSET_WRITER_SINK) continue;
    GParamSpec* copy = copy_param_spec(specs[i]);
    if (!copy) {
      GST_WARNING("cannot proxy the sink property %s of type %s", specs[i]->name, G_PARAM_SPEC_TYPE_NAME(specs[i]));
      continue;
    }
    proxied_names().push_back(specs[i]->name);
    g_object_class_install_property(gobject_class, kPropFirstProxied + proxied_names().size() - 1, copy);
  }
  g_free(specs);
}

}  // namespace

struct _GstAssetWriterBin {
  GstBin parent;
  BinImpl* impl;
};

static void child_proxy_init(gpointer g_iface, gpointer iface_data);
G_DEFINE_TYPE_WITH_CODE(GstAssetWriterBin, gst_asset_writer_bin, GST_TYPE_BIN,
                        G_IMPLEMENT_INTERFACE(GST_TYPE_CHILD_PROXY, child_proxy_init))
GST_ELEMENT_REGISTER_DEFINE(assetwriterbin, "assetwriterbin", GST_RANK_NONE, GST_TYPE_ASSET_WRITER_BIN)

namespace {

BinImpl& impl(GstAssetWriterBin* self) { return *self->impl; }

aw::FileType file_type_of(GstAssetWriterBin* self) {
  gstaw::Settings settings;
  gchar* location = nullptr;
  gint file_type = 0;
  g_object_get(impl(self).sink, "location", &location, "file-type", &file_type, nullptr);
  settings.location = location ? location : "";
  settings.file_type = static_cast<gstaw::FileTypeChoice>(file_type);
  g_free(location);
  return gstaw::resolve_file_type(settings);
}

// The pad's own settings, else the element preset for its media type; an error when either cannot be parsed.
aw::Result<std::optional<aw::OutputSettings>> settings_for(GstAssetWriterBin* self, GstAssetWriterBinPad* pad) {
  const gstaw::BinPadConfig config = gstaw::bin_pad_config(pad);
  if (!config.error) return config.error;
  if (config.settings) return std::optional<aw::OutputSettings>(config.settings);
  std::lock_guard<std::mutex> guard(impl(self).lock);
  if (!impl(self).preset_error) return impl(self).preset_error;
  const bool video = gstaw::bin_pad_state(pad).media_type == aw::MediaType::kVideo;
  return video ? impl(self).presets.video : impl(self).presets.audio;
}

void post_settings_error(GstAssetWriterBin* self, GstPad* pad, const aw::Status& status) {
  const std::string text = std::string(GST_PAD_NAME(pad)) + ": " + status.message();
  GST_ELEMENT_ERROR(self, LIBRARY, SETTINGS, ("%s", text.c_str()), ("%s", aw::to_string(status.code())));
}

bool upstream_is_live(GstPad* pad) {
  GstQuery* query = gst_query_new_latency();
  gboolean live = FALSE;
  if (gst_pad_peer_query(pad, query)) gst_query_parse_latency(query, &live, nullptr, nullptr);
  gst_query_unref(query);
  return live;
}

// Every pad's settings must parse, fit the file type, and (when the pad was given settings) be met by an
// installed encoder, before the sink opens the file at READY→PAUSED.
bool check_pads(GstAssetWriterBin* self) {
  const aw::FileType file_type = file_type_of(self);
  gstaw::EncoderSpeed speed;
  {
    std::lock_guard<std::mutex> guard(impl(self).lock);
    speed = impl(self).speed;
  }
  std::vector<GstAssetWriterBinPad*> pads;
  GST_OBJECT_LOCK(self);
  for (GList* l = GST_ELEMENT(self)->sinkpads; l; l = l->next) {
    pads.push_back(GST_ASSET_WRITER_BIN_PAD(gst_object_ref(l->data)));
  }
  GST_OBJECT_UNLOCK(self);
  bool ok = true;
  for (GstAssetWriterBinPad* pad : pads) {
    if (ok) {
      auto settings = settings_for(self, pad);
      aw::Status status = settings.status();
      if (status && *settings) {
        status = gstaw::plan_encoding(*settings, gstaw::bin_pad_state(pad).media_type, file_type, speed).status();
      }
      if (!status) {
        post_settings_error(self, GST_PAD(pad), status);
        ok = false;
      }
    }
    gst_object_unref(pad);
  }
  return ok;
}

// At the pad's first caps (before the accept-caps check and the event function, which then see the new
// target) the chain for raw or encoded input is plugged.
GstPadProbeReturn on_first_caps(GstPad* pad, GstPadProbeInfo* info, gpointer user_data) {
  GstEvent* event = GST_PAD_PROBE_INFO_EVENT(info);
  if (GST_EVENT_TYPE(event) != GST_EVENT_CAPS) return GST_PAD_PROBE_OK;
  auto* self = GST_ASSET_WRITER_BIN(user_data);
  auto* bin_pad = GST_ASSET_WRITER_BIN_PAD(pad);
  if (gstaw::bin_pad_state(bin_pad).decided) return GST_PAD_PROBE_REMOVE;
  GstCaps* caps = nullptr;
  gst_event_parse_caps(event, &caps);

  auto settings = settings_for(self, bin_pad);
  if (!settings) {
    post_settings_error(self, pad, settings.status());
    return GST_PAD_PROBE_DROP;
  }
  gstaw::ChainOptions options;
  options.file_type = file_type_of(self);
  options.settings = *settings;
  RealTime real_time;
  {
    std::lock_guard<std::mutex> guard(impl(self).lock);
    options.speed = impl(self).speed;
    real_time = impl(self).real_time;
  }
  options.live = real_time == RealTime::kYes || (real_time == RealTime::kAuto && upstream_is_live(pad));
  // Keyframe requests and playlist options (issue 17): encoders place keyframes where segments are cut.
  guint64 segment_interval = 0, fragment_interval = 0;
  g_object_get(impl(self).sink, "segment-interval", &segment_interval, "fragment-interval", &fragment_interval, nullptr);
  options.key_frame_period = segment_interval != 0 ? segment_interval : fragment_interval;
  if (aw::Status status = gstaw::plug_chain(GST_BIN(self), bin_pad, caps, options); !status) {
    post_settings_error(self, pad, status);
    return GST_PAD_PROBE_DROP;
  }
  gstaw::bin_pad_state(bin_pad).decided = true;
  GST_INFO_OBJECT(pad, "%s input%s", gstaw::is_raw(caps) ? "raw" : "encoded", options.live ? ", live" : "");
  return GST_PAD_PROBE_REMOVE;
}

// The caps a pad offers before its chain exists: the raw caps its settings will encode first.
GstCaps* caps_before_first_caps(GstAssetWriterBin* self, GstAssetWriterBinPad* pad) {
  if (!self) return gst_pad_get_pad_template_caps(GST_PAD(pad));  // a pad being removed
  auto settings = settings_for(self, pad);
  if (!settings) return gst_pad_get_pad_template_caps(GST_PAD(pad));  // the error is posted at the first caps
  gstaw::EncoderSpeed speed;
  {
    std::lock_guard<std::mutex> guard(impl(self).lock);
    speed = impl(self).speed;
  }
  return gstaw::preferred_pad_caps(GST_PAD_PAD_TEMPLATE(pad), *settings, gstaw::bin_pad_state(pad).media_type,
                                   file_type_of(self), speed);
}

// Until the first caps there is no target to ask: the pad's settings and template answer caps queries, the
// template accept-caps queries.
gboolean bin_pad_query(GstPad* pad, GstObject* parent, GstQuery* query) {
  if (gstaw::bin_pad_state(GST_ASSET_WRITER_BIN_PAD(pad)).decided) return gst_pad_query_default(pad, parent, query);
  switch (GST_QUERY_TYPE(query)) {
    case GST_QUERY_CAPS: {
      GstCaps* filter = nullptr;
      gst_query_parse_caps(query, &filter);
      GstCaps* offered = caps_before_first_caps(parent ? GST_ASSET_WRITER_BIN(parent) : nullptr,
                                                GST_ASSET_WRITER_BIN_PAD(pad));
      GstCaps* result =
          filter ? gst_caps_intersect_full(filter, offered, GST_CAPS_INTERSECT_FIRST) : gst_caps_ref(offered);
      gst_query_set_caps_result(query, result);
      gst_caps_unref(result);
      gst_caps_unref(offered);
      return TRUE;
    }
    case GST_QUERY_ACCEPT_CAPS: {
      GstCaps* caps = nullptr;
      gst_query_parse_accept_caps(query, &caps);
      GstCaps* templ = gst_pad_get_pad_template_caps(pad);
      gst_query_set_accept_caps_result(query, gst_caps_can_intersect(caps, templ));
      gst_caps_unref(templ);
      return TRUE;
    }
    default: return gst_pad_query_default(pad, parent, query);
  }
}

GstPad* request_new_pad(GstElement* element, GstPadTemplate* templ, const gchar* name, const GstCaps*) {
  auto* self = GST_ASSET_WRITER_BIN(element);
  const bool video = std::strcmp(GST_PAD_TEMPLATE_NAME_TEMPLATE(templ), "video_%u") == 0;
  // The sink numbers the pads; the bin's pad takes the same name, so errors name the same pad either way.
  GstPad* sink_pad =
      gst_element_request_pad_simple(impl(self).sink, name ? name : GST_PAD_TEMPLATE_NAME_TEMPLATE(templ));
  if (!sink_pad) return nullptr;
  auto* pad = GST_ASSET_WRITER_BIN_PAD(g_object_new(GST_TYPE_ASSET_WRITER_BIN_PAD, "name", GST_PAD_NAME(sink_pad),
                                                    "direction", GST_PAD_SINK, "template", templ, nullptr));
  gstaw::BinPadState& st = gstaw::bin_pad_state(pad);
  st.media_type = video ? aw::MediaType::kVideo : aw::MediaType::kAudio;
  st.sink_pad = sink_pad;
  gst_pad_set_query_function(GST_PAD(pad), bin_pad_query);
  gst_pad_add_probe(GST_PAD(pad), GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_first_caps, self, nullptr);
  if (GST_STATE(element) > GST_STATE_READY) gst_pad_set_active(GST_PAD(pad), TRUE);
  if (!gst_element_add_pad(element, GST_PAD(pad))) {
    gst_element_release_request_pad(impl(self).sink, sink_pad);
    return nullptr;
  }
  gst_child_proxy_child_added(GST_CHILD_PROXY(self), G_OBJECT(pad), GST_PAD_NAME(pad));
  return GST_PAD(pad);
}

void release_pad(GstElement* element, GstPad* pad) {
  auto* self = GST_ASSET_WRITER_BIN(element);
  gstaw::BinPadState& st = gstaw::bin_pad_state(GST_ASSET_WRITER_BIN_PAD(pad));
  gst_ghost_pad_set_target(GST_GHOST_PAD(pad), nullptr);
  // While the bin is disposed its children are already removed and freed when GstElement releases the
  // request pads: look the pointers up among the children, never through them (found by ASan).
  auto is_child = [self](GstElement* e) {
    GST_OBJECT_LOCK(self);
    const bool found = g_list_find(GST_BIN_CHILDREN(self), e) != nullptr;
    GST_OBJECT_UNLOCK(self);
    return found;
  };
  for (GstElement* e : st.chain) {
    if (!is_child(e)) continue;
    gst_element_set_state(e, GST_STATE_NULL);
    gst_bin_remove(GST_BIN(self), e);
  }
  st.chain.clear();
  if (is_child(impl(self).sink)) gst_element_release_request_pad(impl(self).sink, st.sink_pad);
  gst_pad_set_active(pad, FALSE);
  gst_element_remove_pad(element, pad);
}

// Request pads are children too, so gst-launch's `assetwriterbin video_0::output-settings=...` reaches the
// pad: the parser retries a property it could not resolve when a child of that name is announced.
GstChildProxyInterface* parent_child_proxy = nullptr;

GObject* get_child_by_name(GstChildProxy* proxy, const gchar* name) {
  if (GstPad* pad = gst_element_get_static_pad(GST_ELEMENT(proxy), name)) return G_OBJECT(pad);
  return parent_child_proxy->get_child_by_name(proxy, name);
}

GstStateChangeReturn change_state(GstElement* element, GstStateChange transition) {
  auto* self = GST_ASSET_WRITER_BIN(element);
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !check_pads(self)) return GST_STATE_CHANGE_FAILURE;
  return GST_ELEMENT_CLASS(gst_asset_writer_bin_parent_class)->change_state(element, transition);
}

void set_property(GObject* object, guint id, const GValue* value, GParamSpec* pspec) {
  auto* self = GST_ASSET_WRITER_BIN(object);
  if (id >= kPropFirstProxied && id - kPropFirstProxied < proxied_names().size()) {
    g_object_set_property(G_OBJECT(impl(self).sink), proxied_names()[id - kPropFirstProxied].c_str(), value);
    return;
  }
  std::lock_guard<std::mutex> guard(impl(self).lock);
  switch (id) {
    case kPropPreset: {
      const gchar* text = g_value_get_string(value);
      impl(self).preset = text ? text : "";
      auto presets = gstaw::parse_preset_list(impl(self).preset);
      impl(self).preset_error = presets.status().with_context("preset");
      impl(self).presets = presets ? *presets : gstaw::PresetChoice{};
      if (!presets) GST_WARNING_OBJECT(self, "%s", presets.status().message().c_str());
      break;
    }
    case kPropEncoderSpeed: impl(self).speed = static_cast<gstaw::EncoderSpeed>(g_value_get_enum(value)); break;
    case kPropRealTime: impl(self).real_time = static_cast<RealTime>(g_value_get_enum(value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec); break;
  }
}

void get_property(GObject* object, guint id, GValue* value, GParamSpec* pspec) {
  auto* self = GST_ASSET_WRITER_BIN(object);
  if (id >= kPropFirstProxied && id - kPropFirstProxied < proxied_names().size()) {
    g_object_get_property(G_OBJECT(impl(self).sink), proxied_names()[id - kPropFirstProxied].c_str(), value);
    return;
  }
  std::lock_guard<std::mutex> guard(impl(self).lock);
  switch (id) {
    case kPropPreset: g_value_set_string(value, impl(self).preset.empty() ? nullptr : impl(self).preset.c_str()); break;
    case kPropEncoderSpeed: g_value_set_enum(value, static_cast<gint>(impl(self).speed)); break;
    case kPropRealTime: g_value_set_enum(value, static_cast<gint>(impl(self).real_time)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec); break;
  }
}

void finalize(GObject* object) {
  gstaw::disconnect_proxied_signals(GST_ELEMENT(object), impl(GST_ASSET_WRITER_BIN(object)).sink);
  gst_object_unref(impl(GST_ASSET_WRITER_BIN(object)).sink);
  delete GST_ASSET_WRITER_BIN(object)->impl;
  G_OBJECT_CLASS(gst_asset_writer_bin_parent_class)->finalize(object);
}

}  // namespace

static void gst_asset_writer_bin_class_init(GstAssetWriterBinClass* klass) {
  GST_DEBUG_CATEGORY_INIT(gst_asset_writer_bin_debug, "assetwriterbin", 0, "AVAssetWriter with output settings");
  auto* gobject_class = G_OBJECT_CLASS(klass);
  auto* element_class = GST_ELEMENT_CLASS(klass);
  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;
  gobject_class->finalize = finalize;

  constexpr auto flags = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  static const std::string preset_blurb =
      "Output settings for raw input on pads without their own output-settings or preset: at most one video and "
      "one audio preset, separated by commas (" +
      gstaw::preset_names() + ")";
  g_object_class_install_property(
      gobject_class, kPropPreset,
      g_param_spec_string("preset", "Preset", preset_blurb.c_str(), nullptr,
                          static_cast<GParamFlags>(G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY)));
  g_object_class_install_property(
      gobject_class, kPropEncoderSpeed,
      g_param_spec_enum("encoder-speed", "Encoder speed",
                        "Speed/quality trade-off of the encoders the bin plugs for raw input", encoder_speed_get_type(),
                        static_cast<gint>(gstaw::EncoderSpeed::kDefault), flags));
  g_object_class_install_property(
      gobject_class, kPropRealTime,
      g_param_spec_enum("real-time", "Expects media data in real time",
                        "Like expectsMediaDataInRealTime: a real-time pad never blocks its source (a leaky queue "
                        "drops raw frames the encoder or the disk cannot take in time, the encoder runs fastest "
                        "with zero latency); otherwise the writer paces the source",
                        real_time_get_type(), static_cast<gint>(RealTime::kAuto), flags));
  install_proxied_properties(gobject_class);
  gstaw::install_proxied_signals(gobject_class);

  // Raw or encoded, one request pad template per media type like the sink's; the codecs from the bin's table.
  for (auto [name, type] :
       {std::pair{"video_%u", aw::MediaType::kVideo}, std::pair{"audio_%u", aw::MediaType::kAudio}}) {
    GstCaps* caps = gstaw::bin_template_caps(type);
    gst_element_class_add_pad_template(
        element_class,
        gst_pad_template_new_with_gtype(name, GST_PAD_SINK, GST_PAD_REQUEST, caps, GST_TYPE_ASSET_WRITER_BIN_PAD));
    gst_caps_unref(caps);
  }
  gst_element_class_set_metadata(element_class, "Asset writer bin", "Sink/Muxer/Encoder",
                                 gstaw::bin_description().c_str(), "gst-assetwriter");
  element_class->request_new_pad = request_new_pad;
  element_class->release_pad = release_pad;
  element_class->change_state = change_state;

  gst_type_mark_as_plugin_api(GST_TYPE_ASSET_WRITER_BIN_PAD, static_cast<GstPluginAPIFlags>(0));
  gst_type_mark_as_plugin_api(real_time_get_type(), static_cast<GstPluginAPIFlags>(0));
  gst_type_mark_as_plugin_api(encoder_speed_get_type(), static_cast<GstPluginAPIFlags>(0));
}

static void gst_asset_writer_bin_init(GstAssetWriterBin* self) {
  self->impl = new BinImpl();
  // Our own reference: GstElement releases request pads after GstBin dropped its children.
  impl(self).sink = GST_ELEMENT(gst_object_ref_sink(gst_element_factory_make("assetwritersink", "sink")));
  gst_bin_add(GST_BIN(self), impl(self).sink);
  gstaw::connect_proxied_signals(GST_ELEMENT(self), impl(self).sink);
  // The pipeline waits for this element's EOS (the sink child posts it once the file is complete).
  GST_OBJECT_FLAG_SET(self, GST_ELEMENT_FLAG_SINK);
}

static void child_proxy_init(gpointer g_iface, gpointer) {
  auto* iface = static_cast<GstChildProxyInterface*>(g_iface);
  parent_child_proxy = static_cast<GstChildProxyInterface*>(g_type_interface_peek_parent(iface));
  iface->get_child_by_name = get_child_by_name;
}
