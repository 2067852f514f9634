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

// Where a track's media lies, in its media timescale.
struct MediaExtent {
  bool empty = true;
  int64_t first_dts = 0;
  int64_t min_pts = 0;
  int64_t max_pts_end = 0;        // ignored when open_ended
  int32_t composition_shift = 0;  // added to every pts - dts in the file (0 with signed offsets)
  bool open_ended = false;        // still being written: the media edit runs to the end (duration 0)
  // Encoder delay (AAC priming, Opus pre-skip) in media ticks: decoded but never presented, so the
  // presentation starts this far into the media.
  int64_t priming = 0;
};
MediaExtent extent_of(const SampleTable& table);

struct TrackTimeline {
  std::vector<EditListEntry> edits;  // empty when the media maps 1:1 from time 0
  uint64_t duration = 0;             // movie timescale: what tkhd declares
  // The media edit's media time and length in the media timescale (what the edit shows of the media);
  // both 0 when nothing is shown or the track is still open-ended.
  int64_t media_time = 0;
  int64_t media_length = 0;
};

TrackTimeline compute_track_timeline(const MediaExtent& media, int32_t media_timescale, const Time& session_start,
                                     const Time& session_end, int32_t movie_timescale);

}  // namespace aw
