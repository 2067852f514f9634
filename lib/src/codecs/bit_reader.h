// BitReader: MSB-first reads over a byte span (H.264/H.265 RBSP, AAC AudioSpecificConfig), with the
// exp-Golomb codes of H.264 9.1. Reading past the end never touches memory outside the span: it returns
// zeros and sets a sticky error flag, so a parser can read a whole structure and check once at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace aw {

class BitReader {
 public:
  explicit BitReader(std::span<const uint8_t> data) : data_(data) {}

  // Up to 32 bits, first bit read is the most significant of the result.
  uint32_t bits(unsigned count) {
    uint32_t value = 0;
    for (unsigned i = 0; i < count; ++i) value = value << 1 | bit();
    return value;
  }
  bool flag() { return bit() != 0; }
  void skip(size_t count) {
    if (count > bits_left()) {
      error_ = true;
      position_ = data_.size() * 8;
      return;
    }
    position_ += count;
  }

  // ue(v): unsigned exp-Golomb. More than 31 leading zeros cannot come from a conforming stream (values
  // would not fit in 32 bits), so it is an error rather than an overflow.
  uint32_t ue() {
    unsigned leading_zeros = 0;
    while (!error_ && bit() == 0) {
      if (++leading_zeros > 31) {
        error_ = true;
        return 0;
      }
    }
    if (error_) return 0;
    return static_cast<uint32_t>((uint64_t{1} << leading_zeros) - 1 + bits(leading_zeros));
  }
  // se(v): signed exp-Golomb, mapped 0, 1, -1, 2, -2, ...
  int32_t se() {
    uint32_t k = ue();
    int64_t magnitude = (int64_t{k} + 1) / 2;
    return static_cast<int32_t>(k % 2 ? magnitude : -magnitude);
  }

  size_t bits_left() const { return data_.size() * 8 - position_; }
  size_t position() const { return position_; }
  // True once any read went past the end (or an exp-Golomb code was malformed).
  bool error() const { return error_; }

 private:
  uint32_t bit() {
    if (position_ >= data_.size() * 8) {
      error_ = true;
      return 0;
    }
    uint32_t b = data_[position_ / 8] >> (7 - position_ % 8) & 1;
    ++position_;
    return b;
  }

  std::span<const uint8_t> data_;
  size_t position_ = 0;
  bool error_ = false;
};

// NAL unit payload → RBSP: drops each emulation_prevention_three_byte (the 0x03 of 0x00 0x00 0x03,
// H.264 7.4.1 / H.265 7.4.2), which an encoder inserts so that no start code appears inside a NAL unit.
inline std::vector<uint8_t> remove_emulation_prevention(std::span<const uint8_t> nal) {
  std::vector<uint8_t> rbsp;
  rbsp.reserve(nal.size());
  int zeros = 0;
  for (uint8_t byte : nal) {
    if (zeros >= 2 && byte == 0x03) {
      zeros = 0;
      continue;
    }
    zeros = byte == 0 ? zeros + 1 : 0;
    rbsp.push_back(byte);
  }
  return rbsp;
}

}  // namespace aw
