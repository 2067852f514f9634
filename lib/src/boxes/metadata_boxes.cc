#include "boxes/metadata_boxes.h"

#include <charconv>
#include <optional>

#include "boxes/movie_boxes.h"

namespace aw {
namespace {

// iTunes / QuickTime item atoms. Encoder uses ©too, the tag iTunes and ffmpeg use for "encoder".
std::optional<FourCC> itunes_atom(MetadataKey key) {
  switch (key) {
    case MetadataKey::kTitle: return FourCC("\xa9nam");
    case MetadataKey::kArtist: return FourCC("\xa9" "ART");
    case MetadataKey::kAlbum: return FourCC("\xa9" "alb");
    case MetadataKey::kComment: return FourCC("\xa9" "cmt");
    case MetadataKey::kCreationDate: return FourCC("\xa9" "day");
    case MetadataKey::kEncoder: return FourCC("\xa9too");
    case MetadataKey::kCopyright: return FourCC("cprt");
    case MetadataKey::kGenre: return FourCC("\xa9gen");
    case MetadataKey::kDescription: return FourCC("desc");
  }
  return std::nullopt;
}

// QuickTime user data text atoms (QuickTime File Format, "User data atoms").
std::optional<FourCC> quicktime_atom(MetadataKey key) {
  switch (key) {
    case MetadataKey::kTitle: return FourCC("\xa9nam");
    case MetadataKey::kArtist: return FourCC("\xa9" "ART");
    case MetadataKey::kAlbum: return FourCC("\xa9" "alb");
    case MetadataKey::kComment: return FourCC("\xa9" "cmt");
    case MetadataKey::kCreationDate: return FourCC("\xa9" "day");
    case MetadataKey::kEncoder: return FourCC("\xa9swr");
    case MetadataKey::kCopyright: return FourCC("\xa9" "cpy");
    case MetadataKey::kGenre: return FourCC("\xa9gen");
    case MetadataKey::kDescription: return FourCC("\xa9" "des");
  }
  return std::nullopt;
}

// 3GPP TS 26.244 asset information boxes.
std::optional<FourCC> three_gpp_atom(MetadataKey key) {
  switch (key) {
    case MetadataKey::kTitle: return FourCC("titl");
    case MetadataKey::kArtist: return FourCC("perf");
    case MetadataKey::kAlbum: return FourCC("albm");
    case MetadataKey::kComment: return FourCC("dscp");
    case MetadataKey::kDescription: return FourCC("dscp");
    case MetadataKey::kCopyright: return FourCC("cprt");
    case MetadataKey::kGenre: return FourCC("gnre");
    case MetadataKey::kCreationDate: return FourCC("yrrc");
    case MetadataKey::kEncoder: return std::nullopt;  // 3GPP has no encoder asset
  }
  return std::nullopt;
}

void write_ilst(BoxWriter& w, const Metadata& metadata) {
  w.full_box(FourCC("meta"), 0, 0, [&] {
    w.full_box(FourCC("hdlr"), 0, 0, [&] {
      w.u32(0);
      w.fourcc(FourCC("mdir"));
      w.fourcc(FourCC("appl"));
      w.zeros(8);
      w.u8(0);  // empty name
    });
    w.box(FourCC("ilst"), [&] {
      for (const auto& item : metadata) {
        auto atom = itunes_atom(item.key);
        if (!atom) continue;
        w.box(*atom, [&] {
          w.box(FourCC("data"), [&] {
            w.u32(1);  // well-known type 1: UTF-8 text
            w.u32(0);  // locale: default
            w.text(item.value);
          });
        });
      }
    });
  });
}

void write_quicktime_text_items(BoxWriter& w, const Metadata& metadata) {
  for (const auto& item : metadata) {
    auto atom = quicktime_atom(item.key);
    if (!atom || item.value.size() > 0xffff) continue;
    w.box(*atom, [&] {
      w.u16(static_cast<uint16_t>(item.value.size()));
      // Packed ISO language code; QuickTime reads values >= 0x400 as ISO 639-2/T.
      w.u16(pack_language(item.language));
      w.text(item.value);
    });
  }
}

std::optional<uint16_t> leading_year(const std::string& date) {
  uint16_t year = 0;
  auto [end, ec] = std::from_chars(date.data(), date.data() + std::min<size_t>(date.size(), 4), year);
  if (ec != std::errc() || end != date.data() + 4) return std::nullopt;
  return year;
}

void write_3gpp_assets(BoxWriter& w, const Metadata& metadata) {
  for (const auto& item : metadata) {
    auto atom = three_gpp_atom(item.key);
    if (!atom) continue;
    if (item.key == MetadataKey::kCreationDate) {
      auto year = leading_year(item.value);
      if (!year) continue;
      w.full_box(*atom, 0, 0, [&] { w.u16(*year); });
      continue;
    }
    w.full_box(*atom, 0, 0, [&] {
      w.u16(pack_language(item.language));  // pad bit 0 + packed language
      w.text(item.value);
      w.u8(0);
    });
  }
}

}  // namespace

void write_udta(BoxWriter& w, const Metadata& metadata, FileType file_type) {
  if (metadata.empty()) return;
  w.box(FourCC("udta"), [&] {
    switch (file_type) {
      case FileType::kQuickTimeMovie: write_quicktime_text_items(w, metadata); break;
      case FileType::k3Gpp: write_3gpp_assets(w, metadata); break;
      default: write_ilst(w, metadata); break;
    }
  });
}

}  // namespace aw
