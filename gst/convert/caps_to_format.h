// Caps → aw::FormatDescription: the only place that knows which caps the writer can hold and how their
// codec_data, streamheader and picture fields map onto the library's configuration.
#pragma once

#include <gst/gst.h>

#include "aw/asset_writer_input.h"
#include "aw/format_description.h"
#include "aw/media_types.h"
#include "aw/status.h"

namespace gstaw {

struct CapsFormat {
  aw::MediaType media_type = aw::MediaType::kVideo;
  aw::FormatDescription format;
  // From the caps' width/height; 0x0 when absent (the library then reads the codec configuration).
  aw::Size natural_size;
  // text/x-raw format=pango-markup: the markup is stripped from each buffer.
  bool text_markup = false;
};

// Parses fixed caps. Errors say what is wrong without the pad name ("video/x-h264 stream-format avc needs
// codec_data (the avcC record)"); the caller prefixes the pad.
aw::Result<CapsFormat> caps_to_format(const GstCaps* caps);

// caps_to_format(), then whether a file of `file_type` may hold the codec ("refusing caps ...: ProRes needs a
// QuickTime movie (.mov), not mp4").
aw::Result<CapsFormat> caps_to_format_for(const GstCaps* caps, aw::FileType file_type);

}  // namespace gstaw
