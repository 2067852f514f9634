// assetwriterbin: AVAssetWriter with output settings as one element. Request pads take raw video/audio,
// which is converted and encoded as the pad's output-settings or preset say, or encoded streams, which
// pass straight through; everything then goes to an internal assetwritersink, whose properties the bin
// proxies.
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS
#define GST_TYPE_ASSET_WRITER_BIN (gst_asset_writer_bin_get_type())
G_DECLARE_FINAL_TYPE(GstAssetWriterBin, gst_asset_writer_bin, GST, ASSET_WRITER_BIN, GstBin)
GST_ELEMENT_REGISTER_DECLARE(assetwriterbin);
G_END_DECLS
