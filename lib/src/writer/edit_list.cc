#include "writer/edit_list.h"

#include <algorithm>

namespace aw {
namespace {

uint64_t to_movie(int64_t media_ticks, int32_t media_timescale, int32_t movie_timescale) {
  if (media_ticks <= 0) return 0;
  return static_cast<uint64_t>(Time(media_ticks, media_timescale).rescaled(movie_timescale).value_or(0));
}

}  // namespace

MediaExtent extent_of(const SampleTable& table) {
  MediaExtent e;
  e.empty = table.empty();
  e.first_dts = table.first_dts();
  e.min_pts = table.min_pts();
  e.max_pts_end = table.max_pts_end();
  e.composition_shift = table.composition_shift();
  return e;
}

TrackTimeline compute_track_timeline(const MediaExtent& media, int32_t media_timescale, const Time& session_start,
                                     const Time& session_end, int32_t movie_timescale) {
  TrackTimeline timeline;
  if (media.empty) return timeline;

  // Presentation times in the media timescale. Without a session start the movie starts at the
  // track's first presented sample.
  int64_t start = session_start.is_numeric() ? session_start.rescaled(media_timescale).value_or(0) : media.min_pts;
  // Primed media is presented `priming` ticks after its time stamps say (the first decoded samples are the
  // encoder's delay), so a session time t is media time t + priming, wherever the session starts.
  int64_t visible_begin = std::max(start, media.min_pts) + media.priming;
  int64_t visible_end = media.max_pts_end;
  bool cut_at_end = false;
  if (session_end.is_numeric()) {
    int64_t end = session_end.rescaled(media_timescale).value_or(visible_end) + media.priming;
    if (end < visible_end) {
      visible_end = end;
      cut_at_end = true;
    }
  }
  if (media.open_ended) {
    int64_t media_time = visible_begin + media.composition_shift - media.first_dts;
    uint64_t empty_edit = to_movie(std::max(start, media.min_pts) - start, media_timescale, movie_timescale);
    timeline.duration = empty_edit;
    if (empty_edit > 0) timeline.edits.push_back({empty_edit, -1});
    // Duration 0: the edit extends over every fragment still to come (14496-12 8.6.6.3).
    if (empty_edit > 0 || media_time != 0) timeline.edits.push_back({0, media_time});
    return timeline;
  }
  if (visible_end <= visible_begin) {
    // Nothing of this track is inside the session: an empty track of the session's length.
    return timeline;
  }

  // Priming shifts the media under the movie timeline; it does not delay the track.
  int64_t empty = std::max<int64_t>(0, std::max(start, media.min_pts) - start);
  // Media time of a presentation time p: its composition time on a media timeline that starts at the
  // first decode time, with offsets shifted to be non-negative.
  int64_t media_time = visible_begin + media.composition_shift - media.first_dts;
  uint64_t media_edit = to_movie(visible_end - visible_begin, media_timescale, movie_timescale);
  uint64_t empty_edit = to_movie(empty, media_timescale, movie_timescale);

  timeline.duration = empty_edit + media_edit;
  timeline.media_time = media_time;
  timeline.media_length = visible_end - visible_begin;
  if (empty_edit == 0 && media_time == 0 && !cut_at_end) return timeline;
  if (empty_edit > 0) timeline.edits.push_back({empty_edit, -1});
  timeline.edits.push_back({media_edit, media_time});
  return timeline;
}

}  // namespace aw
