// ByteLog: append-only bytes in fixed 4 KiB pages, read back in order. A long recording's index grows
// by a page at a time, never by reallocating (and briefly doubling) one large array.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace aw {

class ByteLog {
 public:
  static constexpr size_t kPageBytes = 4096;

  void push(uint8_t byte) {
    if (fill_ == kPageBytes) add_page();
    pages_.back()[fill_++] = byte;
    ++size_;
  }
  // LEB128: 7 bits per byte, low bits first.
  void push_varint(uint64_t v) {
    while (v >= 0x80) {
      push(static_cast<uint8_t>(v) | 0x80);
      v >>= 7;
    }
    push(static_cast<uint8_t>(v));
  }

  size_t size() const { return size_; }
  // Bytes held, pages and the page list, for the index's own accounting.
  size_t memory_bytes() const { return pages_.size() * kPageBytes + pages_.capacity() * sizeof(pages_[0]); }

  class Reader {
   public:
    explicit Reader(const ByteLog& log) : log_(&log) {}
    bool at_end() const { return pos_ >= log_->size_; }
    uint8_t byte() {
      uint8_t b = log_->pages_[pos_ / kPageBytes][pos_ % kPageBytes];
      ++pos_;
      return b;
    }
    uint64_t varint() {
      uint64_t v = 0;
      for (int shift = 0;; shift += 7) {
        uint8_t b = byte();
        v |= uint64_t{b & 0x7fu} << shift;
        if (!(b & 0x80)) return v;
      }
    }

   private:
    const ByteLog* log_;
    size_t pos_ = 0;
  };

 private:
  void add_page() {
    pages_.push_back(std::make_unique<uint8_t[]>(kPageBytes));
    fill_ = 0;
  }

  std::vector<std::unique_ptr<uint8_t[]>> pages_;
  size_t fill_ = kPageBytes;  // bytes used in the last page
  size_t size_ = 0;
};

// Signed values as varints: small magnitudes of either sign stay short.
inline uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
inline int64_t unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

}  // namespace aw
