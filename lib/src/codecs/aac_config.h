// AAC configuration: the AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1) and the esds ES_Descriptor that
// carries it in an mp4a sample entry (ISO/IEC 14496-1 7.2.6.5, 14496-14 5.6).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aw/status.h"

namespace aw {

struct AacConfig {
  // The core AAC layer. With explicit SBR/PS signalling (object type 5 or 29) this is the underlying
  // object type (usually 2, AAC LC) and its rate, i.e. half the output rate.
  uint32_t object_type = 0;
  uint32_t sample_rate = 0;
  uint32_t channel_configuration = 0;
  uint32_t channels = 0;
  uint32_t samples_per_frame = 1024;  // 960 when frameLengthFlag is set
  // SBR (HE-AAC) / PS (HE-AACv2), from explicit (type 5/29) or backward-compatible (sync extension 0x2b7)
  // signalling. The output rate is then extension_sample_rate.
  bool sbr = false;
  bool ps = false;
  uint32_t extension_sample_rate = 0;
  // The type in the codecs string "mp4a.40.N": 5 or 29 for explicit signalling, else object_type.
  uint32_t signalled_object_type = 0;
};

Result<AacConfig> parse_aac_config(std::span<const uint8_t> asc);

// RFC 6381 codecs parameter, "mp4a.40.2".
std::string aac_codec_string(const AacConfig& config);

// DecoderConfigDescriptor rate fields; 0 means unknown, which players accept. The writer can rebuild the
// descriptor with measured values once the track is complete.
struct EsdsBitrates {
  uint32_t buffer_size_db = 0;  // bytes, 24 bits (larger values are clamped)
  uint32_t max_bitrate = 0;     // bits per second
  uint32_t avg_bitrate = 0;
};

// The ES_Descriptor (tag 3) holding a DecoderConfigDescriptor for an audio stream of `object_type` (0x40 AAC,
// 0x6B MP3) with `asc` as its DecoderSpecificInfo (none when empty), and an SLConfigDescriptor
// (predefined 2): the content of the esds box after its version and flags.
constexpr uint8_t kObjectTypeAac = 0x40;
constexpr uint8_t kObjectTypeMp3 = 0x6b;  // MPEG-1 Audio (14496-1 Table 5; FFmpeg's choice for any layer 3)
std::vector<uint8_t> make_es_descriptor(std::span<const uint8_t> asc, const EsdsBitrates& bitrates = {},
                                        uint8_t object_type = kObjectTypeAac);

}  // namespace aw
