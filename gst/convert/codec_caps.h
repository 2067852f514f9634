// What assetwritersink's pads take, codec by codec: the one table its pad templates, its description (what
// gst-inspect-1.0 prints) and caps_to_format()'s refusal are built from. gst/tests/codec_table_test.cc checks
// that caps_to_format() reads each row as its codec and that the element says what the table says.
#pragma once

#include <gst/gst.h>

#include <span>
#include <string>
#include <vector>

#include "aw/media_types.h"

namespace gstaw {

struct CodecCaps {
  aw::Codec codec;
  // One caps structure in pad template syntax. Encoded streams only, one access unit (temporal unit,
  // picture, audio frame) per buffer, as a sample is one (ISO/IEC 14496-15, AV1-ISOBMFF); raw audio is the
  // exception, stored a frame per sample. caps_to_format() says what a template cannot (codec_data present,
  // a variant named) and which file types hold each codec.
  const char* caps;
};

std::span<const CodecCaps> codec_caps_table();

// The rows of `type` as one caps (the pad template of video_%u, audio_%u, text_%u or meta_%u).
GstCaps* template_caps(aw::MediaType type);

// The names of the codecs of `type`, in table order, each once: "H.264, H.265, AV1, VP9, ProRes and JPEG".
std::string codec_names(aw::MediaType type);
// "H.264, H.265 and AAC" (or "H.264 or H.265" with conjunction "or").
std::string codec_names(const std::vector<aw::Codec>& codecs, const char* conjunction = "and");

// The element's long description, naming every codec of the table.
std::string sink_description();

}  // namespace gstaw
