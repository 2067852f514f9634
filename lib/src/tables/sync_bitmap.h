// SyncBitmap: one bit per sample (1 = sync), so a sync flag costs 1/8 byte however the key frames fall;
// read back as the 1-based sample numbers stss lists.
#pragma once

#include <cstdint>

#include "tables/byte_log.h"

namespace aw {

class SyncBitmap {
 public:
  void push(bool sync) {
    if (sync) {
      bits_ |= static_cast<uint8_t>(1u << (count_ % 8));
      ++sync_count_;
      last_sync_ = count_ + 1;
    }
    if (++count_ % 8 == 0) {
      bytes_.push(bits_);
      bits_ = 0;
    }
  }
  uint32_t sync_count() const { return sync_count_; }
  uint32_t last_sync() const { return last_sync_; }
  size_t memory_bytes() const { return bytes_.memory_bytes(); }

  // The sync samples' 1-based numbers in order.
  class Reader {
   public:
    explicit Reader(const SyncBitmap& map) : map_(&map), bytes_(map.bytes_) {}
    bool next(uint32_t& sample_number) {
      while (index_ < map_->count_) {
        if (index_ % 8 == 0) current_ = bytes_.at_end() ? map_->bits_ : bytes_.byte();
        bool sync = (current_ >> (index_ % 8)) & 1;
        ++index_;
        if (sync) {
          sample_number = index_;
          return true;
        }
      }
      return false;
    }

   private:
    const SyncBitmap* map_;
    ByteLog::Reader bytes_;
    uint32_t index_ = 0;
    uint8_t current_ = 0;
  };

 private:
  ByteLog bytes_;
  uint8_t bits_ = 0;  // the byte being filled
  uint32_t count_ = 0;
  uint32_t sync_count_ = 0;
  uint32_t last_sync_ = 0;
};

}  // namespace aw
