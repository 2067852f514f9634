// ChunkLog: the chunks of one track, each as two varints (the offset's distance from the previous chunk's,
// and the sample count): ~4 bytes instead of a 16-byte struct.
#pragma once

#include <cstdint>

#include "tables/byte_log.h"

namespace aw {

struct Chunk {
  uint64_t payload_offset = 0;  // relative to the first payload byte of the mdat
  uint32_t sample_count = 0;
};

class ChunkLog {
 public:
  void push(const Chunk& chunk) {
    bytes_.push_varint(zigzag(static_cast<int64_t>(chunk.payload_offset - last_.payload_offset)));
    bytes_.push_varint(chunk.sample_count);
    last_ = chunk;
    ++count_;
  }
  size_t count() const { return count_; }
  const Chunk& last() const { return last_; }
  size_t memory_bytes() const { return bytes_.memory_bytes(); }

  class Reader {
   public:
    explicit Reader(const ChunkLog& log) : bytes_(log.bytes_) {}
    bool next(Chunk& chunk) {
      if (bytes_.at_end()) return false;
      offset_ += static_cast<uint64_t>(unzigzag(bytes_.varint()));
      chunk.payload_offset = offset_;
      chunk.sample_count = static_cast<uint32_t>(bytes_.varint());
      return true;
    }

   private:
    ByteLog::Reader bytes_;
    uint64_t offset_ = 0;
  };

 private:
  ByteLog bytes_;
  Chunk last_;
  size_t count_ = 0;
};

}  // namespace aw
