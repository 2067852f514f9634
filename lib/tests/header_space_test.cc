// HeaderSpace::replace_moov: the moov in front of a recording's fragments replaced after a format change.
// Every write it makes is recorded and replayed one at a time, as if the process died after each: at every
// instant the bytes must parse as boxes, hold a moov, and every moov must be the old or the new one.
#include "writer/header_space.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "golden.h"
#include "io/byte_sink.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

// Records the writes (and syncs) and applies them to its bytes.
class RecordingSink final : public ByteSink {
 public:
  explicit RecordingSink(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  Status append_vectored(std::span<const std::span<const uint8_t>> buffers) override {
    for (auto b : buffers) bytes_.insert(bytes_.end(), b.begin(), b.end());
    return Status::ok();
  }
  Status write_at(uint64_t offset, std::span<const uint8_t> data) override {
    writes.push_back({offset, {data.begin(), data.end()}});
    std::copy(data.begin(), data.end(), bytes_.begin() + static_cast<std::ptrdiff_t>(offset));
    return Status::ok();
  }
  Status flush_to_disk() override {
    ++syncs;
    return Status::ok();
  }
  uint64_t position() const override { return bytes_.size(); }

  struct Write {
    uint64_t offset;
    std::vector<uint8_t> data;
  };
  std::vector<Write> writes;
  int syncs = 0;
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

// A moov box of `size` bytes holding one box whose payload is `fill` (which moov a reader would take).
std::vector<uint8_t> fake_moov(uint32_t size, uint8_t fill) {
  // Filled first, then the two headers written over its start: building the headers and then resizing
  // trips GCC 12's -Warray-bounds at -O3 (a false positive in vector's move of the 16 bytes).
  std::vector<uint8_t> b(std::max<uint32_t>(size, 16), fill);
  const uint32_t inner = size - 8;
  const uint8_t headers[16] = {uint8_t(size >> 24),  uint8_t(size >> 16),  uint8_t(size >> 8),  uint8_t(size),
                               'm',                  'o',                  'o',                 'v',
                               uint8_t(inner >> 24), uint8_t(inner >> 16), uint8_t(inner >> 8), uint8_t(inner),
                               'f',                  'i',                  'l',                 'l'};
  std::copy(std::begin(headers), std::end(headers), b.begin());
  return b;
}

// ftyp (16 bytes), a moov of `moov` bytes and a 'free' reserve of `reserve` bytes, then an mdat.
std::vector<uint8_t> header(uint32_t moov, uint32_t reserve) {
  std::vector<uint8_t> b = unhex("00000010667479706973366f00000000");
  auto m = fake_moov(moov, 0x01);
  b.insert(b.end(), m.begin(), m.end());
  std::vector<uint8_t> free = {uint8_t(reserve >> 24), uint8_t(reserve >> 16), uint8_t(reserve >> 8),
                               uint8_t(reserve), 'f', 'r', 'e', 'e'};
  free.resize(reserve, 0);
  b.insert(b.end(), free.begin(), free.end());
  auto tail = unhex("0000000c6d64617400000001");
  b.insert(b.end(), tail.begin(), tail.end());
  return b;
}

// The payload bytes (fills) of every top-level moov.
std::vector<uint8_t> moov_fills(const std::vector<uint8_t>& bytes) {
  std::vector<uint8_t> fills;
  for (const auto& box : test::parse_boxes(bytes, 0)) {
    if (box.type == "moov") fills.push_back(box.children.at(0).payload.front());
  }
  return fills;
}

// Replays the writes on `before`, checking the file after each.
void expect_readable_after_every_write(const std::vector<uint8_t>& before, const RecordingSink& sink,
                                       uint8_t old_fill, uint8_t new_fill) {
  std::vector<uint8_t> bytes = before;
  for (size_t i = 0; i <= sink.writes.size(); ++i) {
    std::vector<uint8_t> fills;
    ASSERT_NO_THROW(fills = moov_fills(bytes)) << "after write " << i;
    ASSERT_FALSE(fills.empty()) << "no moov after write " << i;
    for (uint8_t f : fills) EXPECT_TRUE(f == old_fill || f == new_fill) << "after write " << i;
    if (i == sink.writes.size()) break;
    const auto& w = sink.writes[i];
    std::copy(w.data.begin(), w.data.end(), bytes.begin() + static_cast<std::ptrdiff_t>(w.offset));
  }
  EXPECT_EQ(bytes, sink.bytes());
  EXPECT_EQ(moov_fills(bytes), std::vector<uint8_t>{new_fill});
}

TEST(HeaderSpace, new_moov_goes_behind_then_in_front_and_a_killed_write_never_loses_the_moov) {
  std::vector<uint8_t> before = header(100, 400);
  RecordingSink sink(before);
  HeaderSpace space(16, 500, 100);

  // Behind the moov, flush with the end of the space: [free 100][free 280][moov 120].
  ASSERT_TRUE(space.replace_moov(sink, fake_moov(120, 0x02), true).is_ok());
  expect_readable_after_every_write(before, sink, 0x01, 0x02);
  EXPECT_EQ(space.moov_offset(), 16u + 500 - 120);
  EXPECT_EQ(space.moov_size(), 120u);
  auto top = test::parse_boxes(sink.bytes(), 0);
  ASSERT_EQ(top.size(), 5u);
  EXPECT_EQ(top[1].type, "free");  // the old moov
  EXPECT_EQ(top[1].size, 100u);
  EXPECT_EQ(top[2].type, "free");
  EXPECT_EQ(top[2].size, 280u);
  EXPECT_EQ(top[3].type, "moov");
  EXPECT_EQ(top[3].offset, 396u);
  EXPECT_EQ(sink.syncs, 5);

  // In front now: [moov 140][free 240][free 120 (the last moov)].
  std::vector<uint8_t> middle = sink.bytes();
  sink.writes.clear();
  ASSERT_TRUE(space.replace_moov(sink, fake_moov(140, 0x03), false).is_ok());
  expect_readable_after_every_write(middle, sink, 0x02, 0x03);
  EXPECT_EQ(space.moov_offset(), 16u);
  top = test::parse_boxes(sink.bytes(), 0);
  EXPECT_EQ(top[1].type, "moov");
  EXPECT_EQ(top[1].size, 140u);
  EXPECT_EQ(top[2].type, "free");
  EXPECT_EQ(top[2].size, 240u);
  EXPECT_EQ(top[3].type, "free");
  EXPECT_EQ(top[3].size, 120u);
  EXPECT_EQ(sink.syncs, 5);  // none without sync
}

TEST(HeaderSpace, a_moov_that_fits_nowhere_is_refused_and_the_file_is_untouched) {
  std::vector<uint8_t> before = header(100, 120);
  RecordingSink sink(before);
  HeaderSpace space(16, 220, 100);
  Status s = space.replace_moov(sink, fake_moov(125, 0x02), true);
  EXPECT_EQ(s.code(), ErrorCode::kUnsupported);
  EXPECT_EQ(s.message(),
            "the header in front of the fragments has no room for a moov of 125 bytes beside the current one of 100 "
            "(220 bytes reserved)");
  EXPECT_TRUE(sink.writes.empty());
  EXPECT_EQ(space.moov_offset(), 16u);
  // 1 to 7 bytes left over cannot be a box: refused too; exactly the free size fits.
  EXPECT_FALSE(space.replace_moov(sink, fake_moov(115, 0x02), true).is_ok());
  EXPECT_TRUE(sink.writes.empty());
  ASSERT_TRUE(space.replace_moov(sink, fake_moov(120, 0x02), true).is_ok());
  expect_readable_after_every_write(before, sink, 0x01, 0x02);
  EXPECT_EQ(space.moov_offset(), 116u);
}

}  // namespace
}  // namespace aw
