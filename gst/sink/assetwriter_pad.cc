#include "sink/assetwriter_pad.h"

struct _GstAssetWriterPad {
  GstAggregatorPad parent;
  gstaw::PadState* state;
  gstaw::PadGroupSettings group;  // properties, under the object lock; kept across runs
};

G_DEFINE_TYPE(GstAssetWriterPad, gst_asset_writer_pad, GST_TYPE_AGGREGATOR_PAD)

namespace gstaw {

PadState::~PadState() {
  if (tags) gst_tag_list_unref(tags);
}

void PadState::reset() {
  format.reset();
  language = "und";
  rotation = 0;
  if (tags) gst_tag_list_unref(tags);
  tags = nullptr;
  input.reset();
  last_dts.reset();
  finished = false;
  late_tags = false;
  clipped_ns = 0;
  clipped_samples = 0;
  priming_samples = 0;
  left_out = false;
  warned_dropping = false;
}

PadState& pad_state(GstAssetWriterPad* pad) { return *pad->state; }

PadGroupSettings pad_group_settings(GstAssetWriterPad* pad) {
  GST_OBJECT_LOCK(pad);
  PadGroupSettings out = pad->group;
  GST_OBJECT_UNLOCK(pad);
  return out;
}

}  // namespace gstaw

namespace {

enum Property { kPropGroup = 1, kPropDefault };

void pad_set_property(GObject* object, guint id, const GValue* value, GParamSpec* pspec) {
  auto* pad = GST_ASSET_WRITER_PAD(object);
  GST_OBJECT_LOCK(pad);
  switch (id) {
    case kPropGroup: pad->group.group = g_value_get_int(value); break;
    case kPropDefault: pad->group.is_default = g_value_get_boolean(value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec); break;
  }
  GST_OBJECT_UNLOCK(pad);
}

void pad_get_property(GObject* object, guint id, GValue* value, GParamSpec* pspec) {
  auto* pad = GST_ASSET_WRITER_PAD(object);
  GST_OBJECT_LOCK(pad);
  switch (id) {
    case kPropGroup: g_value_set_int(value, pad->group.group); break;
    case kPropDefault: g_value_set_boolean(value, pad->group.is_default); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec); break;
  }
  GST_OBJECT_UNLOCK(pad);
}

// A flushing seek restarts running time; the decode order check starts over with it.
GstFlowReturn pad_flush(GstAggregatorPad* aggpad, GstAggregator*) {
  gstaw::pad_state(GST_ASSET_WRITER_PAD(aggpad)).last_dts.reset();
  return GST_FLOW_OK;
}

void pad_finalize(GObject* object) {
  delete GST_ASSET_WRITER_PAD(object)->state;
  G_OBJECT_CLASS(gst_asset_writer_pad_parent_class)->finalize(object);
}

}  // namespace

static void gst_asset_writer_pad_class_init(GstAssetWriterPadClass* klass) {
  auto* gobject_class = G_OBJECT_CLASS(klass);
  gobject_class->finalize = pad_finalize;
  gobject_class->set_property = pad_set_property;
  gobject_class->get_property = pad_get_property;
  // Read when writing starts; changing them later has no effect on the file being written.
  constexpr auto flags = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property(
      gobject_class, kPropGroup,
      g_param_spec_int("group", "Alternate group",
                       "Pads with the same group number hold alternatives of one another (e.g. the same audio in "
                       "several languages): their tracks share an alternate group and only the default one is "
                       "enabled, so players pick one. -1: in no group",
                       -1, G_MAXINT, -1, flags));
  g_object_class_install_property(
      gobject_class, kPropDefault,
      g_param_spec_boolean("default", "Default in its group",
                           "This pad's track is its group's default (the enabled one). A group with no default "
                           "pad gets its first pad as default; with several, the first of them",
                           FALSE, flags));
  GST_AGGREGATOR_PAD_CLASS(klass)->flush = pad_flush;
}

static void gst_asset_writer_pad_init(GstAssetWriterPad* pad) {
  pad->state = new gstaw::PadState();
  // GObject zero-fills the instance; the C++ default (group -1) must be assigned.
  pad->group = gstaw::PadGroupSettings{};
}
