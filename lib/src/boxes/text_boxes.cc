#include "boxes/text_boxes.h"

#include <algorithm>
#include <limits>

namespace aw {
namespace {

// Structure only (lead bytes and continuation bytes): enough that readers never see a broken sequence.
bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t extra = 0;
    if (c >= 0xc2 && c < 0xe0) {
      extra = 1;
    } else if (c >= 0xe0 && c < 0xf0) {
      extra = 2;
    } else if (c >= 0xf0 && c < 0xf5) {
      extra = 3;
    } else if (c >= 0x80) {
      return false;
    }
    if (extra > s.size() - i - 1) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

}  // namespace

Result<std::vector<uint8_t>> make_text_sample(std::string_view utf8) {
  if (utf8.size() > std::numeric_limits<uint16_t>::max()) {
    return Status(ErrorCode::kInvalidArgument,
                  "text of " + std::to_string(utf8.size()) + " bytes is over the 65535 a tx3g sample holds");
  }
  if (!valid_utf8(utf8)) return Status(ErrorCode::kInvalidArgument, "text is not valid UTF-8");
  std::vector<uint8_t> sample;
  sample.reserve(2 + utf8.size());
  sample.push_back(static_cast<uint8_t>(utf8.size() >> 8));
  sample.push_back(static_cast<uint8_t>(utf8.size() & 0xff));
  sample.insert(sample.end(), utf8.begin(), utf8.end());
  return sample;
}

void write_tx3g_entry(BoxWriter& w) {
  w.box(FourCC("tx3g"), [&] {
    w.zeros(6);  // SampleEntry reserved
    w.u16(1);    // data_reference_index
    w.u32(0);    // displayFlags: no scrolling, no karaoke
    w.u8(1);     // horizontal-justification: centre
    w.u8(0xff);  // vertical-justification: -1, bottom
    w.u32(0);    // background-color-rgba: transparent
    w.zeros(8);  // default-text-box top, left, bottom, right: the track's size
    // default-style (StyleRecord)
    w.u16(0);           // startChar
    w.u16(0);           // endChar
    w.u16(1);           // font-ID, from the font table below
    w.u8(0);            // face-style-flags: plain
    w.u8(18);           // font-size
    w.u32(0xffffffff);  // text-color-rgba: opaque white
    w.box(FourCC("ftab"), [&] {
      w.u16(1);  // entry-count
      w.u16(1);  // font-ID
      static constexpr std::string_view kFont = "Sans-Serif";
      w.u8(static_cast<uint8_t>(kFont.size()));
      w.text(kFont);
    });
  });
}

void write_quicktime_text_entry(BoxWriter& w) {
  w.box(FourCC("text"), [&] {
    w.zeros(6);  // reserved
    w.u16(1);    // data reference index
    w.u32(0);    // display flags
    w.u32(0);    // text justification: left
    w.zeros(6);  // background colour (RGB, 16 bits each): black
    w.zeros(8);  // default text box: the track's size
    w.zeros(8);  // reserved
    w.u16(0);    // font number
    w.u16(0);    // font face: plain
    w.u8(0);     // reserved
    w.u16(0);    // reserved
    w.zeros(6);  // foreground colour: black
    w.u8(0);     // text name: an empty Pascal string
  });
}

void write_null_media_header(BoxWriter& w, FileType file_type, FourCC handler) {
  if (file_type != FileType::kQuickTimeMovie) {
    w.full_box(FourCC("nmhd"), 0, 0, [] {});
    return;
  }
  w.box(FourCC("gmhd"), [&] {
    w.full_box(FourCC("gmin"), 0, 0, [&] {
      w.u16(0x40);    // graphics mode: dither copy
      w.u16(0x8000);  // opcolor
      w.u16(0x8000);
      w.u16(0x8000);
      w.u16(0);  // balance
      w.u16(0);  // reserved
    });
    if (handler != FourCC("text")) return;
    // The text media information atom (QTFF "Text media information atom"): a 3x3 matrix, identity. QuickTime
    // Player lists a 'text' track's chapters only with it (ffmpeg's movenc notes the same).
    w.box(FourCC("text"), [&] {
      w.u32(0x00010000);
      w.u32(0);
      w.u32(0);
      w.u32(0);
      w.u32(0x00010000);
      w.u32(0);
      w.u32(0);
      w.u32(0);
      w.u32(0x40000000);
    });
  });
}

void write_chpl(BoxWriter& w, std::span<const Chapter> chapters) {
  if (chapters.empty()) return;
  size_t count = std::min<size_t>(chapters.size(), 255);
  w.full_box(FourCC("chpl"), 1, 0, [&] {
    w.u32(0);  // reserved
    w.u8(static_cast<uint8_t>(count));
    for (size_t i = 0; i < count; ++i) {
      const Chapter& c = chapters[i];
      w.u64(static_cast<uint64_t>(std::max<int64_t>(0, c.start.rescaled(10'000'000).value_or(0))));
      // Cut at 255 bytes, never inside a UTF-8 sequence.
      size_t length = std::min<size_t>(c.title.size(), 255);
      while (length > 0 && length < c.title.size() && (static_cast<unsigned char>(c.title[length]) & 0xc0) == 0x80) {
        --length;
      }
      w.u8(static_cast<uint8_t>(length));
      w.text(std::string_view(c.title).substr(0, length));
    }
  });
}

}  // namespace aw
