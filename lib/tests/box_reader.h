// A small, strict box-tree reader for tests: parses a file's bytes into boxes, checks that every size
// adds up, and finds boxes by path ("moov/trak/mdia/mdhd").
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace aw::test {

struct Box {
  std::string type;
  uint64_t offset = 0;        // of the header in the file
  uint64_t size = 0;          // whole box
  uint64_t header_size = 8;
  std::span<const uint8_t> payload;  // after the header
  std::vector<Box> children;

  const Box* child(const std::string& t, size_t nth = 0) const {
    for (const auto& c : children) {
      if (c.type == t && nth-- == 0) return &c;
    }
    return nullptr;
  }
  // "trak/mdia/mdhd"; "trak[1]/..." selects the second trak.
  const Box* find(const std::string& path) const {
    size_t slash = path.find('/');
    std::string head = path.substr(0, slash);
    size_t nth = 0;
    if (auto b = head.find('['); b != std::string::npos) {
      nth = std::stoul(head.substr(b + 1));
      head = head.substr(0, b);
    }
    const Box* c = child(head, nth);
    if (!c || slash == std::string::npos) return c;
    return c->find(path.substr(slash + 1));
  }
  size_t count(const std::string& t) const {
    size_t n = 0;
    for (const auto& c : children) n += c.type == t;
    return n;
  }
  uint32_t u32(size_t at) const {
    if (at + 4 > payload.size()) throw std::runtime_error(type + ": read past end");
    return uint32_t{payload[at]} << 24 | uint32_t{payload[at + 1]} << 16 | uint32_t{payload[at + 2]} << 8 | payload[at + 3];
  }
  uint16_t u16(size_t at) const {
    if (at + 2 > payload.size()) throw std::runtime_error(type + ": read past end");
    return static_cast<uint16_t>(payload[at] << 8 | payload[at + 1]);
  }
  uint64_t u64(size_t at) const { return uint64_t{u32(at)} << 32 | u32(at + 4); }
};

inline bool is_container(const std::string& t) {
  static const char* containers[] = {"moov", "trak", "mdia", "minf", "stbl", "edts", "dinf", "udta", "ilst",
                                     "mvex", "moof", "traf", "mfra", "wave", "tref", "\xa9nam", "\xa9" "ART", "\xa9" "alb",
                                     "\xa9" "cmt", "\xa9" "day", "\xa9too", "\xa9gen", "cprt", "desc"};
  for (const char* c : containers) {
    if (t == c) return true;
  }
  return false;
}

// Parses boxes in [data]; throws std::runtime_error on any size that does not add up.
inline std::vector<Box> parse_boxes(std::span<const uint8_t> data, uint64_t base, bool inside_ilst = false);

inline Box parse_children_of(Box box, uint64_t skip, bool inside_ilst) {
  if (skip > box.payload.size()) throw std::runtime_error(box.type + ": too short for its children");
  box.children = parse_boxes(box.payload.subspan(skip), box.offset + box.header_size + skip, inside_ilst);
  return box;
}

inline std::vector<Box> parse_boxes(std::span<const uint8_t> data, uint64_t base, bool inside_ilst) {
  std::vector<Box> boxes;
  size_t pos = 0;
  while (pos < data.size()) {
    if (data.size() - pos < 8) throw std::runtime_error("trailing bytes at " + std::to_string(base + pos));
    Box b;
    b.offset = base + pos;
    uint64_t size = uint32_t{data[pos]} << 24 | uint32_t{data[pos + 1]} << 16 | uint32_t{data[pos + 2]} << 8 | data[pos + 3];
    b.type = std::string(reinterpret_cast<const char*>(&data[pos + 4]), 4);
    if (size == 1) {
      if (data.size() - pos < 16) throw std::runtime_error("truncated largesize");
      size = 0;
      for (int i = 0; i < 8; ++i) size = size << 8 | data[pos + 8 + i];
      b.header_size = 16;
    } else if (size == 0) {
      size = data.size() - pos;
    }
    if (size < b.header_size || size > data.size() - pos) {
      throw std::runtime_error("box " + b.type + " at " + std::to_string(b.offset) + " has bad size " + std::to_string(size));
    }
    b.size = size;
    b.payload = data.subspan(pos + b.header_size, size - b.header_size);
    if (b.type == "meta") {
      b = parse_children_of(b, 4, false);
    } else if (b.type == "stsd") {
      b = parse_children_of(b, 8, false);
    } else if (b.type == "ilst") {
      b = parse_children_of(b, 0, true);
    } else if (inside_ilst || (is_container(b.type) && b.type != "desc" && b.type != "cprt")) {
      b = parse_children_of(b, 0, false);
    }
    boxes.push_back(std::move(b));
    pos += size;
  }
  return boxes;
}

struct File {
  std::vector<uint8_t> bytes;
  Box root;  // a pseudo box holding the top-level boxes

  static File read(const std::string& path) {
    File f;
    std::ifstream in(path, std::ios::binary);
    f.bytes.assign(std::istreambuf_iterator<char>(in), {});
    f.root.type = "file";
    f.root.payload = f.bytes;
    f.root.children = parse_boxes(f.bytes, 0);
    return f;
  }
  const Box* find(const std::string& path) const { return root.find(path); }
  std::vector<std::string> top_level() const {
    std::vector<std::string> types;
    for (const auto& b : root.children) types.push_back(b.type);
    return types;
  }
};

}  // namespace aw::test
