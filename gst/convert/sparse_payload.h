// Text and timed metadata pads: their caps (→ tx3g / mebx formats) and their buffers' payloads, which the
// file stores in another form than GStreamer carries them (a tx3g sample, mebx atoms).
//
// application/x-metadata (this element's own format, see docs/text-and-metadata.md):
//   caps    application/x-metadata, keys=(string)"com.example.speed,com.apple.quicktime.location.ISO6709"
//   buffer  a serialised GstStructure whose fields are keys of the caps, e.g.
//           "metadata, com.example.speed=(double)12.5, com.apple.quicktime.location.ISO6709=(string)+48.85+002.29/"
//   Each key becomes an 'mdta' key of the mebx track with UTF-8 values (numbers are written as text, which is
//   how AVFoundation's string-typed items read); a buffer with no fields is the NULL sample (no values now).
// meta/x-klv (SMPTE ST 336 KLV packets): one key, 'mdta' "com.smpte.st336.klv" with no data type (raw bytes),
//   each buffer's KLV packets stored unchanged as its value.
#pragma once

#include <gst/gst.h>

#include <string>
#include <vector>

#include "aw/format_description.h"
#include "aw/status.h"

namespace gstaw {

struct CapsFormat;

inline constexpr const char* kKlvKey = "com.smpte.st336.klv";

// text/x-raw (utf8, pango-markup), meta/x-klv, application/x-metadata; `handled` is false for other caps.
aw::Result<CapsFormat> sparse_caps_format(const GstCaps* caps, const GstStructure* s);
bool is_sparse_caps_name(const std::string& name);

// The sample payload for `data` of a pad whose format is `format` (tx3g or mebx). pango-markup text loses
// its markup (tx3g has styles of its own, which this writer does not write).
aw::Result<std::vector<uint8_t>> sparse_payload(const CapsFormat& format, const uint8_t* data, size_t size);

// "<b>Hello</b> &amp; bye" → "Hello & bye".
std::string strip_pango_markup(const std::string& markup);

}  // namespace gstaw
