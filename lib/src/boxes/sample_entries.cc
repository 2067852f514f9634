#include "boxes/sample_entries.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string_view>

#include "boxes/text_boxes.h"
#include "boxes/timed_metadata_boxes.h"
#include "boxes/visual_extensions.h"
#include "codecs/aac_config.h"
#include "codecs/pcm_format.h"

namespace aw {
namespace {

// SampleEntry (14496-12 8.5.2.2): 6 reserved bytes, then the data_reference_index of the single dref
// entry (the media is in this file).
void sample_entry_header(BoxWriter& w) {
  w.zeros(6);
  w.u16(1);
}

// compressorname: a Pascal string in a fixed 32-byte field, shown by players as the codec name.
void compressor_name(BoxWriter& w, std::string_view name) {
  size_t length = std::min<size_t>(name.size(), 31);
  w.u8(static_cast<uint8_t>(length));
  w.text(name.substr(0, length));
  w.zeros(31 - length);
}

void write_config_box(BoxWriter& w, const TrackFormat& format) {
  if (format.config_box == FourCC()) return;
  w.box(format.config_box, [&] { w.bytes(format.config_payload); });
}

void write_visual_entry(BoxWriter& w, const TrackFormat& format, FileType file_type,
                        const SampleEntryContext& context) {
  w.box(format.sample_entry, [&] {
    sample_entry_header(w);
    w.u16(0);     // pre_defined (QuickTime: version)
    w.u16(0);     // reserved (QuickTime: revision level)
    w.zeros(12);  // pre_defined (QuickTime: vendor, temporal and spatial quality)
    w.u16(context.width);
    w.u16(context.height);
    w.u32(0x00480000);  // horizresolution: 72 dpi
    w.u32(0x00480000);  // vertresolution: 72 dpi
    w.u32(0);           // reserved (QuickTime: data size)
    w.u16(1);           // frame_count: one frame per sample
    compressor_name(w, format.compressor_name);
    w.u16(format.depth);  // 0x18: colour, no alpha
    w.i16(-1);            // pre_defined (QuickTime: no colour table)
    write_config_box(w, format);
    write_visual_extensions(w, format.visual, file_type, context.width, context.height, context.bitrates);
  });
}

// The esds box: a FullBox around the ES_Descriptor, rebuilt with the measured rates when they are known.
void write_esds(BoxWriter& w, const TrackFormat& format, const Bitrates& rates) {
  w.full_box(FourCC("esds"), 0, 0, [&] {
    if (format.esds_object_type != 0 && rates.avg_bitrate > 0) {
      w.bytes(make_es_descriptor(format.decoder_specific_info,
                                 {rates.buffer_size, rates.max_bitrate, rates.avg_bitrate}, format.esds_object_type));
    } else {
      w.bytes(format.config_payload);
    }
  });
}

// 16.16 sample rate field. Rates above 65535 do not fit; writing 0 follows FFmpeg, since decoders take the
// real rate from the configuration (and the media timescale carries it for timing).
uint32_t sample_rate_16_16(uint32_t rate) { return rate <= 0xffff ? rate << 16 : 0; }

// AudioSampleEntry (14496-12 12.2.3, version 0): used by every ISO file type, and by QuickTime for the
// codecs whose configuration box it reads directly in the entry (the version 0 layout is the same).
void write_iso_audio_entry(BoxWriter& w, const TrackFormat& format, FileType file_type, const Bitrates& rates) {
  w.box(format.sample_entry, [&] {
    sample_entry_header(w);
    w.zeros(8);  // reserved
    w.u16(static_cast<uint16_t>(format.channels));
    w.u16(static_cast<uint16_t>(format.bits_per_sample));  // samplesize
    w.u16(0);                                              // pre_defined
    w.u16(0);                                              // reserved
    w.u32(sample_rate_16_16(format.sample_rate));
    if (format.config_box == FourCC("esds")) {
      write_esds(w, format, rates);
    } else {
      write_config_box(w, format);
      if (file_type != FileType::kQuickTimeMovie && rates.avg_bitrate > 0) write_btrt(w, rates);
    }
  });
}

// QuickTime SoundDescription version 1 (QTFF "Sound Sample Description (Version 1)"): compressed audio
// needs the version 1 fields, and QuickTime looks for the esds inside a 'wave' (siDecompressionParam)
// atom rather than directly in the entry. The layout matches what FFmpeg and qtmux write.
void write_quicktime_audio_entry(BoxWriter& w, const TrackFormat& format, FourCC entry, const Bitrates& rates) {
  w.box(entry, [&] {
    sample_entry_header(w);
    w.u16(1);  // version
    w.u16(0);  // revision level
    w.u32(0);  // vendor
    w.u16(static_cast<uint16_t>(format.channels));
    w.u16(16);  // sample size
    w.i16(-2);  // compression ID: -2 for compressed audio in a version 1 description
    w.u16(0);   // packet size
    w.u32(sample_rate_16_16(format.sample_rate));
    w.u32(format.samples_per_frame);  // samples per packet
    w.u32(0);                         // bytes per packet: variable
    w.u32(0);                         // bytes per frame: variable
    w.u32(2);                         // bytes per sample: 16-bit output
    if (format.codec == Codec::kMp3) return;  // '.mp3' needs no decoder parameters (FFmpeg writes none)
    w.box(FourCC("wave"), [&] {
      w.box(FourCC("frma"), [&] { w.fourcc(format.sample_entry); });
      // An 'mp4a' atom with 4 zero bytes: QuickTime ignores it, but older iPod firmware and MPlayer expect
      // it before the esds (FFmpeg's movenc notes the same).
      w.box(FourCC("mp4a"), [&] { w.u32(0); });
      write_esds(w, format, rates);
      // The wave atom's list ends with a zero-type terminator atom (QTFF "Terminator atom").
      w.u32(8);
      w.u32(0);
    });
  });
}

// The channel layout of QuickTime PCM ('chan', QTFF "Audio Channel Layout Atom"; CoreAudio's
// AudioChannelLayout): without it readers guess one (ffprobe: "Guessed Channel Layout"). We know the count
// only, so mono and stereo get their tags and more channels are "discrete, in order" (no speaker positions).
void write_chan(BoxWriter& w, uint32_t channels) {
  constexpr uint32_t kMono = 100u << 16 | 1, kStereo = 101u << 16 | 2, kDiscreteInOrder = 147u << 16;
  const uint32_t tag = channels == 1 ? kMono : channels == 2 ? kStereo : kDiscreteInOrder | (channels & 0xffff);
  w.full_box(FourCC("chan"), 0, 0, [&] {
    w.u32(tag);
    w.u32(0);  // mChannelBitmap: unused with a tag
    w.u32(0);  // mNumberChannelDescriptions
  });
}

// QuickTime PCM with a version 0 description: the fourcc says the sample format.
void write_quicktime_pcm_v0(BoxWriter& w, const TrackFormat& format, FourCC entry) {
  w.box(entry, [&] {
    sample_entry_header(w);
    w.u16(0);  // version
    w.u16(0);  // revision level
    w.u32(0);  // vendor
    w.u16(static_cast<uint16_t>(format.channels));
    w.u16(static_cast<uint16_t>(format.bits_per_sample));
    w.u16(0);  // compression ID
    w.u16(0);  // packet size
    w.u32(sample_rate_16_16(format.sample_rate));
    write_chan(w, format.channels);
  });
}

// QuickTime SoundDescription version 2 'lpcm' (QTFF "Sound Sample Description (Version 2)"): any channel
// count, rate and layout, described by CoreAudio format flags.
void write_quicktime_lpcm_v2(BoxWriter& w, const TrackFormat& format) {
  w.box(FourCC("lpcm"), [&] {
    sample_entry_header(w);
    w.u16(2);           // version
    w.u16(0);           // revision level
    w.u32(0);           // vendor
    w.u16(3);           // always3
    w.u16(16);          // always16
    w.i16(-2);          // always -2
    w.u16(0);           // always0
    w.u32(0x00010000);  // always65536
    w.u32(72);          // sizeOfStructOnly
    w.u64(std::bit_cast<uint64_t>(static_cast<double>(format.sample_rate)));
    w.u32(format.channels);
    w.u32(0x7f000000);  // always7F000000
    w.u32(format.bits_per_sample);
    w.u32(lpcm_format_flags(format.pcm));
    w.u32(format.pcm_frame_bytes);  // constBytesPerAudioPacket
    w.u32(1);                       // constLPCMFramesPerAudioPacket
    write_chan(w, format.channels);
  });
}

void write_audio_entry(BoxWriter& w, const TrackFormat& format, FileType file_type, const Bitrates& rates) {
  if (file_type != FileType::kQuickTimeMovie) return write_iso_audio_entry(w, format, file_type, rates);
  switch (format.codec) {
    case Codec::kAac:
      return write_quicktime_audio_entry(w, format, format.sample_entry, rates);
    case Codec::kMp3:
      return write_quicktime_audio_entry(w, format, FourCC(".mp3"), rates);
    case Codec::kPcm: {
      FourCC entry = quicktime_pcm_entry(format);
      if (entry == FourCC("lpcm")) return write_quicktime_lpcm_v2(w, format);
      return write_quicktime_pcm_v0(w, format, entry);
    }
    default:
      // ALAC, Opus, FLAC, AC-3, E-AC-3: the version 0 layout with the configuration box in the entry, which
      // is how FFmpeg and qtdemux find it in either container.
      return write_iso_audio_entry(w, format, file_type, rates);
  }
}

}  // namespace

void write_sample_entry(BoxWriter& w, const TrackFormat& format, FileType file_type, const SampleEntryContext& context) {
  switch (format.media_type) {
    case MediaType::kVideo: return write_visual_entry(w, format, file_type, context);
    case MediaType::kAudio: return write_audio_entry(w, format, file_type, context.bitrates);
    case MediaType::kText:
      // QuickTime chapter tracks use QuickTime's own text description; subtitles are tx3g everywhere.
      if (format.sample_entry == FourCC("text")) return write_quicktime_text_entry(w);
      return write_tx3g_entry(w);
    case MediaType::kMetadata: return write_mebx_entry(w, format.metadata_keys);
  }
}

}  // namespace aw
