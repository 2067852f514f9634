#include "io/byte_sink.h"

#include <algorithm>

namespace aw {

Status MemorySink::append_vectored(std::span<const std::span<const uint8_t>> buffers) {
  size_t total = bytes_.size();
  for (const auto& b : buffers) total += b.size();
  bytes_.reserve(total);
  for (const auto& b : buffers) bytes_.insert(bytes_.end(), b.begin(), b.end());
  return Status::ok();
}

Status MemorySink::write_at(uint64_t offset, std::span<const uint8_t> data) {
  if (offset > bytes_.size() || data.size() > bytes_.size() - offset) {
    return Status(ErrorCode::kInvalidArgument, "patch past the end of the segment buffer");
  }
  std::copy(data.begin(), data.end(), bytes_.begin() + static_cast<std::ptrdiff_t>(offset));
  return Status::ok();
}

}  // namespace aw
