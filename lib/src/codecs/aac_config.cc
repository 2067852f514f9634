#include "codecs/aac_config.h"

#include <algorithm>

#include "codecs/bit_reader.h"

namespace aw {
namespace {

Status malformed(std::string message) { return {ErrorCode::kMalformedConfig, std::move(message)}; }

// samplingFrequencyIndex of 14496-3 Table 1.18; 13 and 14 are reserved, 15 means an explicit 24-bit rate.
constexpr uint32_t kSampleRates[13] = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                       22050, 16000, 12000, 11025, 8000,  7350};

uint32_t read_object_type(BitReader& r) {
  uint32_t type = r.bits(5);
  return type == 31 ? 32 + r.bits(6) : type;  // audioObjectTypeExt
}

Result<uint32_t> read_sample_rate(BitReader& r, const char* what) {
  uint32_t index = r.bits(4);
  if (index == 15) {
    uint32_t rate = r.bits(24);
    if (rate == 0 && !r.error()) return malformed(std::string("AudioSpecificConfig explicit ") + what + " is 0");
    return rate;
  }
  if (index >= 13) {
    return malformed(std::string("AudioSpecificConfig ") + what + " index " + std::to_string(index) + " is reserved");
  }
  return kSampleRates[index];
}

// Channels of each channelConfiguration (14496-3 Table 1.19, with 11, 12 and 14 from its 2009 amendments);
// 0 means a program_config_element, other values are reserved.
uint32_t channels_of(uint32_t configuration) {
  constexpr uint32_t kChannels[15] = {0, 1, 2, 3, 4, 5, 6, 8, 0, 0, 0, 7, 8, 24, 8};
  return configuration < 15 ? kChannels[configuration] : 0;
}

// Object types that use GASpecificConfig and are decoded by AAC decoders: Main, LC, SSR, LTP, Scalable,
// and the error-resilient LC/LTP/Scalable/LD variants.
bool is_aac_object_type(uint32_t type) {
  for (uint32_t t : {1u, 2u, 3u, 4u, 6u, 17u, 19u, 20u, 23u}) {
    if (t == type) return true;
  }
  return false;
}

// Descriptor size in the 4-byte form (0x80 0x80 0x80 nn, 14496-1 8.3.3 expandable size). Both forms are
// legal; this one is what FFmpeg and Apple's writers emit, so every player in use has seen it, and its fixed
// width keeps the layout the same whatever the content size.
void put_descriptor(std::vector<uint8_t>& out, uint8_t tag, size_t size) {
  out.push_back(tag);
  out.push_back(static_cast<uint8_t>(0x80 | (size >> 21 & 0x7f)));
  out.push_back(static_cast<uint8_t>(0x80 | (size >> 14 & 0x7f)));
  out.push_back(static_cast<uint8_t>(0x80 | (size >> 7 & 0x7f)));
  out.push_back(static_cast<uint8_t>(size & 0x7f));
}

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

// audioObjectType, samplingFrequencyIndex and channelConfiguration of AudioSpecificConfig (14496-3 1.6.2.1),
// with the extension rate and core type of explicit hierarchical SBR/PS signalling (14496-3 1.6.5.2).
Status read_object_type_and_rates(BitReader& r, AacConfig& config) {
  config.object_type = read_object_type(r);
  config.signalled_object_type = config.object_type;
  AW_ASSIGN_OR_RETURN(config.sample_rate, read_sample_rate(r, "sampling frequency"));
  config.channel_configuration = r.bits(4);
  if (config.object_type == 5 || config.object_type == 29) {
    config.sbr = true;
    config.ps = config.object_type == 29;
    AW_ASSIGN_OR_RETURN(config.extension_sample_rate, read_sample_rate(r, "extension sampling frequency"));
    config.object_type = read_object_type(r);
  }
  return Status::ok();
}

// Refuses what is not AAC or has no fixed channel layout; sets config.channels.
Status check_object_type_and_channels(AacConfig& config) {
  if (config.object_type == 0) return malformed("AudioSpecificConfig object type 0 is invalid");
  if (!is_aac_object_type(config.object_type)) {
    return Status(ErrorCode::kUnsupported,
                  "AudioSpecificConfig object type " + std::to_string(config.object_type) + " is not AAC");
  }
  if (config.channel_configuration == 0) {
    return Status(ErrorCode::kUnsupported,
                  "AudioSpecificConfig channel configuration 0 (layout in a program_config_element) is not supported");
  }
  config.channels = channels_of(config.channel_configuration);
  if (config.channels == 0) {
    return malformed("AudioSpecificConfig channel configuration " + std::to_string(config.channel_configuration) +
                     " is reserved");
  }
  return Status::ok();
}

// GASpecificConfig (14496-3 4.4.1): the frame length; the rest is only consumed.
void read_ga_specific_config(BitReader& r, AacConfig& config) {
  bool frame_length_flag = r.flag();
  // AAC LD codes 512 or 480 samples per frame; the others 1024 or 960.
  if (config.object_type == 23) {
    config.samples_per_frame = frame_length_flag ? 480 : 512;
  } else {
    config.samples_per_frame = frame_length_flag ? 960 : 1024;
  }
  if (r.flag()) r.skip(14);  // dependsOnCoreCoder → coreCoderDelay
  bool extension_flag = r.flag();
  if (config.object_type == 6 || config.object_type == 20) r.skip(3);  // layerNr
  if (extension_flag) {
    if (config.object_type == 17 || config.object_type == 19 || config.object_type == 20 || config.object_type == 23) {
      r.skip(3);  // aacSectionDataResilienceFlag, aacScalefactorDataResilienceFlag, aacSpectralDataResilienceFlag
    }
    r.skip(1);  // extensionFlag3
  }
}

// Backward-compatible signalling (14496-3 1.6.5.3): a sync extension after the core config announces
// SBR (and PS) to decoders that understand it, while old decoders play the core.
Status read_sync_extension(BitReader& r, AacConfig& config) {
  if (r.bits(11) == 0x2b7 && read_object_type(r) == 5) {
    config.sbr = r.flag();
    if (config.sbr) {
      AW_ASSIGN_OR_RETURN(config.extension_sample_rate, read_sample_rate(r, "extension sampling frequency"));
      if (r.bits_left() >= 12 && r.bits(11) == 0x548) config.ps = r.flag();
    }
    if (r.error()) return malformed("AudioSpecificConfig sync extension is truncated");
  }
  return Status::ok();
}

}  // namespace

