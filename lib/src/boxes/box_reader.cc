#include "boxes/box_reader.h"

#include <algorithm>

namespace aw {
namespace {

Status malformed(const std::string& message) { return Status(ErrorCode::kInvalidArgument, message); }

// `parent` names the box holding `data` in messages; empty at the top level of a file.
Result<std::vector<RawBox>> read_boxes(std::span<const uint8_t> data, uint64_t base, const std::string& parent) {
  const std::string where = parent.empty() ? "" : parent + ": ";
  std::vector<RawBox> boxes;
  size_t pos = 0;
  while (pos < data.size()) {
    const size_t room = data.size() - pos;
    auto read = read_box_header(data.subspan(pos), base + pos, room);
    if (!read) return parent.empty() ? read.status() : read.status().with_context(parent);
    const BoxHeader& header = *read;
    if (room < 8)
      return malformed(where + std::to_string(room) + " stray bytes at offset " + std::to_string(base + pos));
    const std::string name = box_name(header.type, header.offset);
    if (room < header.header_size) return malformed(where + name + " has a truncated 64-bit size");
    if (header.truncated) {
      return malformed(where + name + " has size " + std::to_string(header.size) + ", but " + std::to_string(room) +
                       " bytes are left in " + (parent.empty() ? "the file" : "its parent"));
    }
    if (!parent.empty() && header.to_end) {
      return malformed(where + name + " has size 0, which only the last box of a file may have");
    }
    RawBox box;
    static_cast<BoxHeader&>(box) = header;
    box.whole = data.subspan(pos, static_cast<size_t>(header.size));
    box.payload = box.whole.subspan(header.header_size);
    boxes.push_back(box);
    pos += static_cast<size_t>(header.size);
  }
  return boxes;
}

Result<std::vector<BoxNode>> open_containers(std::vector<RawBox> boxes, FourCC parent, int depth) {
  std::vector<BoxNode> nodes;
  nodes.reserve(boxes.size());
  for (RawBox& box : boxes) {
    BoxNode node;
    static_cast<RawBox&>(node) = box;
    if (auto skip = children_offset(box, parent)) {
      AW_ASSIGN_OR_RETURN(auto children, read_children(box, *skip));
      if (!children.empty() && depth >= kMaxBoxDepth) {
        return malformed(box_name(box.type, box.offset) + " holds boxes nested deeper than " +
                         std::to_string(kMaxBoxDepth) + " levels");
      }
      AW_ASSIGN_OR_RETURN(node.children, open_containers(std::move(children), box.type, depth + 1));
    }
    nodes.push_back(std::move(node));
  }
  return nodes;
}

}  // namespace

bool Cursor::take(size_t n) {
  if (failed_ || n > data_.size() - pos_) {
    failed_ = true;
    pos_ = data_.size();
    return false;
  }
  return true;
}

uint8_t Cursor::u8() {
  if (!take(1)) return 0;
  return data_[pos_++];
}

uint16_t Cursor::u16() {
  if (!take(2)) return 0;
  uint16_t v = static_cast<uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

uint32_t Cursor::u24() {
  if (!take(3)) return 0;
  uint32_t v = uint32_t{data_[pos_]} << 16 | uint32_t{data_[pos_ + 1]} << 8 | data_[pos_ + 2];
  pos_ += 3;
  return v;
}

uint32_t Cursor::u32() {
  if (!take(4)) return 0;
  uint32_t v =
      uint32_t{data_[pos_]} << 24 | uint32_t{data_[pos_ + 1]} << 16 | uint32_t{data_[pos_ + 2]} << 8 | data_[pos_ + 3];
  pos_ += 4;
  return v;
}

uint64_t Cursor::u64() {
  uint64_t high = u32();
  return high << 32 | u32();
}

void Cursor::skip(size_t n) {
  if (take(n)) pos_ += n;
}

std::span<const uint8_t> Cursor::bytes(size_t n) {
  if (!take(n)) return {};
  auto out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

std::string box_name(FourCC type, uint64_t offset) {
  std::string name;
  for (uint8_t c : type.bytes()) name += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  return "'" + name + "' at offset " + std::to_string(offset);
}

Result<BoxHeader> read_box_header(std::span<const uint8_t> head, uint64_t offset, uint64_t room) {
  BoxHeader header;
  header.offset = offset;
  Cursor c(head.first(static_cast<size_t>(std::min<uint64_t>({head.size(), room, 16}))));
  header.size = c.u32();
  header.type = FourCC(c.u32());
  if (c.failed()) {
    header.type = FourCC();
    header.size = 8;
    header.truncated = true;
    return header;
  }
  if (header.size == 1) {
    header.header_size = 16;
    header.size = c.u64();
    if (c.failed()) {
      header.size = 16;
      header.truncated = true;
      return header;
    }
  } else if (header.size == 0) {
    header.size = room;
    header.to_end = true;
  }
  if (header.size < header.header_size) {
    return malformed(box_name(header.type, offset) + " has size " + std::to_string(header.size) +
                     ", smaller than its " + std::to_string(header.header_size) + "-byte header");
  }
  header.truncated = header.size > room;
  return header;
}

Result<std::vector<RawBox>> read_top_level_boxes(std::span<const uint8_t> data, uint64_t base) {
  return read_boxes(data, base, "");
}

Result<std::vector<RawBox>> read_children(const RawBox& parent, size_t skip) {
  const std::string name = box_name(parent.type, parent.offset);
  if (skip > parent.payload.size()) {
    return malformed(name + " is " + std::to_string(parent.payload.size()) + " bytes, too short for the " +
                     std::to_string(skip) + " in front of its children");
  }
  return read_boxes(parent.payload.subspan(skip), parent.payload_offset() + skip, name);
}

std::optional<size_t> children_offset(const RawBox& box, FourCC parent) {
  static constexpr FourCC kContainers[] = {"moov", "trak", "mdia", "minf", "stbl", "edts", "dinf", "udta",
                                           "mvex", "moof", "traf", "mfra", "tref", "ilst", "wave"};
  if (parent == FourCC("ilst")) return 0;  // an item ('\xa9nam', 'trkn', a key index) holding data boxes
  if (box.type == FourCC("stsd")) return 8;
  if (box.type == FourCC("meta")) {
    // QuickTime's meta (QTFF metadata) has no version and flags: its hdlr follows the header directly.
    const bool quicktime = box.payload.size() >= 8 && FourCC(Cursor(box.payload.subspan(4)).u32()) == FourCC("hdlr");
    return quicktime ? 0 : 4;
  }
  if (std::find(std::begin(kContainers), std::end(kContainers), box.type) != std::end(kContainers)) return 0;
  return std::nullopt;
}

Result<std::vector<BoxNode>> read_top_level_tree(std::span<const uint8_t> data, uint64_t base) {
  AW_ASSIGN_OR_RETURN(auto boxes, read_top_level_boxes(data, base));
  return open_containers(std::move(boxes), FourCC(), 0);
}

Result<std::vector<BoxNode>> read_child_tree(const RawBox& parent, size_t skip) {
  AW_ASSIGN_OR_RETURN(auto boxes, read_children(parent, skip));
  return open_containers(std::move(boxes), parent.type, 1);
}

}  // namespace aw
