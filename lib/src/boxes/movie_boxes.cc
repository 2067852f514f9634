#include "boxes/movie_boxes.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "boxes/text_boxes.h"

namespace aw {
namespace {

bool needs_version_1(std::initializer_list<uint64_t> values) {
  return std::any_of(values.begin(), values.end(),
                     [](uint64_t v) { return v > std::numeric_limits<uint32_t>::max(); });
}

void write_matrix(BoxWriter& w, const Transform& m) {
  for (size_t i = 0; i < 9; ++i) {
    // Columns u, v, w (indices 2, 5, 8) are 2.30 fixed point; the rest are 16.16.
    if (i % 3 == 2) {
      w.fixed_2_30(m[i]);
    } else {
      w.fixed_16_16(m[i]);
    }
  }
}

// Writes creation, modification, [track id, reserved,] and duration as 32 or 64-bit fields.
void write_times(BoxWriter& w, bool v1, uint64_t creation, uint64_t modification) {
  if (v1) {
    w.u64(creation);
    w.u64(modification);
  } else {
    w.u32(static_cast<uint32_t>(creation));
    w.u32(static_cast<uint32_t>(modification));
  }
}

void write_duration(BoxWriter& w, bool v1, uint64_t duration) {
  if (v1) {
    w.u64(duration);
  } else {
    w.u32(static_cast<uint32_t>(duration));
  }
}

}  // namespace

namespace {

void write_brands(BoxWriter& w, FourCC type, const FileTypeBox& ftyp) {
  w.box(type, [&] {
    w.fourcc(ftyp.major_brand);
    w.u32(ftyp.minor_version);
    for (FourCC brand : ftyp.compatible_brands) w.fourcc(brand);
  });
}

}  // namespace

void write_ftyp(BoxWriter& w, const FileTypeBox& ftyp) { write_brands(w, FourCC("ftyp"), ftyp); }
void write_styp(BoxWriter& w, const FileTypeBox& styp) { write_brands(w, FourCC("styp"), styp); }

void write_mdat_header(BoxWriter& w, uint64_t payload_size, bool large) {
  if (large) {
    w.u32(1);
    w.fourcc(FourCC("mdat"));
    w.u64(payload_size + 16);
  } else {
    w.u32(static_cast<uint32_t>(payload_size + 8));
    w.fourcc(FourCC("mdat"));
  }
}

bool mdat_needs_large_size(uint64_t payload_size) {
  return payload_size + 8 > std::numeric_limits<uint32_t>::max();
}

void write_mvhd(BoxWriter& w, const MovieHeader& h) {
  bool v1 = h.force_version_1 || needs_version_1({h.creation_time, h.modification_time, h.duration});
  w.full_box(FourCC("mvhd"), v1 ? 1 : 0, 0, [&] {
    write_times(w, v1, h.creation_time, h.modification_time);
    w.u32(h.timescale);
    write_duration(w, v1, h.duration);
    w.fixed_16_16(1.0);  // preferred rate
    w.u16(0x0100);       // preferred volume 1.0 (8.8)
    w.zeros(10);         // reserved
    write_matrix(w, kIdentityTransform);
    w.zeros(24);  // pre_defined (QuickTime: preview/poster/selection/current times)
    w.u32(h.next_track_id);
  });
}

void write_tkhd(BoxWriter& w, const TrackHeader& h) {
  bool v1 = h.force_version_1 || needs_version_1({h.creation_time, h.modification_time, h.duration});
  // track_enabled | track_in_movie | track_in_preview; a disabled track keeps in_movie/in_preview.
  uint32_t flags = (h.enabled ? 0x1 : 0) | 0x2 | 0x4;
  w.full_box(FourCC("tkhd"), v1 ? 1 : 0, flags, [&] {
    write_times(w, v1, h.creation_time, h.modification_time);
    w.u32(h.track_id);
    w.u32(0);  // reserved
    write_duration(w, v1, h.duration);
    w.zeros(8);  // reserved
    w.i16(h.layer);
    w.u16(h.alternate_group);
    w.i16(static_cast<int16_t>(std::lround(h.volume * 256.0)));  // volume, 8.8
    w.u16(0);                     // reserved
    write_matrix(w, h.matrix);
    w.fixed_16_16(h.width);
    w.fixed_16_16(h.height);
  });
}

void write_edts(BoxWriter& w, std::span<const EditListEntry> edits, bool force_version_1) {
  if (edits.empty()) return;
  bool v1 = force_version_1 || std::any_of(edits.begin(), edits.end(), [](const EditListEntry& e) {
    return e.segment_duration > std::numeric_limits<uint32_t>::max() ||
           e.media_time > std::numeric_limits<int32_t>::max() || e.media_time < -1;
  });
  w.box(FourCC("edts"), [&] {
    w.full_box(FourCC("elst"), v1 ? 1 : 0, 0, [&] {
      w.u32(static_cast<uint32_t>(edits.size()));
      for (const auto& e : edits) {
        if (v1) {
          w.u64(e.segment_duration);
          w.i64(e.media_time);
        } else {
          w.u32(static_cast<uint32_t>(e.segment_duration));
          w.i32(static_cast<int32_t>(e.media_time));
        }
        w.fixed_16_16(1.0);  // media_rate_integer 1, media_rate_fraction 0
      }
    });
  });
}

uint16_t pack_language(const std::string& code) {
  auto valid = code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  const std::string& c = valid ? code : std::string("und");
  return static_cast<uint16_t>((c[0] - 0x60) << 10 | (c[1] - 0x60) << 5 | (c[2] - 0x60));
}

void write_mdhd(BoxWriter& w, const MediaHeader& h) {
  bool v1 = h.force_version_1 || needs_version_1({h.creation_time, h.modification_time, h.duration});
  w.full_box(FourCC("mdhd"), v1 ? 1 : 0, 0, [&] {
    write_times(w, v1, h.creation_time, h.modification_time);
    w.u32(h.timescale);
    write_duration(w, v1, h.duration);
    w.u16(pack_language(h.language));
    w.u16(0);  // pre_defined (QuickTime: quality)
  });
}

namespace {

void write_hdlr(BoxWriter& w, FourCC component_type, FourCC subtype, std::string_view name, FileType file_type) {
  bool quicktime = file_type == FileType::kQuickTimeMovie;
  w.full_box(FourCC("hdlr"), 0, 0, [&] {
    // ISO: pre_defined = 0. QuickTime: component type ('mhlr' media, 'dhlr' data).
    w.fourcc(quicktime ? component_type : FourCC(uint32_t{0}));
    w.fourcc(subtype);
    w.zeros(12);  // reserved (QuickTime: manufacturer, flags, flags mask)
    if (quicktime) {
      w.u8(static_cast<uint8_t>(name.size()));  // counted string
      w.text(name);
    } else {
      w.text(name);
      w.u8(0);
    }
  });
}

}  // namespace

void write_media_hdlr(BoxWriter& w, MediaType type, FileType file_type) {
  write_media_hdlr(w, media_handler_for(type, file_type), file_type);
}

MediaHandler media_handler_for(MediaType type, FileType file_type, bool chapter_track) {
  switch (type) {
    case MediaType::kVideo: return {FourCC("vide"), "VideoHandler"};
    case MediaType::kAudio: return {FourCC("soun"), "SoundHandler"};
    case MediaType::kText:
      if (chapter_track) return {FourCC("text"), "ChapterListHandler"};
      if (file_type == FileType::k3Gpp) return {FourCC("text"), "TextHandler"};
      return {FourCC("sbtl"), "SubtitleHandler"};
    case MediaType::kMetadata: return {FourCC("meta"), "MetadataHandler"};
  }
  return {FourCC("vide"), "VideoHandler"};
}

void write_media_hdlr(BoxWriter& w, const MediaHandler& handler, FileType file_type) {
  write_hdlr(w, FourCC("mhlr"), handler.type, handler.name, file_type);
}

void write_media_information_header(BoxWriter& w, FourCC handler, FileType file_type) {
  if (handler == FourCC("vide")) return write_media_information_header(w, MediaType::kVideo);
  if (handler == FourCC("soun")) return write_media_information_header(w, MediaType::kAudio);
  write_null_media_header(w, file_type, handler);
}

void write_data_hdlr(BoxWriter& w) {
  write_hdlr(w, FourCC("dhlr"), FourCC("alis"), "DataHandler", FileType::kQuickTimeMovie);
}

void write_media_information_header(BoxWriter& w, MediaType type) {
  if (type == MediaType::kVideo) {
    // flags = 1 is required by ISO 14496-12 8.4.5.2 (and QuickTime's "no lean ahead").
    w.full_box(FourCC("vmhd"), 0, 1, [&] {
      w.u16(0);    // graphicsmode: copy
      w.zeros(6);  // opcolor
    });
  } else {
    w.full_box(FourCC("smhd"), 0, 0, [&] {
      w.u16(0);  // balance
      w.u16(0);  // reserved
    });
  }
}

void write_dinf(BoxWriter& w, FileType file_type) {
  w.box(FourCC("dinf"), [&] {
    w.full_box(FourCC("dref"), 0, 0, [&] {
      w.u32(1);
      // flags = 1: the media data is in this file.
      w.full_box(file_type == FileType::kQuickTimeMovie ? FourCC("alis") : FourCC("url "), 0, 1, [] {});
    });
  });
}

}  // namespace aw
