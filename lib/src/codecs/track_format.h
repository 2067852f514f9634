// TrackFormat: everything the boxes need to know about a track's codec, after its configuration record
// was parsed and checked. Built once per input by make_track_format().
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aw/format_description.h"
#include "aw/fourcc.h"
#include "aw/media_types.h"
#include "aw/status.h"

namespace aw {

// The picture description carried over from the FormatDescription, written as sample entry extensions
// (boxes/visual_extensions.h).
struct VisualExtensions {
  std::optional<ColorDescription> color;
  std::optional<MasteringDisplay> mastering_display;
  std::optional<ContentLightLevel> content_light_level;
  uint32_t pixel_aspect_h = 1;
  uint32_t pixel_aspect_v = 1;
  FieldOrder field_order = FieldOrder::kProgressive;
  std::optional<CleanAperture> clean_aperture;
};

struct TrackFormat {
  Codec codec = Codec::kH264;
  MediaType media_type = MediaType::kVideo;
  FourCC sample_entry;     // avc1, avc3, hvc1, hev1, av01, vp09, apch.., jpeg, mp4a, alac, Opus, fLaC, ac-3,
                           // ec-3, .mp3, ipcm, fpcm, sowt, twos, in24, in32, fl32, fl64, raw , lpcm,
                           // tx3g, text (QuickTime chapters), mebx
  FourCC config_box;       // avcC, hvcC, av1C, vpcC, esds, alac, dOps, dfLa, dac3, dec3; zero when none
  std::vector<uint8_t> config_payload;  // the configuration box content after its header, version and flags
                                        // included (for esds: the ES_Descriptor, after version+flags)
  // esds only: rebuilt at finish with the measured bitrates.
  uint8_t esds_object_type = 0;
  std::vector<uint8_t> decoder_specific_info;
  // Video
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t nal_length_size = 0;  // 1, 2 or 4
  std::string compressor_name;   // shown by players as the codec name
  uint16_t depth = 0x18;
  VisualExtensions visual;
  // Audio
  uint32_t sample_rate = 0;
  uint32_t channels = 0;
  uint32_t samples_per_frame = 0;  // AAC: 1024 (or 960); 0 when unknown or varying
  uint32_t bits_per_sample = 16;   // the entry's samplesize
  PcmLayout pcm;                   // Codec::kPcm
  // Uncompressed audio: bytes per PCM frame (all channels). Non-zero makes the writer store each frame
  // as one sample, so a buffer of N frames becomes a run of N samples.
  uint32_t pcm_frame_bytes = 0;
  // Samples (media timescale = sample rate) the decoder produces before the first presented one: Opus
  // pre-skip, encoder delay. The edit list should start this far into the media.
  uint32_t priming_samples = 0;
  // Timed metadata (mebx): the key table.
  std::vector<TimedMetadataKey> metadata_keys;
  // Informational: "avc1.64001f", "hvc1.1.6.L93.B0", "mp4a.40.2" (RFC 6381)
  std::string codec_string;
};

// Parses and checks the configuration record of `format`; errors name the problem ("avcC length 3 is
// shorter than its 7-byte header").
Result<TrackFormat> make_track_format(const FormatDescription& format);

// What of an appended sample goes into the file: the sample itself, but for AV1 without its temporal
// delimiters. A view of `sample`, so appending stays copy-free.
std::span<const uint8_t> stored_payload(const TrackFormat& format, std::span<const uint8_t> sample);

}  // namespace aw
