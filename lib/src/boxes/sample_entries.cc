#include "boxes/sample_entries.h"

#include <algorithm>
#include <string_view>

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

void write_visual_entry(BoxWriter& w, const TrackFormat& format, uint16_t width, uint16_t height) {
  w.box(format.sample_entry, [&] {
    sample_entry_header(w);
    w.u16(0);     // pre_defined (QuickTime: version)
    w.u16(0);     // reserved (QuickTime: revision level)
    w.zeros(12);  // pre_defined (QuickTime: vendor, temporal and spatial quality)
    w.u16(width);
    w.u16(height);
    w.u32(0x00480000);  // horizresolution: 72 dpi
    w.u32(0x00480000);  // vertresolution: 72 dpi
    w.u32(0);           // reserved (QuickTime: data size)
    w.u16(1);           // frame_count: one frame per sample
    compressor_name(w, format.codec == Codec::kHevc ? "HEVC Coding" : "AVC Coding");
    w.u16(0x0018);  // depth: colour, no alpha
    w.i16(-1);      // pre_defined (QuickTime: no colour table)
    w.box(format.config_box, [&] { w.bytes(format.config_payload); });
  });
}

// The esds box: a FullBox around the ES_Descriptor.
void write_esds(BoxWriter& w, const TrackFormat& format) {
  w.full_box(FourCC("esds"), 0, 0, [&] { w.bytes(format.config_payload); });
}

// 16.16 sample rate field. Rates above 65535 do not fit; writing 0 follows FFmpeg, since decoders take the
// real rate from the AudioSpecificConfig (and the media timescale carries it for timing).
uint32_t sample_rate_16_16(uint32_t rate) { return rate <= 0xffff ? rate << 16 : 0; }

// AudioSampleEntry (14496-12 12.2.3, version 0): used by every ISO file type.
void write_iso_audio_entry(BoxWriter& w, const TrackFormat& format) {
  w.box(format.sample_entry, [&] {
    sample_entry_header(w);
    w.zeros(8);  // reserved
    w.u16(static_cast<uint16_t>(format.channels));
    w.u16(16);  // samplesize
    w.u16(0);   // pre_defined
    w.u16(0);   // reserved
    w.u32(sample_rate_16_16(format.sample_rate));
    write_esds(w, format);
  });
}

// QuickTime SoundDescription version 1 (QTFF "Sound Sample Description (Version 1)"): compressed audio
// needs the version 1 fields, and QuickTime looks for the esds inside a 'wave' (siDecompressionParam)
// atom rather than directly in the entry. The layout matches what FFmpeg and qtmux write.
void write_quicktime_audio_entry(BoxWriter& w, const TrackFormat& format) {
  w.box(format.sample_entry, [&] {
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
    w.box(FourCC("wave"), [&] {
      w.box(FourCC("frma"), [&] { w.fourcc(format.sample_entry); });
      // An 'mp4a' atom with 4 zero bytes: QuickTime ignores it, but older iPod firmware and MPlayer expect
      // it before the esds (FFmpeg's movenc notes the same).
      w.box(FourCC("mp4a"), [&] { w.u32(0); });
      write_esds(w, format);
      // The wave atom's list ends with a zero-type terminator atom (QTFF "Terminator atom").
      w.u32(8);
      w.u32(0);
    });
  });
}

}  // namespace

void write_sample_entry(BoxWriter& w, const TrackFormat& format, FileType file_type, const SampleEntryContext& context) {
  if (format.media_type == MediaType::kVideo) {
    write_visual_entry(w, format, context.width, context.height);
  } else if (file_type == FileType::kQuickTimeMovie) {
    write_quicktime_audio_entry(w, format);
  } else {
    write_iso_audio_entry(w, format);
  }
}

}  // namespace aw
