// Reading boxes back (14496-12 4.2): the one bounds-checked parser of box headers and box trees, used by the
// recovery tool and by the test helpers (lib/testing). Sizes of 32 bits, 64 bits (size 1) and to the end of
// the file (size 0); a box that overruns its parent is an error naming it, and nesting is bounded, so hostile
// input is an error, never a crash or a deep recursion.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aw/fourcc.h"
#include "aw/status.h"

namespace aw {

// Big-endian reads over a byte span. A read past the end returns 0 and marks the cursor failed, so a
// parser checks failed() once per box instead of after every field.
class Cursor {
 public:
  explicit Cursor(std::span<const uint8_t> data) : data_(data) {}
  uint8_t u8();
  uint16_t u16();
  uint32_t u24();
  uint32_t u32();
  uint64_t u64();
  void skip(size_t n);
  std::span<const uint8_t> bytes(size_t n);
  size_t remaining() const { return data_.size() - pos_; }
  bool failed() const { return failed_; }

 private:
  bool take(size_t n);
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  bool failed_ = false;
};

struct BoxHeader {
  FourCC type;
  uint64_t offset = 0;       // of the header, in the file
  uint64_t size = 0;         // the whole box; a box of size 0 holds the rest of the bytes it was read from
  uint32_t header_size = 8;  // 16 with a 64-bit size
  bool to_end = false;       // its size field is 0
  // The header or the payload runs past the end of the bytes left: `size` is what the header claims (or
  // the header's own size when even that is cut short).
  bool truncated = false;
  uint64_t payload_offset() const { return offset + header_size; }
  uint64_t end() const { return offset + size; }
};

// "'moov' at offset 1234"; bytes outside printable ASCII show as '?'.
std::string box_name(FourCC type, uint64_t offset);

// The header of the box at file offset `offset`, with `room` bytes from there to the end of its parent (or of
// the file); `head` holds the first of them, at least min(room, 16). A header cut short, or a box longer
// than `room`, comes back `truncated`; a size smaller than the header is an error (nothing after it can be
// found).
Result<BoxHeader> read_box_header(std::span<const uint8_t> head, uint64_t offset, uint64_t room);

// A box inside bytes already in memory.
struct RawBox : BoxHeader {
  std::span<const uint8_t> whole;  // header and payload
  std::span<const uint8_t> payload;
};

// The boxes filling `data`, the top level of a file from its offset `base` on: a box of size 0 runs to the
// end of `data`. Errors name the box whose header is cut short or runs past the end.
Result<std::vector<RawBox>> read_top_level_boxes(std::span<const uint8_t> data, uint64_t base);

// The boxes filling the payload of `parent` after its first `skip` bytes (a full box's version and flags,
// an entry count). A box of size 0 is an error here: 4.2 allows one only as the last box of a file. Errors
// name the parent and the box that does not fit in it.
Result<std::vector<RawBox>> read_children(const RawBox& parent, size_t skip = 0);

// How far into the payload of `box` (held by a box of type `parent`, FourCC() at the top level) its child
// boxes begin, or nullopt for a box whose payload is not a list of boxes: 0 for the plain containers
// (moov, trak, ...), 8 for stsd (version, flags, entry count), 4 for an ISO meta (a full box) but 0 for a
// QuickTime meta (its hdlr follows the header), 0 for the items of an ilst (each holds data boxes).
// Sample entries are leaves: where their children start depends on the handler.
std::optional<size_t> children_offset(const RawBox& box, FourCC parent);

struct BoxNode : RawBox {
  std::vector<BoxNode> children;
};

// Boxes nested deeper than this (a top-level box is at level 0) are refused: no real movie comes close (an ilst
// item's data is at level 5), and it bounds the recursion on hostile input.
constexpr int kMaxBoxDepth = 16;

// read_top_level_boxes and read_children with every container opened (children_offset), down to
// kMaxBoxDepth levels.
Result<std::vector<BoxNode>> read_top_level_tree(std::span<const uint8_t> data, uint64_t base);
Result<std::vector<BoxNode>> read_child_tree(const RawBox& parent, size_t skip = 0);

}  // namespace aw
