// TrackFormat: everything the boxes need to know about a track's codec, after its configuration record
// was parsed and checked. Built once per input by make_track_format().
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aw/format_description.h"
#include "aw/fourcc.h"
#include "aw/media_types.h"
#include "aw/status.h"

namespace aw {

struct TrackFormat {
  Codec codec = Codec::kH264;
  MediaType media_type = MediaType::kVideo;
  FourCC sample_entry;     // avc1, avc3, hvc1, hev1, mp4a
  FourCC config_box;       // avcC, hvcC, esds
  std::vector<uint8_t> config_payload;  // the configuration box content after its header
                                        // (for esds: the ES_Descriptor, after version+flags)
  // Video
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t nal_length_size = 0;  // 1, 2 or 4
  // Audio
  uint32_t sample_rate = 0;
  uint32_t channels = 0;
  uint32_t samples_per_frame = 0;  // AAC: 1024 (or 960); 0 when unknown
  // Uncompressed audio: bytes per PCM frame (all channels). Non-zero makes the writer store each frame
  // as one sample, so a buffer of N frames becomes a run of N samples.
  uint32_t pcm_frame_bytes = 0;
  // Informational: "avc1.64001f", "hvc1.1.6.L93.B0", "mp4a.40.2" (RFC 6381)
  std::string codec_string;
};

// Parses and checks the configuration record of `format`; errors name the problem ("avcC length 3 is
// shorter than its 7-byte header").
Result<TrackFormat> make_track_format(const FormatDescription& format);

}  // namespace aw
