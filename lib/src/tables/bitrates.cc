#include "tables/bitrates.h"

#include <algorithm>
#include <deque>
#include <limits>

namespace aw {
namespace {

uint32_t clamp_u32(uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, std::numeric_limits<uint32_t>::max())); }

}  // namespace

Bitrates compute_bitrates(const SampleTable& table, int32_t timescale) {
  Bitrates rates;
  if (table.empty() || timescale <= 0 || table.media_duration() == 0) return rates;
  rates.buffer_size = table.max_sample_size();
  rates.avg_bitrate = clamp_u32(table.total_bytes() * 8 * static_cast<uint64_t>(timescale) / table.media_duration());

  // Sliding one-second window over decode times (ISO 14496-12 8.5.2.3: "maximum rate in bits/second over
  // any window of one second").
  struct Entry {
    uint64_t time;
    uint32_t size;
  };
  std::deque<Entry> window;
  uint64_t window_bytes = 0, max_bytes = 0, time = 0;
  size_t sample = 0;
  for (const auto& run : table.time_to_sample()) {
    for (uint32_t i = 0; i < run.count; ++i, ++sample) {
      uint32_t size = table.size_of(static_cast<uint32_t>(sample));
      window.push_back({time, size});
      window_bytes += size;
      while (window.front().time + static_cast<uint64_t>(timescale) <= time) {
        window_bytes -= window.front().size;
        window.pop_front();
      }
      max_bytes = std::max(max_bytes, window_bytes);
      time += run.delta;
    }
  }
  // A track shorter than a second peaks at its average over that second.
  rates.max_bitrate = std::max(clamp_u32(max_bytes * 8), rates.avg_bitrate);
  return rates;
}

}  // namespace aw
