// FourCC: four bytes in file order, constexpr from a string literal ("moov", "\xa9nam").
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace aw {

class FourCC {
 public:
  constexpr FourCC() = default;
  constexpr FourCC(const char (&s)[5])
      : bytes_{static_cast<uint8_t>(s[0]), static_cast<uint8_t>(s[1]), static_cast<uint8_t>(s[2]),
               static_cast<uint8_t>(s[3])} {}
  constexpr explicit FourCC(uint32_t big_endian_value)
      : bytes_{static_cast<uint8_t>(big_endian_value >> 24), static_cast<uint8_t>(big_endian_value >> 16),
               static_cast<uint8_t>(big_endian_value >> 8), static_cast<uint8_t>(big_endian_value)} {}

  constexpr uint32_t value() const {
    return uint32_t{bytes_[0]} << 24 | uint32_t{bytes_[1]} << 16 | uint32_t{bytes_[2]} << 8 | bytes_[3];
  }
  constexpr const std::array<uint8_t, 4>& bytes() const { return bytes_; }
  std::string to_string() const { return std::string(bytes_.begin(), bytes_.end()); }
  constexpr bool operator==(const FourCC&) const = default;

 private:
  std::array<uint8_t, 4> bytes_{};
};

}  // namespace aw
