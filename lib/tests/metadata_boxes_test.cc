// Golden bytes for metadata in each file type's style.
#include "boxes/metadata_boxes.h"

#include <gtest/gtest.h>

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

TEST(Udta, mov_uses_quicktime_text_items_with_language) {
  BoxWriter w;
  write_udta(w, {{MetadataKey::kArtist, "Me", "eng"}}, FileType::kQuickTimeMovie);
  EXPECT_EQ(hex(w.data()), "00000016 75647461 0000000e a9415254 000215c7 4d65");
}

TEST(Udta, three_gpp_uses_asset_boxes_and_a_year_box) {
  BoxWriter w;
  write_udta(w, {{MetadataKey::kTitle, "T"}, {MetadataKey::kCreationDate, "2026-11-25"}, {MetadataKey::kEncoder, "x"}},
             FileType::k3Gpp);
  EXPECT_EQ(hex(w.data()), "00000026 75647461 00000010 7469746c 00000000 55c45400 0000000e 79727263 00000000 07ea");
}

}  // namespace
}  // namespace aw
