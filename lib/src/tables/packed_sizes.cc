#include "tables/packed_sizes.h"

#include <algorithm>

namespace aw {

void PackedSizes::seal_block() {
  const auto& values = *pending_;
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  uint32_t range = *hi - *lo;
  Block block;
  block.base = *lo;
  block.width = range == 0 ? 0 : range <= 0xff ? 1 : range <= 0xffff ? 2 : range <= 0xffffff ? 3 : 4;
  if (block.width > 0) {
    block.bytes = std::make_unique<uint8_t[]>(size_t{kBlock} * block.width);
    uint8_t* p = block.bytes.get();
    for (uint32_t v : values) {
      uint32_t offset = v - block.base;
      for (uint8_t k = 0; k < block.width; ++k) *p++ = static_cast<uint8_t>(offset >> (8 * k));
    }
  }
  blocks_.push_back(std::move(block));
}

size_t PackedSizes::memory_bytes() const {
  size_t bytes = blocks_.capacity() * sizeof(Block) + (pending_ ? sizeof(*pending_) : 0);
  for (const Block& b : blocks_) bytes += size_t{kBlock} * b.width;
  return bytes;
}

}  // namespace aw
