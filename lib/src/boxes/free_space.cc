#include "boxes/free_space.h"

#include <algorithm>

namespace aw {

void write_free_header(BoxWriter& w, uint64_t size) {
  w.u32(static_cast<uint32_t>(size));
  w.fourcc(FourCC("free"));
}

void write_free(BoxWriter& w, uint64_t size) {
  write_free_header(w, size);
  w.zeros(size - kBoxHeaderSize);
}

std::vector<uint8_t> free_header(uint64_t size) {
  BoxWriter w;
  write_free_header(w, size);
  return w.take();
}

Status retype_box(ByteSink& file, uint64_t box_offset, FourCC type) {
  return file.write_at(box_offset + 4, type.bytes());
}

Status hide_box(ByteSink& file, uint64_t box_offset) { return retype_box(file, box_offset, FourCC("free")); }

Status erase_box(ByteSink& file, uint64_t box_offset, uint64_t box_size) {
  AW_RETURN_IF_ERROR(hide_box(file, box_offset));
  if (box_size <= kBoxHeaderSize) return Status::ok();
  const std::vector<uint8_t> zeros(box_size - kBoxHeaderSize);
  return file.write_at(box_offset + kBoxHeaderSize, zeros);
}

std::vector<uint8_t> retyped_copy(std::span<const uint8_t> box, FourCC type) {
  std::vector<uint8_t> copy(box.begin(), box.end());
  std::copy_n(type.bytes().begin(), 4, copy.begin() + 4);
  return copy;
}

}  // namespace aw
