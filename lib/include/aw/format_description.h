// A format description (CMFormatDescription): the codec, its configuration record as the caller has it, and
// the picture and sound details a container states beside it (colour, aspect, fields, PCM layout).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aw/fourcc.h"
#include "aw/media_types.h"
#include "aw/status.h"

namespace aw {

// Colour description as ISO/IEC 23091-2 (ITU-T H.273) code points: 1 = BT.709, 9 = BT.2020, 16 = PQ,
// 18 = HLG, 2 = unspecified. Written as colr nclx (ISO files) or nclc (QuickTime).
struct ColorDescription {
  uint16_t primaries = 2;
  uint16_t transfer = 2;
  uint16_t matrix = 2;
  bool full_range = false;
};

// SMPTE ST 2086 mastering display colour volume, in the units of the HEVC/AV1 SEI: chromaticities in
// 0.00002 steps, luminance in 0.0001 cd/m². Primaries in red, green, blue order. Written as mdcv (ISO) or
// SmDm (QuickTime).
struct MasteringDisplay {
  std::array<std::array<uint16_t, 2>, 3> primaries{};  // {x, y} of red, green, blue
  std::array<uint16_t, 2> white_point{};
  uint32_t max_luminance = 0;
  uint32_t min_luminance = 0;
};

// CTA-861.3 content light level, cd/m². Written as clli (ISO) or CoLL (QuickTime).
struct ContentLightLevel {
  uint16_t max_content = 0;
  uint16_t max_frame_average = 0;
};

// How the two fields of an interlaced picture are stored (fiel).
enum class FieldOrder { kProgressive, kTopFirst, kBottomFirst };

// The clean aperture (clap) as a crop of the coded picture, in pixels.
struct CleanAperture {
  uint32_t left = 0;
  uint32_t top = 0;
  uint32_t width = 0;
  uint32_t height = 0;
};

// ProRes flavours and their sample entry fourccs.
enum class ProResVariant { kProxy, kLt, kStandard, kHq, k4444, k4444Xq };  // apco apcs apcn apch ap4h ap4x

// Uncompressed audio: interleaved frames of `channels` samples.
struct PcmLayout {
  uint32_t bits_per_sample = 16;  // 8, 16, 24, 32 (integer) or 32, 64 (float)
  bool is_float = false;
  bool little_endian = true;
  bool is_signed = true;  // only 8-bit samples may be unsigned
};

// Well-known data types of QuickTime metadata values (QTFF "Well-known types"), as a timed metadata key's
// 'dtyp' states them.
enum class MetadataDataType : uint32_t {
  kRaw = 0,  // no type stated: the value is opaque bytes (KLV)
  kUtf8 = 1,
  kFloat32 = 23,  // big-endian IEEE 754
  kFloat64 = 24,
  kInt8 = 65,
  kInt16 = 66,
  kInt32 = 67,
  kInt64 = 74,
};

// One key a timed metadata track (Codec::kMebx) may carry: written in the sample entry's 'keys' table with
// local id = its position + 1, which is how samples refer to it (make_metadata_sample).
struct TimedMetadataKey {
  FourCC key_namespace = FourCC("mdta");  // 'mdta': a reverse-DNS name
  std::string key;                        // "com.apple.quicktime.location.ISO6709"
  MetadataDataType data_type = MetadataDataType::kUtf8;
};

struct FormatDescription {
  Codec codec = Codec::kH264;
  // The configuration record:
  //   H.264 / H.265: avcC / hvcC record (may be empty in band: built from first_sample)
  //   AV1: av1C record, or empty (built from the sequence header in first_sample)
  //   AAC: AudioSpecificConfig; ALAC: the magic cookie (ALACSpecificConfig, bare or in its 'alac' atom)
  //   Opus: the OpusHead packet; FLAC: the metadata blocks after "fLaC", STREAMINFO first
  //   AC-3 / E-AC-3: empty (parsed from first_sample); VP9, ProRes, JPEG, MP3, PCM, tx3g, mebx: empty
  std::vector<uint8_t> configuration{};
  // H.264/H.265 only: parameter sets travel in band (avc3 / hev1 sample entries).
  bool parameter_sets_in_band = false;

  // The track's first sample, for formats whose configuration comes from the stream itself: AV1 without an
  // av1C (its sequence header OBU), AC-3/E-AC-3 (dac3/dec3 from the syncframe), H.264/H.265 in band
  // without a record (parameter sets of the first access unit, 4-byte lengths). See needs_first_sample().
  std::vector<uint8_t> first_sample{};

  // Video details the configuration does not carry (VP9, ProRes, JPEG, in-band H.264/H.265 without a record).
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t profile = 0;    // VP9 profile 0..3
  uint32_t bit_depth = 0;  // VP9 luma bit depth (0: 8)
  uint32_t chroma_subsampling_x = 1;  // VP9: 1,1 = 4:2:0; 1,0 = 4:2:2; 0,0 = 4:4:4
  uint32_t chroma_subsampling_y = 1;
  ProResVariant prores_variant = ProResVariant::kStandard;

  // Picture description, written as sample entry extensions.
  std::optional<ColorDescription> color{};
  std::optional<MasteringDisplay> mastering_display{};
  std::optional<ContentLightLevel> content_light_level{};
  uint32_t pixel_aspect_h = 1;  // pasp hSpacing:vSpacing; 1:1 writes no pasp
  uint32_t pixel_aspect_v = 1;
  FieldOrder field_order = FieldOrder::kProgressive;
  std::optional<CleanAperture> clean_aperture{};

  // Audio details the configuration does not carry (MP3, PCM; a check against the others').
  uint32_t sample_rate = 0;
  uint32_t channels = 0;
  PcmLayout pcm{};
  // Samples at the start that decoders produce but players must not present (encoder delay), in the
  // track's sample rate. Opus takes its pre-skip from the OpusHead when this is 0.
  uint32_t priming_samples = 0;

  // Timed metadata (mebx): the keys its samples carry; at least one.
  std::vector<TimedMetadataKey> metadata_keys{};
};

// True when make_track_format needs `first_sample` for this description (AV1 without av1C, AC-3, E-AC-3,
// H.264/H.265 in band without a record).
bool needs_first_sample(const FormatDescription& format);

// Whether a file of `file_type` may hold this format, and if not why ("ProRes needs a QuickTime movie
// (.mov), not mp4"). The writer's can_add and can_apply use it.
Status check_codec_allowed(FileType file_type, const FormatDescription& format);
Status check_codec_allowed(FileType file_type, Codec codec);

}  // namespace aw
