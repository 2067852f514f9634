#include "boxes/box_writer.h"

#include <gtest/gtest.h>

#include "golden.h"

namespace aw {
namespace {

TEST(BoxWriter, box_size_is_patched_after_content) {
  BoxWriter w;
  w.box(FourCC("free"), [&] { w.u32(0x01020304); });
  EXPECT_EQ(hex(w.data()), "0000000c 66726565 01020304");
}

TEST(BoxWriter, full_box_writes_version_and_flags) {
  BoxWriter w;
  w.full_box(FourCC("mfhd"), 1, 0x000203, [&] { w.u16(7); });
  EXPECT_EQ(hex(w.data()), "0000000e 6d666864 01000203 0007");
}

TEST(BoxWriter, nested_boxes_each_get_their_own_size) {
  BoxWriter w;
  w.box(FourCC("moov"), [&] { w.box(FourCC("udta"), [] {}); w.u8(0xff); });
  EXPECT_EQ(hex(w.data()), "00000011 6d6f6f76 00000008 75647461 ff");
}

TEST(BoxWriter, fixed_point_values_round_to_nearest) {
  BoxWriter w;
  w.fixed_16_16(1.0);
  w.fixed_16_16(-1.0);
  w.fixed_2_30(1.0);
  EXPECT_EQ(hex(w.data()), "00010000 ffff0000 40000000");
}

TEST(BoxWriter, fourcc_keeps_file_byte_order) {
  constexpr FourCC f("\xa9nam");
  static_assert(f.value() == 0xa96e616d);
  BoxWriter w;
  w.fourcc(f);
  EXPECT_EQ(hex(w.data()), "a96e616d");
}

}  // namespace
}  // namespace aw
