// Moov-first movies without a second pass: room for the index is reserved in front of the media from a
// duration hint (or a size the caller gives), and the moov is written into it at finish.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "aw/time.h"
#include "writer/track_state.h"

namespace aw {

// A generous estimate of the moov of `tracks` lasting `duration`: per sample its stsz entry and a ctts
// run, per keyframe and chunk their entries, at 60 video frames a second and the audio's own frame rate,
// plus headers and metadata; 10 % more for safety. 0 when the duration is not numeric.
uint64_t estimated_moov_size(const std::vector<TrackState>& tracks, const Time& duration);

// The bytes for a reservation of `reserved` bytes (the whole 'free' box written at start): the moov,
// then a 'free' box over the rest. nullopt when the moov does not fit (the rest must be 0 or at least a
// box header).
std::optional<std::vector<uint8_t>> fill_reservation(std::span<const uint8_t> moov, uint64_t reserved);

}  // namespace aw
