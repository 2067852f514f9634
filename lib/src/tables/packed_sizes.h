// PackedSizes: per-sample sizes in blocks of 1024, each block stored as offsets from its smallest size in
// as few bytes as its range needs (0 to 4 per sample), so 150-byte frames cost 1-2 bytes and 1080p frames 3,
// with any size up to 4 GiB still exact. Random access stays O(1).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace aw {

class PackedSizes {
 public:
  static constexpr uint32_t kBlock = 1024;

  void push(uint32_t size) {
    if (!pending_) pending_ = std::make_unique<std::array<uint32_t, kBlock>>();
    (*pending_)[count_ % kBlock] = size;
    if (++count_ % kBlock == 0) seal_block();
  }
  uint32_t count() const { return count_; }
  uint32_t at(uint32_t index) const {
    uint32_t b = index / kBlock;
    if (b < blocks_.size()) return unpack(blocks_[b], index % kBlock);
    return (*pending_)[index % kBlock];
  }
  // Every size in order, a block at a time.
  template <typename F>
  void for_each_block(F&& f) const {
    std::array<uint32_t, kBlock> values;
    for (uint32_t b = 0; b < blocks_.size(); ++b) {
      for (uint32_t i = 0; i < kBlock; ++i) values[i] = unpack(blocks_[b], i);
      f(std::span<const uint32_t>(values));
    }
    if (count_ % kBlock != 0) f(std::span<const uint32_t>(pending_->data(), count_ % kBlock));
  }
  size_t memory_bytes() const;

 private:
  struct Block {
    std::unique_ptr<uint8_t[]> bytes;  // kBlock little-endian offsets of `width` bytes each
    uint32_t base = 0;
    uint8_t width = 0;
  };
  static uint32_t unpack(const Block& block, uint32_t i) {
    const uint8_t* p = block.bytes.get() + size_t{i} * block.width;
    switch (block.width) {
      case 0: return block.base;
      case 1: return block.base + p[0];
      case 2: return block.base + (p[0] | uint32_t{p[1]} << 8);
      case 3: return block.base + (p[0] | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16);
      default: return block.base + (p[0] | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24);
    }
  }
  void seal_block();

  std::vector<Block> blocks_;
  std::unique_ptr<std::array<uint32_t, kBlock>> pending_;  // the block being filled
  uint32_t count_ = 0;
};

}  // namespace aw
