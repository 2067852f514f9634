// RFC 6381 codec strings ("avc1.64001f", "hvc1.1.6.L120.90", "av01.0.04M.08", "mp4a.40.2", "opus"), as an
// HLS multivariant playlist's CODECS, a DASH manifest's @codecs or MediaSource.isTypeSupported() want them.
#pragma once

#include <string>

#include "aw/format_description.h"
#include "aw/status.h"

namespace aw {

// The codec string of the track the writer makes from `format`: computed from the configuration record
// (profile, constraint flags, level, tier, bit depth, audio object type), and from the sample entry the
// track gets (avc1 or avc3, hvc1 or hev1). Fails as make_track_format would for a malformed record, naming
// the problem. Formats that need their first sample (see needs_first_sample()) need it here too.
Result<std::string> codec_string(const FormatDescription& format);

}  // namespace aw
