#include "boxes/metadata_boxes.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "boxes/movie_boxes.h"

namespace aw {
namespace {

// Where each key goes in each style. iTunes' encoder is ©too (what iTunes and ffmpeg use); QuickTime's
// classic text items and 3GPP assets hold text only; a null name: the style has no place for the key (the
// mp4 location is a classic ©xyz item, see write_location_item; 3GPP's loci is binary, not ISO 6709 text).
struct KeyNames {
  MetadataKey key;
  const char* itunes;     // ilst item (mp4, m4v, m4a)
  const char* quicktime;  // classic udta text item (mov)
  const char* three_gpp;  // 3GPP asset box (TS 26.244)
  const char* mdta;       // QuickTime metadata key (mov)
};

constexpr KeyNames kKeyNames[] = {
    {MetadataKey::kTitle, "\xa9nam", "\xa9nam", "titl", "com.apple.quicktime.title"},
    {MetadataKey::kArtist, "\xa9" "ART", "\xa9" "ART", "perf", "com.apple.quicktime.artist"},
    {MetadataKey::kAlbum, "\xa9" "alb", "\xa9" "alb", "albm", "com.apple.quicktime.album"},
    {MetadataKey::kComment, "\xa9" "cmt", "\xa9" "cmt", "dscp", "com.apple.quicktime.comment"},
    {MetadataKey::kCreationDate, "\xa9" "day", "\xa9" "day", "yrrc", "com.apple.quicktime.creationdate"},
    {MetadataKey::kEncoder, "\xa9too", "\xa9swr", nullptr, "com.apple.quicktime.software"},
    {MetadataKey::kCopyright, "cprt", "\xa9" "cpy", "cprt", "com.apple.quicktime.copyright"},
    {MetadataKey::kGenre, "\xa9gen", "\xa9gen", "gnre", "com.apple.quicktime.genre"},
    {MetadataKey::kDescription, "desc", "\xa9" "des", "dscp", "com.apple.quicktime.description"},
    {MetadataKey::kLocation, nullptr, "\xa9xyz", nullptr, "com.apple.quicktime.location.ISO6709"},
    {MetadataKey::kMake, "\xa9mak", "\xa9mak", nullptr, "com.apple.quicktime.make"},
    {MetadataKey::kModel, "\xa9mod", "\xa9mod", nullptr, "com.apple.quicktime.model"},
    {MetadataKey::kTrackNumber, "trkn", nullptr, nullptr, nullptr},
    {MetadataKey::kArtwork, "covr", nullptr, nullptr, "com.apple.quicktime.artwork"},
};

const KeyNames& names_of(MetadataKey key) {
  for (const KeyNames& names : kKeyNames) {
    if (names.key == key) return names;
  }
  return kKeyNames[0];  // unreachable while every key has a row above
}

std::optional<FourCC> atom(const char* name) {
  if (!name) return std::nullopt;
  return FourCC(uint32_t{static_cast<uint8_t>(name[0])} << 24 | uint32_t{static_cast<uint8_t>(name[1])} << 16 |
                uint32_t{static_cast<uint8_t>(name[2])} << 8 | static_cast<uint8_t>(name[3]));
}

std::optional<FourCC> itunes_atom(MetadataKey key) { return atom(names_of(key).itunes); }
std::optional<FourCC> quicktime_atom(MetadataKey key) { return atom(names_of(key).quicktime); }
std::optional<FourCC> three_gpp_atom(MetadataKey key) { return atom(names_of(key).three_gpp); }
std::optional<std::string> mdta_key(MetadataKey key) {
  const char* name = names_of(key).mdta;
  return name ? std::optional<std::string>(name) : std::nullopt;
}

// Well-known data types of the 'data' box (QuickTime "Well-known types").
constexpr uint32_t kUtf8 = 1;
constexpr uint32_t kJpeg = 13;
constexpr uint32_t kPng = 14;
constexpr uint32_t kImplicit = 0;

uint32_t image_type(const std::string& bytes) {
  return bytes.size() >= 4 && static_cast<uint8_t>(bytes[0]) == 0x89 && bytes.compare(1, 3, "PNG") == 0 ? kPng : kJpeg;
}

void write_data(BoxWriter& w, uint32_t type, std::string_view payload) {
  w.box(FourCC("data"), [&] {
    w.u32(type);
    w.u32(0);  // locale: default
    w.text(payload);
  });
}

// trkn: reserved, track number, total, reserved (iTunes' binary layout); nothing when not a number.
std::optional<std::string> track_number_payload(const std::string& text) {
  uint16_t number = 0, total = 0;
  auto slash = text.find('/');
  auto [end, ec] = std::from_chars(text.data(), text.data() + std::min(slash, text.size()), number);
  if (ec != std::errc() || number == 0) return std::nullopt;
  if (slash != std::string::npos) {
    auto [e2, ec2] = std::from_chars(text.data() + slash + 1, text.data() + text.size(), total);
    if (ec2 != std::errc()) total = 0;
  }
  std::string out(8, '\0');
  out[2] = static_cast<char>(number >> 8);
  out[3] = static_cast<char>(number);
  out[4] = static_cast<char>(total >> 8);
  out[5] = static_cast<char>(total);
  return out;
}

// A freeform ---- item (mean, name, data), the iTunes way of storing a named value.
void write_freeform_item(BoxWriter& w, std::string_view mean, std::string_view name, std::string_view value) {
  w.box(FourCC("----"), [&] {
    w.full_box(FourCC("mean"), 0, 0, [&] { w.text(mean); });
    w.full_box(FourCC("name"), 0, 0, [&] { w.text(name); });
    write_data(w, kUtf8, value);
  });
}

void write_ilst(BoxWriter& w, const Metadata& metadata, const std::optional<GaplessInfo>& gapless) {
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
        if (item.key == MetadataKey::kTrackNumber) {
          auto payload = track_number_payload(item.value);
          if (payload) w.box(*atom, [&] { write_data(w, kImplicit, *payload); });
          continue;
        }
        uint32_t type = item.key == MetadataKey::kArtwork ? image_type(item.value) : kUtf8;
        w.box(*atom, [&] { write_data(w, type, item.value); });
      }
      if (gapless) write_freeform_item(w, "com.apple.iTunes", "iTunSMPB", itunsmpb_text(*gapless));
    });
  });
}

