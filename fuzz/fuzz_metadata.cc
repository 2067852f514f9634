// Metadata text: file/track metadata written as udta for every file type (iTunes ilst, QuickTime text items,
// 3GPP assets) from arbitrary bytes as UTF-8 values, arbitrary language codes and strings past 64 KiB; the
// boxes written must parse with sizes that add up.
// Input: key, file type, 3 language bytes, a repeat count, then the text; a 0 byte starts another item.
#include "aw/metadata.h"
#include "boxes/metadata_boxes.h"
#include "fuzz_support.h"
#include "testing/box_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  aw::fuzz::Bytes in({data, size});
  uint8_t key = in.u8();
  auto file_type = static_cast<aw::FileType>(in.u8() % 5);
  auto lang = in.take(3);
  std::string language(lang.begin(), lang.end());
  // Repeat the text so values pass the 16-bit counted strings of QuickTime items.
  size_t repeat = 1 + (in.u8() % 4 == 3 ? 70000 / std::max<size_t>(1, in.left()) : 0);
  auto text = in.rest();

  aw::Metadata metadata;
  std::string value;
  auto flush = [&] {
    std::string repeated;
    for (size_t i = 0; i < repeat; ++i) repeated += value;
    metadata.push_back({static_cast<aw::MetadataKey>(key++ % 9), std::move(repeated), language});
    value.clear();
  };
  for (uint8_t b : text) {
    if (b == 0 && metadata.size() < 16) {
      flush();
    } else {
      value.push_back(static_cast<char>(b));
    }
  }
  flush();

  aw::BoxWriter w;
  aw::write_udta(w, metadata, file_type);
  std::vector<uint8_t> bytes = w.take();
  try {
    auto boxes = aw::test::parse_boxes(bytes, 0);
    AW_FUZZ_CHECK(boxes.size() <= 1, "more than one udta");
    if (!boxes.empty()) AW_FUZZ_CHECK(boxes[0].type == "udta", "not a udta: " + boxes[0].type);
  } catch (const std::exception& e) {
    std::string hex;
    for (size_t i = 0; i < std::min<size_t>(bytes.size(), 64); ++i) {
      char h[4];
      std::snprintf(h, sizeof h, "%02x", bytes[i]);
      hex += h;
    }
    aw::fuzz::violated(std::string("udta does not parse: ") + e.what() + "; bytes " + hex);
  }
  return 0;
}
