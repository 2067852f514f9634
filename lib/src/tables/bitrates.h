// Bitrates of a finished track, as the esds DecoderConfigDescriptor and the btrt box declare them.
#pragma once

#include <cstdint>

#include "tables/sample_table.h"

namespace aw {

struct Bitrates {
  uint32_t buffer_size = 0;  // bytes: the largest sample
  uint32_t max_bitrate = 0;  // bits per second over the busiest one-second window
  uint32_t avg_bitrate = 0;  // bits per second over the whole track
};

// Zero rates for an empty track or one shorter than a tick.
Bitrates compute_bitrates(const SampleTable& table, int32_t timescale);

}  // namespace aw