void write_mdta_meta(BoxWriter& w, const Metadata& metadata) {
  std::vector<std::pair<std::string, const MetadataItem*>> entries;
  for (const auto& item : metadata) {
    if (auto key = mdta_key(item.key)) entries.emplace_back(*key, &item);
  }
  if (entries.empty()) return;
  // QuickTime's meta is a plain box (no version/flags), unlike ISO's full box.
  w.box(FourCC("meta"), [&] {
    w.full_box(FourCC("hdlr"), 0, 0, [&] {
      w.u32(0);
      w.fourcc(FourCC("mdta"));
      w.zeros(12);
      w.u8(0);
    });
    w.full_box(FourCC("keys"), 0, 0, [&] {
      w.u32(static_cast<uint32_t>(entries.size()));
      for (const auto& [key, item] : entries) {
        w.u32(static_cast<uint32_t>(key.size() + 8));
        w.fourcc(FourCC("mdta"));
        w.text(key);
      }
    });
    w.box(FourCC("ilst"), [&] {
      for (size_t i = 0; i < entries.size(); ++i) {
        const MetadataItem& item = *entries[i].second;
        // Items are named by their 1-based index into 'keys'.
        w.box(FourCC(static_cast<uint32_t>(i + 1)), [&] {
          write_data(w, item.key == MetadataKey::kArtwork ? image_type(item.value) : kUtf8, item.value);
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

// The location as the classic ©xyz text item, where ffmpeg and Apple's players look for it in mp4.
void write_location_item(BoxWriter& w, const Metadata& metadata) {
  for (const auto& item : metadata) {
    if (item.key != MetadataKey::kLocation || item.value.size() > 0xffff) continue;
    w.box(FourCC("\xa9xyz"), [&] {
      w.u16(static_cast<uint16_t>(item.value.size()));
      w.u16(pack_language(item.language));
      w.text(item.value);
    });
    return;
  }
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

std::string itunsmpb_text(const GaplessInfo& info) {
  char text[160];
  std::snprintf(text, sizeof text, " 00000000 %08X %08X %016llX 00000000 00000000 00000000 00000000 00000000 00000000 "
                "00000000 00000000", info.priming, info.padding, static_cast<unsigned long long>(info.valid_samples));
  return text;
}

void write_udta(BoxWriter& w, const Metadata& metadata, FileType file_type, const std::optional<GaplessInfo>& gapless,
                const std::function<void(BoxWriter&)>& more) {
  const bool itunes = file_type != FileType::kQuickTimeMovie && file_type != FileType::k3Gpp;
  if (metadata.empty() && !(gapless && itunes) && !more) return;
  w.box(FourCC("udta"), [&] {
    switch (file_type) {
      case FileType::kQuickTimeMovie:
        write_quicktime_text_items(w, metadata);
        write_mdta_meta(w, metadata);
        break;
      case FileType::k3Gpp: write_3gpp_assets(w, metadata); break;
      default:
        write_ilst(w, metadata, gapless);
        write_location_item(w, metadata);
        break;
    }
    if (more) more(w);
  });
}

}  // namespace aw
