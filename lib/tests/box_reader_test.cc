// The library's box reader on golden bytes: the three size forms, boxes that do not fit their parent, headers
// cut short, which boxes hold children (and after what prefix), and the nesting limit.
#include "boxes/box_reader.h"

#include <gtest/gtest.h>

#include <functional>

#include "boxes/box_writer.h"
#include "golden.h"

namespace aw {
namespace {

// The boxes point into `bytes`, which must outlive them.
std::vector<BoxNode> tree(const std::vector<uint8_t>& bytes, uint64_t base = 0) {
  auto boxes = read_top_level_tree(bytes, base);
  EXPECT_TRUE(boxes.is_ok()) << boxes.status().message();
  return boxes.is_ok() ? std::move(boxes).value() : std::vector<BoxNode>{};
}

std::string error_of(const std::vector<uint8_t>& bytes) {
  auto boxes = read_top_level_tree(bytes, 0);
  EXPECT_FALSE(boxes.is_ok());
  EXPECT_EQ(boxes.status().code(), ErrorCode::kInvalidArgument);
  return boxes.status().message();
}

TEST(BoxReader, reads_a_32_bit_size) {
  auto bytes = unhex("0000000c 66726565 01020304  00000008 6d646174");
  auto boxes = tree(bytes, 100);
  ASSERT_EQ(boxes.size(), 2u);
  EXPECT_EQ(boxes[0].type, FourCC("free"));
  EXPECT_EQ(boxes[0].offset, 100u);
  EXPECT_EQ(boxes[0].size, 12u);
  EXPECT_EQ(boxes[0].header_size, 8u);
  EXPECT_EQ(hex(boxes[0].payload), "01020304");
  EXPECT_EQ(hex(boxes[0].whole), "0000000c 66726565 01020304");
  EXPECT_EQ(boxes[1].type, FourCC("mdat"));
  EXPECT_EQ(boxes[1].offset, 112u);
  EXPECT_TRUE(boxes[1].payload.empty());
}

TEST(BoxReader, reads_a_64_bit_size) {
  const auto bytes = unhex("00000001 6d646174 00000000 00000013 aabbcc");
  auto boxes = tree(bytes);
  ASSERT_EQ(boxes.size(), 1u);
  EXPECT_EQ(boxes[0].type, FourCC("mdat"));
  EXPECT_EQ(boxes[0].size, 19u);
  EXPECT_EQ(boxes[0].header_size, 16u);
  EXPECT_EQ(boxes[0].payload_offset(), 16u);
  EXPECT_EQ(hex(boxes[0].payload), "aabbcc");
}

TEST(BoxReader, a_64_bit_size_places_the_children_after_the_longer_header) {
  const auto bytes = unhex("00000001 6d6f6f76 00000000 00000018 00000008 6d766864");
  auto boxes = tree(bytes);
  ASSERT_EQ(boxes.size(), 1u);
  ASSERT_EQ(boxes[0].children.size(), 1u);
  EXPECT_EQ(boxes[0].children[0].type, FourCC("mvhd"));
  EXPECT_EQ(boxes[0].children[0].offset, 16u);
}

TEST(BoxReader, size_0_runs_to_the_end_of_the_file) {
  const auto bytes = unhex("00000008 66747970  00000000 6d646174 01020304 05");
  auto boxes = tree(bytes);
  ASSERT_EQ(boxes.size(), 2u);
  EXPECT_TRUE(boxes[1].to_end);
  EXPECT_EQ(boxes[1].size, 13u);
  EXPECT_EQ(hex(boxes[1].payload), "01020304 05");
}

TEST(BoxReader, size_0_inside_a_box_is_an_error) {
  EXPECT_EQ(error_of(unhex("00000010 6d6f6f76 00000000 6d766864")),
            "'moov' at offset 0: 'mvhd' at offset 8 has size 0, which only the last box of a file may have");
}

TEST(BoxReader, a_box_overrunning_its_parent_is_an_error_naming_both) {
  // The moov claims 24 bytes; its trak claims 32.
  EXPECT_EQ(error_of(unhex("00000018 6d6f6f76 00000020 7472616b 00000000 00000000")),
            "'moov' at offset 0: 'trak' at offset 8 has size 32, but 16 bytes are left in its parent");
}

TEST(BoxReader, a_box_overrunning_the_file_is_an_error) {
  EXPECT_EQ(error_of(unhex("00000008 66747970 00000100 6d6f6f76 0000")),
            "'moov' at offset 8 has size 256, but 10 bytes are left in the file");
}

TEST(BoxReader, a_size_smaller_than_the_header_is_an_error) {
  EXPECT_EQ(error_of(unhex("00000004 66726565")), "'free' at offset 0 has size 4, smaller than its 8-byte header");
  EXPECT_EQ(error_of(unhex("00000001 66726565 00000000 0000000f")),
            "'free' at offset 0 has size 15, smaller than its 16-byte header");
  EXPECT_EQ(error_of(unhex("00000010 6d6f6f76 00000007 6d766864")),
            "'moov' at offset 0: 'mvhd' at offset 8 has size 7, smaller than its 8-byte header");
}

TEST(BoxReader, a_truncated_header_is_an_error) {
  EXPECT_EQ(error_of(unhex("00000008 66747970 000000")), "3 stray bytes at offset 8");
  EXPECT_EQ(error_of(unhex("00000001 6d646174 0000")), "'mdat' at offset 0 has a truncated 64-bit size");
  EXPECT_EQ(error_of(unhex("0000000e 6d6f6f76 00000008 7472")), "'moov' at offset 0: 6 stray bytes at offset 8");
}

TEST(BoxReader, a_header_read_from_a_file_reports_what_is_cut_short) {
  auto bytes = unhex("00001000 6d646174 00000001 6d6f6f76 0000");
  auto whole = read_box_header(bytes, 40, 4096);
  ASSERT_TRUE(whole.is_ok());
  EXPECT_FALSE(whole->truncated);
  auto torn = read_box_header(bytes, 40, 100);  // the file ends 100 bytes after the header
  ASSERT_TRUE(torn.is_ok());
  EXPECT_TRUE(torn->truncated);
  EXPECT_EQ(torn->size, 4096u);  // what it claims
  auto short_large = read_box_header(std::span(bytes).subspan(8), 48, 10);
  ASSERT_TRUE(short_large.is_ok());
  EXPECT_TRUE(short_large->truncated);
  EXPECT_EQ(short_large->header_size, 16u);
  auto stub = read_box_header(std::span(bytes).first(5), 0, 5);
  ASSERT_TRUE(stub.is_ok());
  EXPECT_TRUE(stub->truncated);
  EXPECT_EQ(stub->type, FourCC());
}

TEST(BoxReader, stsd_children_follow_the_entry_count) {
  BoxWriter w;
  w.box(FourCC("stbl"), [&] {
    w.full_box(FourCC("stsd"), 0, 0, [&] {
      w.u32(1);
      w.box(FourCC("avc1"), [&] {
        w.u32(0x00000010);
        w.fourcc(FourCC("avcC"));
      });
    });
  });
  const auto bytes = w.take();
  auto boxes = tree(bytes);
  ASSERT_EQ(boxes.size(), 1u);
  const BoxNode& stsd = boxes[0].children.at(0);
  ASSERT_EQ(stsd.children.size(), 1u);
  EXPECT_EQ(stsd.children[0].type, FourCC("avc1"));
  EXPECT_EQ(stsd.children[0].offset, 24u);
  // A sample entry is a leaf: its children start after fields whose length depends on the handler.
  EXPECT_TRUE(stsd.children[0].children.empty());
}

TEST(BoxReader, an_iso_meta_is_a_full_box_and_a_quicktime_meta_is_not) {
  BoxWriter iso;
  iso.full_box(FourCC("meta"), 0, 0, [&] {
    iso.full_box(FourCC("hdlr"), 0, 0, [&] { iso.u32(0); });
    iso.box(FourCC("ilst"), [&] { iso.box(FourCC("\xa9nam"), [&] { iso.box(FourCC("data"), [&] { iso.u32(1); }); }); });
  });
  const auto iso_bytes = iso.take();
  auto boxes = tree(iso_bytes);
  ASSERT_EQ(boxes[0].children.size(), 2u);
  EXPECT_EQ(boxes[0].children[0].type, FourCC("hdlr"));
  EXPECT_EQ(boxes[0].children[0].offset, 12u);
  // An ilst item holds data boxes whatever its type.
  const BoxNode& item = boxes[0].children[1].children.at(0);
  EXPECT_EQ(item.type, FourCC("\xa9nam"));
  ASSERT_EQ(item.children.size(), 1u);
  EXPECT_EQ(item.children[0].type, FourCC("data"));

  BoxWriter quicktime;
  quicktime.box(FourCC("meta"), [&] {
    quicktime.full_box(FourCC("hdlr"), 0, 0, [&] { quicktime.u32(0); });
    quicktime.full_box(FourCC("keys"), 0, 0, [&] { quicktime.u32(0); });
  });
  const auto quicktime_bytes = quicktime.take();
  boxes = tree(quicktime_bytes);
  ASSERT_EQ(boxes[0].children.size(), 2u);
  EXPECT_EQ(boxes[0].children[0].offset, 8u);
  EXPECT_EQ(boxes[0].children[1].type, FourCC("keys"));
}

TEST(BoxReader, an_item_outside_an_ilst_is_a_leaf) {
  // QuickTime's user data text item: a length, a language, the text; not boxes.
  const auto bytes = unhex("00000016 75647461 0000000e a96e616d 00026575 6869");
  auto boxes = tree(bytes);
  ASSERT_EQ(boxes[0].children.size(), 1u);
  EXPECT_TRUE(boxes[0].children[0].children.empty());
}

TEST(BoxReader, a_prefix_longer_than_the_payload_is_an_error) {
  EXPECT_EQ(error_of(unhex("0000000c 73747364 00000000")),
            "'stsd' at offset 0 is 4 bytes, too short for the 8 in front of its children");
}

// `levels` moov boxes, each inside the one before.
std::vector<uint8_t> nested(int levels) {
  BoxWriter w;
  std::function<void(int)> open = [&](int left) {
    if (left > 0) w.box(FourCC("moov"), [&] { open(left - 1); });
  };
  open(levels);
  return w.take();
}

TEST(BoxReader, nesting_is_limited) {
  // Levels 0 to kMaxBoxDepth are read (the deepest box here is an empty container).
  const auto bytes = nested(kMaxBoxDepth + 1);
  auto deepest = tree(bytes);
  const BoxNode* node = &deepest.at(0);
  for (int level = 0; level < kMaxBoxDepth; ++level) node = &node->children.at(0);
  EXPECT_TRUE(node->children.empty());
  // One more is refused rather than followed.
  EXPECT_EQ(error_of(nested(kMaxBoxDepth + 2)),
            "'moov' at offset " + std::to_string(8 * kMaxBoxDepth) + " holds boxes nested deeper than 16 levels");
}

TEST(BoxReader, children_of_a_box_are_read_after_a_prefix) {
  const auto bytes = unhex("00000018 6d703461 00000000 00000000 00000008 65736473");
  auto boxes = tree(bytes);
  ASSERT_EQ(boxes.size(), 1u);
  auto children = read_child_tree(boxes[0], 8);
  ASSERT_TRUE(children.is_ok()) << children.status().message();
  ASSERT_EQ(children->size(), 1u);
  EXPECT_EQ((*children)[0].type, FourCC("esds"));
  EXPECT_EQ((*children)[0].offset, 16u);
}

}  // namespace
}  // namespace aw
