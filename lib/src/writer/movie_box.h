// Builds the moov box (the movie's index) from the finished tracks.
#pragma once

#include <cstdint>
#include <vector>

#include "aw/media_types.h"
#include "aw/metadata.h"
#include "aw/time.h"
#include "writer/track_state.h"

namespace aw {

struct MovieContext {
  FileType file_type = FileType::kMpeg4;
  int32_t movie_timescale = 1000;
  uint64_t creation_time = 0;  // seconds since 1904
  Time session_start;
  Time session_end;
  const Metadata* metadata = nullptr;
};

// `payload_base` is the file offset of the first payload byte; chunk offsets are relative to it.
std::vector<uint8_t> build_moov(const std::vector<TrackState>& tracks, const MovieContext& movie,
                                uint64_t payload_base);

}  // namespace aw
