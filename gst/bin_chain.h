// The elements assetwriterbin plugs between a request pad and assetwritersink once the pad's first caps are
// known: raw caps get converters and an encoder (queue ! videoconvert ! videoscale ! capsfilter ! encoder
// ! parser, or queue ! audioconvert ! audioresample ! capsfilter ! encoder ! aacparse); encoded caps go
// straight to the sink, through a parser only when the sink cannot take them as they are.
#pragma once

#include <gst/gst.h>

#include <optional>

#include "assetwriterbin_pad.h"
#include "aw/media_types.h"
#include "aw/output_settings.h"
#include "aw/status.h"
#include "encoder_selection.h"

namespace gstaw {

struct ChainOptions {
  aw::FileType file_type = aw::FileType::kMpeg4;
  // The pad's settings (its output-settings or preset, else the element's preset); nullopt: the defaults
  // for raw input (H.264 or AAC at the encoder's defaults), passthrough for encoded input.
  std::optional<aw::OutputSettings> settings;
  bool live = false;  // the source is live: a leaky queue and a real-time encoder
  EncoderSpeed speed = EncoderSpeed::kDefault;
};

bool is_raw(const GstCaps* caps);

// Checks that `settings` (or the raw defaults) fit the file type and that an encoder can meet them. Errors
// name the setting; the caller prefixes the pad.
aw::Result<EncoderChoice> plan_encoding(const std::optional<aw::OutputSettings>& settings, aw::MediaType media_type,
                                        aw::FileType file_type, EncoderSpeed speed);

// Adds, links and starts the elements for `caps` in `bin`, then points `pad` at the first of them.
aw::Status plug_chain(GstBin* bin, GstAssetWriterBinPad* pad, const GstCaps* caps, const ChainOptions& options);

}  // namespace gstaw
