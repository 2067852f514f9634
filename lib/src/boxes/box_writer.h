// BoxWriter: the one box-writing idiom. A box is opened, its content written by a callback, and its size
// patched when the callback returns, so a declared size can never drift from the bytes written.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "aw/fourcc.h"

namespace aw {

class BoxWriter {
 public:
  BoxWriter() = default;
  explicit BoxWriter(std::vector<uint8_t>* out) : out_(out) {}

  void u8(uint8_t v) { buf().push_back(v); }
  // Inline: trun and the index write these per sample.
  void u16(uint16_t v) { store_be(extend(2), v); }
  void u24(uint32_t v);
  void u32(uint32_t v) { store_be(extend(4), v); }
  void u64(uint64_t v) { store_be(extend(8), v); }
  void i16(int16_t v) { u16(static_cast<uint16_t>(v)); }
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void fourcc(FourCC f);
  // Big-endian u32 values in one step: the sample tables' arrays (stsz, stco, runs) without a size
  // check per byte.
  void u32s(std::span<const uint32_t> values);
  void bytes(std::span<const uint8_t> data);
  void zeros(size_t count);
  // UTF-8 bytes without a terminator.
  void text(std::string_view s);
  // 16.16 and 2.30 fixed-point numbers (tkhd matrix, rates).
  void fixed_16_16(double v);
  void fixed_2_30(double v);

  // box(type, [&]{ content }) writes size + type + content; a 64-bit size is never needed for boxes
  // built in memory.
  template <typename F>
  void box(FourCC type, F&& content) {
    size_t start = begin_box(type);
    content();
    end_box(start);
  }
  // FullBox: version and 24-bit flags after the header.
  template <typename F>
  void full_box(FourCC type, uint8_t version, uint32_t flags, F&& content) {
    box(type, [&] {
      u8(version);
      u24(flags);
      content();
    });
  }

  size_t size() const { return out_->size(); }
  // Overwrites a 32-bit field written earlier (e.g. a trun data offset).
  void patch_u32(size_t offset, uint32_t v);
  const std::vector<uint8_t>& data() const { return *out_; }
  std::vector<uint8_t> take() { return std::move(*out_); }

 private:
  template <typename T>
  static void store_be(uint8_t* p, T v) {
    for (size_t i = sizeof(T); i-- > 0;) {
      p[i] = static_cast<uint8_t>(v);
      v = static_cast<T>(v >> 8);
    }
  }
  std::vector<uint8_t>& buf() { return *out_; }
  // `n` more bytes at the end, for the caller to fill.
  uint8_t* extend(size_t n) {
    size_t at = out_->size();
    out_->resize(at + n);
    return out_->data() + at;
  }
  size_t begin_box(FourCC type);
  void end_box(size_t start);

  std::vector<uint8_t> own_;
  std::vector<uint8_t>* out_ = &own_;
};

}  // namespace aw
