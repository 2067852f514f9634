// Golden bytes for metadata in each file type's style.
#include "boxes/metadata_boxes.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "golden.h"

namespace aw {
namespace {

TEST(Udta, nothing_without_metadata) {
  BoxWriter w;
  write_udta(w, {}, FileType::kMpeg4);
  EXPECT_EQ(w.size(), 0u);
}

TEST(Udta, mp4_uses_an_itunes_ilst_with_utf8_data) {
  BoxWriter w;
  write_udta(w, {{MetadataKey::kTitle, "Hi"}, {MetadataKey::kEncoder, "aw"}}, FileType::kMpeg4);
  EXPECT_EQ(hex(w.data()), hex(unhex(
            "00000071 75647461 "                                         // udta
            "00000069 6d657461 00000000 "                                // meta (full box)
            "00000021 68646c72 00000000 00000000 6d646972 6170706c 00000000 00000000 00 "  // hdlr mdir
            "0000003c 696c7374 "                                         // ilst
            "0000001a a96e616d 00000012 64617461 00000001 00000000 4869 "  // ©nam / data "Hi"
            "0000001a a9746f6f 00000012 64617461 00000001 00000000 6177")));  // ©too / data "aw"
}

TEST(Udta, mov_has_classic_text_items_and_quicktime_mdta_metadata) {
  BoxWriter w;
  write_udta(w, {{MetadataKey::kArtist, "Me", "eng"}}, FileType::kQuickTimeMovie);
  EXPECT_EQ(hex(w.data()), hex(unhex(
      "00000093 75647461 "                                    // udta
      "0000000e a9415254 000215c7 4d65 "                      // ©ART: length 2, language eng, "Me"
      "0000007d 6d657461 "                                    // meta (QuickTime: no version/flags)
      "00000021 68646c72 00000000 00000000 6d647461 00000000 00000000 00000000 00 "  // hdlr mdta
      "00000032 6b657973 00000000 00000001 "                  // keys: one
      "00000022 6d647461 636f6d2e 6170706c 652e7175 69636b74 696d652e 61727469 7374 "  // mdta key
      "00000022 696c7374 "                                    // ilst
      "0000001a 00000001 00000012 64617461 00000001 00000000 4d65")));  // item 1 / data "Me"
}

bool contains(const std::vector<uint8_t>& haystack, const std::vector<uint8_t>& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

TEST(Udta, mp4_track_number_artwork_and_location) {
  BoxWriter w;
  std::string png = "\x89PNG";
  write_udta(w, {{MetadataKey::kTrackNumber, "3/12"}, {MetadataKey::kArtwork, png}, {MetadataKey::kLocation, "+1+2/"}},
             FileType::kMpeg4);
  // trkn: implicit type, then reserved, 3, 12, reserved.
  EXPECT_TRUE(contains(w.data(), unhex("00000020 74726b6e 00000018 64617461 00000000 00000000 00000003 000c0000")));
  // covr: a PNG (type 14).
  EXPECT_TRUE(contains(w.data(), unhex("636f7672 00000014 64617461 0000000e 00000000 89504e47")));
  // The location as a classic ©xyz item, last in udta.
  auto xyz = unhex("00000011 a978797a 000555c4 2b312b32 2f");
  ASSERT_GE(w.size(), xyz.size());
  EXPECT_TRUE(std::equal(xyz.begin(), xyz.end(), w.data().end() - static_cast<std::ptrdiff_t>(xyz.size())));
}

TEST(Udta, bad_track_numbers_are_left_out) {
  BoxWriter w;
  write_udta(w, {{MetadataKey::kTrackNumber, "x"}}, FileType::kMpeg4);
  EXPECT_EQ(hex(w.data()).find("74726b6e"), std::string::npos);
}

TEST(Udta, three_gpp_uses_asset_boxes_and_a_year_box) {
  BoxWriter w;
  write_udta(w, {{MetadataKey::kTitle, "T"}, {MetadataKey::kCreationDate, "2026-11-25"}, {MetadataKey::kEncoder, "x"}},
             FileType::k3Gpp);
  EXPECT_EQ(hex(w.data()), "00000026 75647461 00000010 7469746c 00000000 55c45400 0000000e 79727263 00000000 07ea");
}

// iTunes' gapless comment as a freeform ---- item after the other items, even with no other metadata.
TEST(Udta, m4a_gapless_info_is_an_itunsmpb_freeform_item) {
  BoxWriter w;
  write_udta(w, {}, FileType::kAppleM4A, GaplessInfo{2112, 448, 8128});
  const std::string text =
      " 00000000 00000840 000001C0 0000000000001FC0 00000000 00000000 00000000 00000000 00000000 00000000 "
      "00000000 00000000";
  EXPECT_EQ(itunsmpb_text({2112, 448, 8128}), text);
  std::vector<uint8_t> expected = unhex(
      "000000f9 75647461 "                                                              // udta
      "000000f1 6d657461 00000000 "                                                     // meta
      "00000021 68646c72 00000000 00000000 6d646972 6170706c 00000000 00000000 00 "     // hdlr mdir
      "000000c4 696c7374 "                                                              // ilst
      "000000bc 2d2d2d2d "                                                              // ----
      "0000001c 6d65616e 00000000 636f6d2e 6170706c 652e6954 756e6573 "                 // mean com.apple.iTunes
      "00000014 6e616d65 00000000 6954756e 534d5042 "                                   // name iTunSMPB
      "00000084 64617461 00000001 00000000");                                          // data, UTF-8
  expected.insert(expected.end(), text.begin(), text.end());
  EXPECT_EQ(hex(w.data()), hex(expected));
}

TEST(Udta, gapless_info_is_left_out_of_mov_and_3gp) {
  for (FileType type : {FileType::kQuickTimeMovie, FileType::k3Gpp}) {
    BoxWriter w;
    write_udta(w, {}, type, GaplessInfo{1024, 0, 100});
    EXPECT_EQ(w.size(), 0u);
  }
}

}  // namespace
}  // namespace aw
