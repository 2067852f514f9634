// Edit lists: map a track's media onto the movie timeline, which starts at the session start.
//  - media presented before the session start (pre-roll, B-frame reordering delay) is skipped by the
//    media edit's media_time, not dropped: the decoder still gets the whole GOP;
//  - a track starting after the session start gets an empty edit first;
//  - media after the session end is cut by the media edit's duration.
#pragma once

#include <cstdint>
#include <vector>

#include "aw/time.h"
#include "boxes/movie_boxes.h"
#include "tables/sample_table.h"

namespace aw {

struct TrackTimeline {
  std::vector<EditListEntry> edits;  // empty when the media maps 1:1 from time 0
  uint64_t duration = 0;             // movie timescale: what tkhd declares
};

TrackTimeline compute_track_timeline(const SampleTable& table, int32_t media_timescale, const Time& session_start,
                                     const Time& session_end, int32_t movie_timescale);

}  // namespace aw
