// The public codec string: the parsers in this directory compute it per codec while they build the track
// format (avc_codec_string, hevc_codec_string, av1_codec_string, ...); this is the one entry point.
#include "aw/codec_string.h"

#include "codecs/track_format.h"

namespace aw {

Result<std::string> codec_string(const FormatDescription& format) {
  AW_ASSIGN_OR_RETURN(TrackFormat track, make_track_format(format));
  std::string text = std::move(track.codec_string);
  // Sample entry fourccs padded with spaces ("raw ") are not valid in a codecs parameter.
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.empty()) {
    return Status(ErrorCode::kUnsupported, std::string("no codec string for ") + to_string(format.codec));
  }
  return text;
}

}  // namespace aw
