#include "testing/box_tree.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "recovery/movie_reader.h"

namespace aw::test {
namespace {

template <typename T>
T value_or_throw(Result<T> result) {
  if (!result) throw std::runtime_error(result.status().message());
  return std::move(result).value();
}

Box to_box(const BoxNode& node) {
  Box box;
  box.type = node.type.to_string();
  box.offset = node.offset;
  box.size = node.size;
  box.header_size = node.header_size;
  box.payload = node.payload;
  box.children.reserve(node.children.size());
  for (const BoxNode& child : node.children) box.children.push_back(to_box(child));
  return box;
}

std::vector<Box> to_boxes(const std::vector<BoxNode>& nodes) {
  std::vector<Box> boxes;
  boxes.reserve(nodes.size());
  for (const BoxNode& node : nodes) boxes.push_back(to_box(node));
  return boxes;
}

uint64_t big_endian(std::span<const uint8_t> payload, size_t at, size_t width, const std::string& type) {
  if (at > payload.size() || width > payload.size() - at) throw std::runtime_error(type + ": read past end");
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value = value << 8 | payload[at + i];
  return value;
}

}  // namespace

const Box* Box::child(const std::string& t, size_t nth) const {
  for (const auto& c : children) {
    if (c.type == t && nth-- == 0) return &c;
  }
  return nullptr;
}

const Box* Box::find(const std::string& path) const {
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

size_t Box::count(const std::string& t) const {
  size_t n = 0;
  for (const auto& c : children) n += c.type == t;
  return n;
}

uint16_t Box::u16(size_t at) const { return static_cast<uint16_t>(big_endian(payload, at, 2, type)); }
uint32_t Box::u32(size_t at) const { return static_cast<uint32_t>(big_endian(payload, at, 4, type)); }
uint64_t Box::u64(size_t at) const { return big_endian(payload, at, 8, type); }

std::vector<Box> parse_boxes(std::span<const uint8_t> data, uint64_t base) {
  return to_boxes(value_or_throw(read_top_level_tree(data, base)));
}

std::vector<Box> children_of(const Box& parent, size_t skip) {
  if (parent.type.size() != 4) throw std::runtime_error("'" + parent.type + "' is not a box type");
  RawBox raw;
  raw.type = FourCC(Cursor({reinterpret_cast<const uint8_t*>(parent.type.data()), 4}).u32());
  raw.offset = parent.offset;
  raw.size = parent.size;
  raw.header_size = static_cast<uint32_t>(parent.header_size);
  raw.payload = parent.payload;
  return to_boxes(value_or_throw(read_child_tree(raw, skip)));
}

File File::read(const std::string& path) {
  File f;
  std::ifstream in(path, std::ios::binary);
  f.bytes.assign(std::istreambuf_iterator<char>(in), {});
  f.root.type = "file";
  f.root.size = f.bytes.size();
  f.root.header_size = 0;
  f.root.payload = f.bytes;
  f.root.children = parse_boxes(f.bytes, 0);
  return f;
}

std::vector<std::string> child_types(const Box& box) {
  std::vector<std::string> types;
  for (const auto& c : box.children) types.push_back(c.type);
  return types;
}

std::vector<std::string> File::top_level() const { return child_types(root); }

std::vector<std::string> TopLevel::types() const {
  std::vector<std::string> out;
  for (const auto& box : boxes) out.push_back(box.type.to_string());
  return out;
}

TopLevel scan_top_level(const std::string& path) {
  auto file = value_or_throw(recovery::InputFile::open(path));
  TopLevel top;
  for (uint64_t offset = 0;;) {
    auto box = recovery::read_top_level_box(file, offset);
    if (!box || (box->has_value() && (*box)->truncated)) {
      top.truncated_tail = true;
      break;
    }
    if (!box->has_value()) break;
    top.boxes.push_back(**box);
    offset = (*box)->end();
  }
  return top;
}

std::vector<uint8_t> read_box(const std::string& path, const BoxHeader& box) {
  auto file = value_or_throw(recovery::InputFile::open(path));
  return value_or_throw(file.read_vector(box.offset, box.size));
}

}  // namespace aw::test