Result<AacConfig> parse_aac_config(std::span<const uint8_t> asc) {
  if (asc.size() < 2) {
    return malformed("AudioSpecificConfig length " + std::to_string(asc.size()) + " is shorter than 2 bytes");
  }
  BitReader r(asc);
  AacConfig config;
  AW_RETURN_IF_ERROR(read_object_type_and_rates(r, config));
  if (r.error()) return malformed("AudioSpecificConfig is truncated (" + std::to_string(asc.size()) + " bytes)");
  AW_RETURN_IF_ERROR(check_object_type_and_channels(config));
  read_ga_specific_config(r, config);
  if (r.error()) return malformed("AudioSpecificConfig is truncated (" + std::to_string(asc.size()) + " bytes)");
  if (!config.sbr && r.bits_left() >= 16) AW_RETURN_IF_ERROR(read_sync_extension(r, config));
  return config;
}

std::string aac_codec_string(const AacConfig& config) {
  return "mp4a.40." + std::to_string(config.signalled_object_type);
}

std::vector<uint8_t> make_es_descriptor(std::span<const uint8_t> asc, const EsdsBitrates& bitrates,
                                        uint8_t object_type) {
  constexpr size_t kHeader = 5;  // tag + 4-byte size
  const size_t decoder_specific = asc.empty() ? 0 : kHeader + asc.size();
  const size_t decoder_config = kHeader + 13 + decoder_specific;
  const size_t sl_config = kHeader + 1;
  const size_t es = 3 + decoder_config + sl_config;

  std::vector<uint8_t> out;
  out.reserve(kHeader + es);
  put_descriptor(out, 0x03, es);  // ES_DescrTag
  // ES_ID 0: 14496-14 sets it to 0 as stored in a file, where the track ID identifies the stream.
  out.push_back(0);
  out.push_back(0);
  out.push_back(0);  // no streamDependence, URL or OCR stream

  put_descriptor(out, 0x04, decoder_config - kHeader);  // DecoderConfigDescrTag
  out.push_back(object_type);                           // objectTypeIndication
  out.push_back(0x05 << 2 | 0x01);                      // streamType audio, upStream 0, reserved 1
  uint32_t buffer_size = std::min<uint32_t>(bitrates.buffer_size_db, 0xffffff);
  out.push_back(static_cast<uint8_t>(buffer_size >> 16));
  out.push_back(static_cast<uint8_t>(buffer_size >> 8));
  out.push_back(static_cast<uint8_t>(buffer_size));
  put_u32(out, bitrates.max_bitrate);
  put_u32(out, bitrates.avg_bitrate);

  if (!asc.empty()) {
    put_descriptor(out, 0x05, asc.size());  // DecSpecificInfoTag
    out.insert(out.end(), asc.begin(), asc.end());
  }

  put_descriptor(out, 0x06, 1);  // SLConfigDescrTag
  out.push_back(0x02);  // predefined 2: "reserved for use in MP4 files" (14496-1 Table 13), what 14496-14 requires
  return out;
}

}  // namespace aw
