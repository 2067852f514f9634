// assetwritersink: a GstAggregator acting as a sink that hands every pad's encoded samples to an
// aw::AssetWriter, in decode-time order across pads, and finalises the file at EOS or on stop.
#pragma once

#include <gst/base/gstaggregator.h>

G_BEGIN_DECLS
#define GST_TYPE_ASSET_WRITER_SINK (gst_asset_writer_sink_get_type())
G_DECLARE_FINAL_TYPE(GstAssetWriterSink, gst_asset_writer_sink, GST, ASSET_WRITER_SINK, GstAggregator)
GST_ELEMENT_REGISTER_DECLARE(assetwritersink);
G_END_DECLS
