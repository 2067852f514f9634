#include "tables/bitrates.h"

#include <algorithm>
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
  // any window of one second"): a trailing cursor over the same tables leaves the window as the leading
  // one enters it, so nothing per sample is copied.
  const auto runs = table.time_to_sample();
  auto trail = runs.begin();
  uint32_t trail_left = trail == runs.end() ? 0 : trail->count;
  uint64_t trail_time = 0;
  uint32_t trail_sample = 0;
  uint64_t window_bytes = 0, max_bytes = 0, time = 0;
  uint32_t sample = 0;
  for (const auto& run : runs) {
    for (uint32_t i = 0; i < run.count; ++i, ++sample) {
      window_bytes += table.size_of(sample);
      while (trail_time + static_cast<uint64_t>(timescale) <= time) {
        window_bytes -= table.size_of(trail_sample++);
        trail_time += trail->delta;
        if (--trail_left == 0 && ++trail != runs.end()) trail_left = trail->count;
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
