// Helpers shared by the fuzz targets: a forward byte reader (so hand-written seeds read naturally) and a
// check that aborts with a message, which libFuzzer reports as a crash with the input that caused it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

namespace aw::fuzz {

[[noreturn]] inline void violated(const std::string& what) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what.c_str());
  std::abort();
}

#define AW_FUZZ_CHECK(condition, message)                                               \
  do {                                                                                  \
    if (!(condition)) ::aw::fuzz::violated(std::string(#condition) + ": " + (message)); \
  } while (0)

// Reads the input front to back; past the end every read yields zeros.
class Bytes {
 public:
  explicit Bytes(std::span<const uint8_t> data) : data_(data) {}
  bool empty() const { return pos_ >= data_.size(); }
  size_t left() const { return empty() ? 0 : data_.size() - pos_; }
  uint8_t u8() { return empty() ? 0 : data_[pos_++]; }
  uint16_t u16() { return static_cast<uint16_t>(u8() << 8 | u8()); }
  uint32_t u32() { return uint32_t{u16()} << 16 | u16(); }
  std::span<const uint8_t> take(size_t n) {
    n = std::min(n, left());
    auto s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  std::span<const uint8_t> rest() { return take(left()); }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

}  // namespace aw::fuzz
