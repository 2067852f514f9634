#include "assetwriter_pad.h"

struct _GstAssetWriterPad {
  GstAggregatorPad parent;
  gstaw::PadState* state;
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
}

PadState& pad_state(GstAssetWriterPad* pad) { return *pad->state; }

}  // namespace gstaw

namespace {

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
  G_OBJECT_CLASS(klass)->finalize = pad_finalize;
  GST_AGGREGATOR_PAD_CLASS(klass)->flush = pad_flush;
}

static void gst_asset_writer_pad_init(GstAssetWriterPad* pad) { pad->state = new gstaw::PadState(); }
