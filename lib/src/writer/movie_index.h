// The end of a movie indexed as a whole (plain, moov-first, crash-safe): the sample tables are closed,
// the chapter track is made of the chapters set (if any), and each track is summarised for the moov.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "aw/status.h"
#include "writer/movie_state.h"

namespace aw {

// Puts the chapter track's samples (one chunk) somewhere in the file and returns the chunk offset its
// sample table records.
using PlaceChapterSamples = std::function<Result<uint64_t>(std::span<const uint8_t> samples)>;

// Closes the tables, adds the chapter track (its samples placed by `place`), and returns the summaries.
Result<std::vector<TrackSummary>> finish_movie_index(MovieState& movie, const PlaceChapterSamples& place);

}  // namespace aw
