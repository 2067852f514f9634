// The box tree of written bytes for tests, read by the library's reader (boxes/box_reader.h): every size must
// add up, or the parse throws what is wrong and where. Boxes are found by path ("moov/trak[1]/mdia/mdhd").
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "boxes/box_reader.h"

namespace aw::test {

struct Box {
  std::string type;
  uint64_t offset = 0;  // of the header in the file
  uint64_t size = 0;    // whole box
  uint64_t header_size = 8;
  std::span<const uint8_t> payload;  // after the header
  std::vector<Box> children;

  // The nth child of type `t`, or nullptr.
  const Box* child(const std::string& t, size_t nth = 0) const;
  // "trak/mdia/mdhd"; "trak[1]/..." selects the second trak.
  const Box* find(const std::string& path) const;
  size_t count(const std::string& t) const;
  // Big-endian fields of the payload; a read past its end throws.
  uint16_t u16(size_t at) const;
  uint32_t u32(size_t at) const;
  uint64_t u64(size_t at) const;
};

// The types of the children of `box`, in order.
std::vector<std::string> child_types(const Box& box);

// The boxes filling `data`, the top level of a file from its offset `base` on, each container opened.
// Throws std::runtime_error with the reader's message when a size does not add up.
std::vector<Box> parse_boxes(std::span<const uint8_t> data, uint64_t base);
// The boxes in the payload of `parent` after its first `skip` bytes (a sample entry's children follow its
// fields), each container opened; throws as parse_boxes.
std::vector<Box> children_of(const Box& parent, size_t skip = 0);

struct File {
  std::vector<uint8_t> bytes;
  Box root;  // a pseudo box holding the top-level boxes

  static File read(const std::string& path);
  const Box* find(const std::string& path) const { return root.find(path); }
  std::vector<std::string> top_level() const;
};

// The top-level box headers of the file at `path`, read by seeking (the media is never read into memory):
// the complete boxes in file order, and whether the file ends inside a box or holds a size that cannot be.
struct TopLevel {
  std::vector<BoxHeader> boxes;
  bool truncated_tail = false;
  std::vector<std::string> types() const;  // of `boxes`
};
TopLevel scan_top_level(const std::string& path);
// The bytes of `box` (header included), read from the file at `path`.
std::vector<uint8_t> read_box(const std::string& path, const BoxHeader& box);

}  // namespace aw::test
