// The library's box reader and the recovery parsers built on it, on bytes as aw-recover meets them in a damaged
// or hostile file: a tree read whole (boxes/box_reader.h) has every box inside its parent, sizes that agree
// and no level deeper than the limit, or an error with a message; the top-level scan the recovery tool makes
// and its moov and moof parsers (recovery/movie_reader.h) refuse what does not add up, with a message.
#include "boxes/box_reader.h"
#include "fuzz_support.h"
#include "recovery/movie_reader.h"

namespace {

void check_tree(const std::vector<aw::BoxNode>& boxes, std::span<const uint8_t> parent, int depth) {
  AW_FUZZ_CHECK(boxes.empty() || depth <= aw::kMaxBoxDepth, "level " + std::to_string(depth));
  uint64_t used = 0;
  for (const aw::BoxNode& box : boxes) {
    AW_FUZZ_CHECK(
        box.whole.data() >= parent.data() && box.whole.data() + box.whole.size() <= parent.data() + parent.size(),
        aw::box_name(box.type, box.offset) + " outside its parent");
    AW_FUZZ_CHECK(box.whole.size() == box.size && box.payload.size() + box.header_size == box.size,
                  aw::box_name(box.type, box.offset) + ": sizes disagree");
    used += box.size;
    check_tree(box.children, box.payload, depth + 1);
  }
  AW_FUZZ_CHECK(used <= parent.size(), "children longer than their parent");
}

template <typename T>
void check_error(const aw::Result<T>& result) {
  if (!result) AW_FUZZ_CHECK(!result.status().message().empty(), "error without a message");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  auto tree = aw::read_top_level_tree(bytes, 0);
  check_error(tree);
  if (tree) check_tree(*tree, bytes, 0);

  // The recovery tool's walk: top-level headers up to a torn tail, the first moov, then each moof.
  std::optional<aw::recovery::RecordedMovie> movie;
  for (uint64_t offset = 0; offset < size;) {
    auto header = aw::read_box_header(bytes.subspan(offset), offset, size - offset);
    check_error(header);
    if (!header || header->truncated) break;
    auto payload = bytes.subspan(offset + header->header_size, header->size - header->header_size);
    if (header->type == aw::FourCC("moov") && !movie) {
      auto parsed = aw::recovery::parse_moov(payload, header->payload_offset());
      check_error(parsed);
      if (parsed) movie = std::move(parsed).value();
    } else if (header->type == aw::FourCC("moof") && movie) {
      check_error(aw::recovery::parse_moof(payload, header->offset, header->payload_offset(), *movie));
    }
    offset = header->end();
  }
  return 0;
}
