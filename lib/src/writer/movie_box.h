// Builds the moov box (the movie's index) from the tracks.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "aw/media_types.h"
#include "aw/metadata.h"
#include "aw/text_and_metadata.h"
#include "aw/time.h"
#include "boxes/box_writer.h"
#include "writer/edit_list.h"
#include "writer/track_state.h"

namespace aw {

struct MovieContext {
  FileType file_type = FileType::kMpeg4;
  int32_t movie_timescale = 1000;
  uint64_t creation_time = 0;  // seconds since 1904
  Time session_start;
  Time session_end;
  const Metadata* metadata = nullptr;
  // Written as a Nero chapter list (udta/chpl) in mp4, m4v and m4a; the chapter track is one of the tracks.
  std::span<const Chapter> chapters;
  // Fragmented movies: headers in version 1 (rewritten in place at finish) and an mvex.
  bool fragmented = false;
  std::optional<uint64_t> fragment_duration;  // mehd, movie timescale
  // Plain movies: B-frame reordering stored as signed composition offsets (ctts version 1 + cslg) that
  // put the first presented frame at media time 0, instead of non-negative offsets and an edit list.
  bool signed_composition_offsets = false;
  // A header of this one track (index into the tracks; its track ID stays index + 1), without its
  // references to the others: segments with one track per header.
  std::optional<size_t> only_track;
  // When not empty, per track the one sample description (1-based) its stsd holds, instead of all of them:
  // a segment's initialization header is for one format.
  std::span<const uint32_t> only_descriptions;
};

// What the moov says about each track's media besides its sample table.
struct TrackSummary {
  MediaExtent extent;
  uint64_t media_duration = 0;  // mdhd, media timescale
  bool signed_composition_offsets = false;  // extent.composition_shift may leave offsets negative
};

// From the tracks' own sample tables (plain and moov-first movies).
std::vector<TrackSummary> summarize_tables(const std::vector<TrackState>& tracks, bool signed_composition_offsets);

// `payload_base` is the file offset chunk offsets are relative to.
std::vector<uint8_t> build_moov(const std::vector<TrackState>& tracks, std::span<const TrackSummary> summaries,
                                const MovieContext& movie, uint64_t payload_base);

}  // namespace aw
