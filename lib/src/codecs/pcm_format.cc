#include "codecs/pcm_format.h"

#include <string>

namespace aw {

Result<TrackFormat> make_pcm_track(const FormatDescription& format) {
  const PcmLayout& pcm = format.pcm;
  const uint32_t bits = pcm.bits_per_sample;
  bool valid = pcm.is_float ? bits == 32 || bits == 64 : bits == 8 || bits == 16 || bits == 24 || bits == 32;
  if (!valid) {
    return Status(ErrorCode::kUnsupported, "PCM of " + std::to_string(bits) + "-bit " +
                                               (pcm.is_float ? "float" : "integer") + " samples is not supported");
  }
  if (!pcm.is_signed && bits != 8) return Status(ErrorCode::kUnsupported, "unsigned PCM is only supported at 8 bits");
  if (format.sample_rate == 0 || format.channels == 0) {
    return Status(ErrorCode::kInvalidArgument, "PCM needs the sample rate and channel count");
  }
  TrackFormat track;
  track.codec = Codec::kPcm;
  track.media_type = MediaType::kAudio;
  track.sample_entry = pcm.is_float ? FourCC("fpcm") : FourCC("ipcm");
  track.config_box = FourCC("pcmC");
  // pcmC (23003-5 5.1): version 0, flags 0, format_flags (bit 0: little endian), PCM_sample_size.
  track.config_payload = {0, 0, 0, 0, static_cast<uint8_t>(pcm.little_endian ? 1 : 0), static_cast<uint8_t>(bits)};
  track.sample_rate = format.sample_rate;
  track.channels = format.channels;
  track.bits_per_sample = bits;
  track.pcm = pcm;
  track.samples_per_frame = 1;
  track.pcm_frame_bytes = format.channels * bits / 8;
  track.codec_string = track.sample_entry.to_string();
  return track;
}

FourCC quicktime_pcm_entry(const TrackFormat& format) {
  const PcmLayout& pcm = format.pcm;
  if (format.channels > 2 || format.sample_rate > 0xffff) return FourCC("lpcm");
  if (pcm.bits_per_sample == 8) return pcm.is_signed ? FourCC("twos") : FourCC("raw ");
  if (pcm.bits_per_sample == 16) return pcm.little_endian ? FourCC("sowt") : FourCC("twos");
  // Wider samples have big-endian fourccs; the little-endian forms need 'lpcm' (or an 'enda' atom that
  // QuickTime reads only inside version 1 descriptions).
  if (pcm.little_endian) return FourCC("lpcm");
  if (pcm.is_float) return pcm.bits_per_sample == 32 ? FourCC("fl32") : FourCC("fl64");
  return pcm.bits_per_sample == 24 ? FourCC("in24") : FourCC("in32");
}

uint32_t lpcm_format_flags(const PcmLayout& pcm) {
  constexpr uint32_t kIsFloat = 1, kIsBigEndian = 2, kIsSignedInteger = 4, kIsPacked = 8;
  uint32_t flags = kIsPacked;
  if (pcm.is_float) flags |= kIsFloat;
  if (!pcm.little_endian) flags |= kIsBigEndian;
  if (!pcm.is_float && pcm.is_signed) flags |= kIsSignedInteger;
  return flags;
}

}  // namespace aw
