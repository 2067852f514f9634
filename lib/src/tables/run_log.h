// RunLog: a per-sample value (a decode delta, a composition offset) kept as runs of equal values. Runs
// are encoded in about one byte each: the few values a stream alternates between (B-frame offsets, a
// 29.97 fps delta pair) are coded by their slot in a small table of recent values, so even a stream whose
// value changes every sample costs ~1 byte per sample instead of an 8-byte run entry.
#pragma once

#include <array>
#include <cstdint>

#include "tables/byte_log.h"

namespace aw {

class RunLog {
 private:
  // Fifteen slots replaced in turn; encoder and decoder update theirs alike, so a slot number names the
  // same value on both sides.
  struct RecentValues {
    static constexpr uint8_t kSlots = 15;
    std::array<int64_t, kSlots> values{};
    uint8_t next = 0;
    int find(int64_t v) const {
      for (uint8_t i = 0; i < kSlots; ++i) {
        if (values[i] == v) return i;
      }
      return -1;
    }
    void add(int64_t v) {
      values[next] = v;
      next = static_cast<uint8_t>((next + 1) % kSlots);
    }
  };


 public:
  struct Run {
    uint32_t count = 0;
    int64_t value = 0;
  };

  void append(int64_t value, uint32_t count = 1) {
    if (open_.count != 0 && open_.value == value) {
      open_.count += count;
      return;
    }
    if (open_.count != 0) commit(open_);
    open_ = {count, value};
  }

  size_t run_count() const { return committed_runs_ + (open_.count != 0 ? 1 : 0); }
  bool empty() const { return open_.count == 0; }
  // The latest run, still open to more samples of its value.
  const Run& back() const { return open_; }
  size_t memory_bytes() const { return bytes_.memory_bytes(); }

  class Reader {
   public:
    explicit Reader(const RunLog& log) : log_(&log), bytes_(log.bytes_) {}
    bool next(Run& run);

   private:
    const RunLog* log_;
    ByteLog::Reader bytes_;
    RecentValues recent_;
    bool open_read_ = false;
  };

 private:
  void commit(const Run& run);

  ByteLog bytes_;
  RecentValues recent_;
  size_t committed_runs_ = 0;
  Run open_;
};

}  // namespace aw
