// The elements assetwriterbin plugs between a request pad and assetwritersink once the pad's first caps are
// known: raw caps get converters and an encoder (queue ! videoconvert ! videoscale ! capsfilter ! encoder
// ! parser, or queue ! audioconvert ! audioresample ! capsfilter ! encoder ! aacparse); encoded caps go
// straight to the sink, through a parser only when the sink cannot take them as they are.
#pragma once

#include <gst/gst.h>

#include <optional>
#include <span>
#include <string>

#include "aw/media_types.h"
#include "aw/output_settings.h"
#include "aw/status.h"
#include "bin/assetwriterbin_pad.h"
#include "bin/encoder_selection.h"

namespace gstaw {

struct ChainOptions {
  aw::FileType file_type = aw::FileType::kMpeg4;
  // The pad's settings (its output-settings or preset, else the element's preset); nullopt: the defaults
  // for raw input (H.264 or AAC at the encoder's defaults), passthrough for encoded input.
  std::optional<aw::OutputSettings> settings;
  bool live = false;  // the source is live: a leaky queue and a real-time encoder
  EncoderSpeed speed = EncoderSpeed::kDefault;
  // The sink's segment (else fragment) interval, ns; 0: none. Raw video whose settings name no keyframe
  // interval is encoded with a keyframe every this many seconds of frames, so every segment starts on one.
  GstClockTime key_frame_period = 0;
};

// The codecs assetwriterbin encodes raw input to and takes already encoded (through the codec's parser when
// the sink cannot take the stream as it is). Its pad templates and description are built from this table.
struct BinCodec {
  aw::Codec codec;
  const char* caps;  // one pad template structure
  const char* parser;
};
std::span<const BinCodec> bin_codecs();
// Raw video or audio, and the table's codecs of `type`.
GstCaps* bin_template_caps(aw::MediaType type);
std::string bin_description();

bool is_raw(const GstCaps* caps);

// What a pad answers caps queries with before its chain is plugged: first the raw caps its encoder will be
// fed (format and size of the settings), then the template. A source that can produce them negotiates the
// final caps from its first buffer; otherwise it would fixate to its own defaults (videotestsrc: 320x240),
// be reconfigured once the chain is in, and the encoder would open with a converted first frame and restart.
GstCaps* preferred_pad_caps(GstPadTemplate* templ, const std::optional<aw::OutputSettings>& settings,
                            aw::MediaType media_type, aw::FileType file_type, EncoderSpeed speed);

// Checks that `settings` (or the raw defaults) fit the file type and that an encoder can meet them. Errors
// name the setting; the caller prefixes the pad.
aw::Result<EncoderChoice> plan_encoding(const std::optional<aw::OutputSettings>& settings, aw::MediaType media_type,
                                        aw::FileType file_type, EncoderSpeed speed);

// Adds, links and starts the elements for `caps` in `bin`, then points `pad` at the first of them.
aw::Status plug_chain(GstBin* bin, GstAssetWriterBinPad* pad, const GstCaps* caps, const ChainOptions& options);

}  // namespace gstaw
