#include "boxes/box_writer.h"

#include <cmath>

namespace aw {

void BoxWriter::u24(uint32_t v) {
  uint8_t* p = extend(3);
  p[0] = static_cast<uint8_t>(v >> 16);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v);
}

void BoxWriter::u32s(std::span<const uint32_t> values) {
  uint8_t* p = extend(values.size() * 4);
  for (uint32_t v : values) {
    store_be(p, v);
    p += 4;
  }
}

void BoxWriter::fourcc(FourCC f) { buf().insert(buf().end(), f.bytes().begin(), f.bytes().end()); }

void BoxWriter::bytes(std::span<const uint8_t> data) { buf().insert(buf().end(), data.begin(), data.end()); }

void BoxWriter::zeros(size_t count) { buf().insert(buf().end(), count, 0); }

void BoxWriter::text(std::string_view s) { buf().insert(buf().end(), s.begin(), s.end()); }

void BoxWriter::fixed_16_16(double v) { i32(static_cast<int32_t>(std::lround(v * 65536.0))); }

void BoxWriter::fixed_2_30(double v) { i32(static_cast<int32_t>(std::lround(v * 1073741824.0))); }

void BoxWriter::patch_u32(size_t offset, uint32_t v) {
  auto& b = buf();
  b[offset] = static_cast<uint8_t>(v >> 24);
  b[offset + 1] = static_cast<uint8_t>(v >> 16);
  b[offset + 2] = static_cast<uint8_t>(v >> 8);
  b[offset + 3] = static_cast<uint8_t>(v);
}

size_t BoxWriter::begin_box(FourCC type) {
  size_t start = buf().size();
  u32(0);  // size, patched by end_box()
  fourcc(type);
  return start;
}

void BoxWriter::end_box(size_t start) {
  size_t size = buf().size() - start;
  // Boxes built in memory are index boxes; 4 GiB of index would need ~500 million samples per box,
  // far beyond what the sample tables accept, so a 32-bit size always fits here.
  patch_u32(start, static_cast<uint32_t>(size));
}

}  // namespace aw
