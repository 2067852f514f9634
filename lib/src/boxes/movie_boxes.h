// Movie-level boxes (ISO/IEC 14496-12 clause 8.2, 8.3 and 4.3): ftyp, mvhd, tkhd, edts/elst, mdhd, hdlr,
// media headers and dinf. Box structs carry data; versions are derived when written.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aw/asset_writer_input.h"
#include "aw/fourcc.h"
#include "aw/media_types.h"
#include "boxes/box_writer.h"
#include "boxes/brands.h"

namespace aw {

// Seconds between 1904-01-01 (the QuickTime / ISO epoch) and 1970-01-01.
constexpr uint64_t kSecondsFrom1904To1970 = 2082844800;

void write_ftyp(BoxWriter& w, const FileTypeBox& ftyp);
// The segment type box: an ftyp by another name, at the start of a media segment (8.16.2).
void write_styp(BoxWriter& w, const FileTypeBox& styp);

// The mdat header for `payload_size` bytes of media: 8 bytes, or 16 with a 64-bit size (`large`,
// ISO 14496-12 4.2) when the box passes 4 GiB.
void write_mdat_header(BoxWriter& w, uint64_t payload_size, bool large);
bool mdat_needs_large_size(uint64_t payload_size);

struct MovieHeader {
  uint64_t creation_time = 0;  // seconds since 1904
  uint64_t modification_time = 0;
  uint32_t timescale = 1000;
  uint64_t duration = 0;
  uint32_t next_track_id = 1;
  bool force_version_1 = false;  // fragmented movies: the header is rewritten in place at finish
};
void write_mvhd(BoxWriter& w, const MovieHeader& h);

struct TrackHeader {
  uint64_t creation_time = 0;
  uint64_t modification_time = 0;
  uint32_t track_id = 1;
  uint64_t duration = 0;  // movie timescale
  bool enabled = true;
  uint16_t alternate_group = 0;
  int16_t layer = 0;  // lower is nearer the viewer: text tracks go in front of the video (-1)
  double volume = 0;  // 8.8 fixed point: 1.0 for audio tracks at full volume, 0 for others
  Transform matrix = kIdentityTransform;
  double width = 0;  // presentation size, 16.16
  double height = 0;
  bool force_version_1 = false;
};
void write_tkhd(BoxWriter& w, const TrackHeader& h);

struct EditListEntry {
  uint64_t segment_duration = 0;  // movie timescale
  int64_t media_time = 0;         // media timescale; -1 for an empty edit
};
// edts containing elst; writes nothing for an empty list.
void write_edts(BoxWriter& w, std::span<const EditListEntry> edits, bool force_version_1 = false);

struct MediaHeader {
  uint64_t creation_time = 0;
  uint64_t modification_time = 0;
  uint32_t timescale = 0;
  uint64_t duration = 0;
  std::string language = "und";  // ISO 639-2/T
  bool force_version_1 = false;
};
void write_mdhd(BoxWriter& w, const MediaHeader& h);
// Packs an ISO 639-2/T code into 15 bits (three 5-bit letters, each minus 0x60); "und" for bad codes.
uint16_t pack_language(const std::string& iso639_2t);

// The media handler (mdia/hdlr): 'vide' or 'soun'. QuickTime also wants a data handler in minf and
// counted (Pascal) name strings; ISO wants a NUL-terminated UTF-8 name.
void write_media_hdlr(BoxWriter& w, MediaType type, FileType file_type);
void write_data_hdlr(BoxWriter& w);
void write_media_information_header(BoxWriter& w, MediaType type);  // vmhd or smhd

struct MediaHandler {
  FourCC type;
  const char* name;
};
// The handler of a track of `type` in `file_type`:
//  - video 'vide', audio 'soun';
//  - text 'sbtl' (subtitles: what Apple writes, ISO 14496-30, and ffmpeg for tx3g), but 'text' in 3GPP files
//    (TS 26.245 5.16) and for chapter tracks (QuickTime and iTunes read chapters from 'text' tracks);
//  - timed metadata 'meta' (QTFF, 14496-12 12.9).
MediaHandler media_handler_for(MediaType type, FileType file_type, bool chapter_track = false);
void write_media_hdlr(BoxWriter& w, const MediaHandler& handler, FileType file_type);
// vmhd, smhd, or for the other handlers nmhd (ISO) / gmhd (QuickTime).
void write_media_information_header(BoxWriter& w, FourCC handler, FileType file_type);
void write_dinf(BoxWriter& w, FileType file_type);

}  // namespace aw
