// GstAssetWriterBinPad: a request pad of assetwriterbin, a ghost pad whose target is chosen at the first caps
// (the encoding chain for raw caps, a parser or the sink's pad for encoded caps), with the per-pad
// `output-settings` and `preset` properties.
#pragma once

#include <gst/gst.h>

#include <optional>
#include <string>
#include <vector>

#include "aw/media_types.h"
#include "aw/output_settings.h"
#include "aw/status.h"

G_BEGIN_DECLS
#define GST_TYPE_ASSET_WRITER_BIN_PAD (gst_asset_writer_bin_pad_get_type())
G_DECLARE_FINAL_TYPE(GstAssetWriterBinPad, gst_asset_writer_bin_pad, GST, ASSET_WRITER_BIN_PAD, GstGhostPad)
G_END_DECLS

namespace gstaw {

// What the pad was told to encode to, under the pad's object lock.
struct BinPadConfig {
  std::string output_settings;                 // the property as given
  std::string preset;                          // the property as given
  std::optional<aw::OutputSettings> settings;  // parsed from output_settings, else from preset
  aw::Status error;                            // why the property values cannot be parsed
};

struct BinPadState {
  aw::MediaType media_type = aw::MediaType::kVideo;
  GstPad* sink_pad = nullptr;      // the assetwritersink request pad this pad feeds, owned
  bool decided = false;            // the first caps chose the chain
  std::vector<GstElement*> chain;  // elements plugged for this pad (owned by the bin)
  BinPadConfig config;
};

BinPadState& bin_pad_state(GstAssetWriterBinPad* pad);
// A copy of the pad's configuration taken under its object lock.
BinPadConfig bin_pad_config(GstAssetWriterBinPad* pad);

}  // namespace gstaw
