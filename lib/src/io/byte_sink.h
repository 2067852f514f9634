// ByteSink: where written boxes go: a file (OutputFile) or memory (MemorySink, for segments handed to a
// delegate). Appends are vectored; earlier bytes can be patched in place.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "aw/status.h"

namespace aw {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status append_vectored(std::span<const std::span<const uint8_t>> buffers) = 0;
  virtual Status write_at(uint64_t offset, std::span<const uint8_t> data) = 0;
  virtual Status flush_to_disk() = 0;
  // Bytes appended so far.
  virtual uint64_t position() const = 0;

  Status append(std::span<const uint8_t> data) {
    std::span<const uint8_t> one[1] = {data};
    return append_vectored(one);
  }
};

class MemorySink final : public ByteSink {
 public:
  Status append_vectored(std::span<const std::span<const uint8_t>> buffers) override;
  Status write_at(uint64_t offset, std::span<const uint8_t> data) override;
  Status flush_to_disk() override { return Status::ok(); }
  uint64_t position() const override { return bytes_.size(); }

  const std::vector<uint8_t>& bytes() const { return bytes_; }
  void clear() { bytes_.clear(); }

 private:
  std::vector<uint8_t> bytes_;
};

}  // namespace aw
