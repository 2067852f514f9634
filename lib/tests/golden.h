// Test helpers for golden bytes: hex dumps grouped in 4-byte words, so a failing comparison shows
// where the bytes differ.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace aw {

inline std::string hex(std::span<const uint8_t> data) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < data.size(); ++i) {
    if (i && i % 4 == 0) out += ' ';
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

// Parses "0000000c 66726565" (spaces ignored) into bytes.
inline std::vector<uint8_t> unhex(const std::string& text) {
  std::vector<uint8_t> out;
  int nibble = -1;
  for (char c : text) {
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (v < 0) continue;
    if (nibble < 0) {
      nibble = v;
    } else {
      out.push_back(static_cast<uint8_t>(nibble << 4 | v));
      nibble = -1;
    }
  }
  return out;
}

}  // namespace aw
