// A media sample: payload bytes and timing. The payload is borrowed, not copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "aw/time.h"

namespace aw {

struct Sample {
  // The payload. It must stay valid while `owner` is alive; the writer keeps `owner` until the bytes are
  // on disk and then releases it. With no owner the caller guarantees the bytes outlive the append
  // (the writer copies them in that case, since it cannot know when they die).
  std::span<const uint8_t> data;
  std::shared_ptr<const void> owner;

  Time decode_time;        // invalid: same as presentation_time
  Time presentation_time;  // required
  Time duration;           // invalid: derived from the next sample (the last one repeats the previous)
  bool sync = true;
};

}  // namespace aw
