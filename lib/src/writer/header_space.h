// HeaderSpace: the bytes in front of the first fragment of a fragmented movie or a crash-safe recording
// that hold its moov and a 'free' reserve. A format change mid-stream replaces the moov there with one
// that lists the new sample description, without an instant at which a killed recording has no usable
// moov (see replace_moov).
#pragma once

#include <cstdint>
#include <span>

#include "aw/status.h"
#include "io/byte_sink.h"

namespace aw {

class HeaderSpace {
 public:
  HeaderSpace() = default;
  // The space starts at `offset` with the moov (`moov_size` bytes), and a 'free' box fills the rest.
  HeaderSpace(uint64_t offset, uint64_t size, uint64_t moov_size)
      : offset_(offset), size_(size), moov_offset_(offset), moov_size_(moov_size) {}

  uint64_t offset() const { return offset_; }
  uint64_t size() const { return size_; }
  // Where the moov players read is now.
  uint64_t moov_offset() const { return moov_offset_; }
  uint64_t moov_size() const { return moov_size_; }

  // Writes `moov` (a whole box) into the free bytes behind or in front of the current moov, then makes it
  // the moov and the old one 'free'. kUnsupported, with the file untouched, when neither side has room.
  // `sync`: fdatasync between the steps, so the order also holds across a power loss.
  Status replace_moov(ByteSink& file, std::span<const uint8_t> moov, bool sync);

 private:
  uint64_t offset_ = 0;
  uint64_t size_ = 0;
  uint64_t moov_offset_ = 0;
  uint64_t moov_size_ = 0;
};

}  // namespace aw
