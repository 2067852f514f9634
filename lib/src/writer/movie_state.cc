#include "writer/movie_state.h"

#include <algorithm>
#include <chrono>
#include <limits>

namespace aw {
namespace {

std::string directory_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

MovieContext MovieState::context() const {
  MovieContext movie;
  movie.file_type = file_type;
  movie.movie_timescale = settings.movie_timescale;
  int64_t unix_seconds = settings.creation_time_unix
                             ? *settings.creation_time_unix
                             : std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
  movie.creation_time = static_cast<uint64_t>(unix_seconds + static_cast<int64_t>(kSecondsFrom1904To1970));
  movie.session_start = session_start;
  movie.session_end = session_end;
  movie.metadata = &settings.metadata;
  movie.chapters = written_chapters;
  return movie;
}

FileTypeBox MovieState::file_type_box(bool stays_fragmented) const {
  std::vector<Codec> codecs;
  for (const auto& t : tracks) codecs.push_back(t.format.codec);
  return file_type_box_for(file_type, {.codecs = codecs,
                                       .stays_fragmented = stays_fragmented,
                                       .signed_composition_offsets = settings.signed_composition_offsets});
}

std::string MovieState::temporary_directory() const {
  return settings.temporary_directory.empty() ? directory_of(path) : settings.temporary_directory;
}

uint64_t MovieState::duration(std::span<const TrackSummary> summaries) const {
  uint64_t longest = 0;
  for (size_t i = 0; i < tracks.size() && i < summaries.size(); ++i) {
    auto timeline = compute_track_timeline(summaries[i].extent, tracks[i].timescale, session_start, session_end,
                                           settings.movie_timescale);
    longest = std::max(longest, timeline.duration);
  }
  return longest;
}

void MovieState::close_sample_tables() {
  for (TrackState& track : tracks) {
    const auto& stts = track.table.time_to_sample();
    int64_t previous = stts.empty() ? 0 : stts.back().delta;
    int64_t last = last_sample_duration(track.last_duration_hint, previous, track.timescale);
    track.table.finish(static_cast<uint32_t>(std::min<int64_t>(last, std::numeric_limits<uint32_t>::max())));
  }
}

std::vector<TrackSummary> MovieState::summarize_tables() const {
  return aw::summarize_tables(tracks, settings.signed_composition_offsets);
}

std::optional<size_t> MovieState::first_video_track() const {
  for (size_t i = 0; i < tracks.size(); ++i) {
    if (tracks[i].format.media_type == MediaType::kVideo) return i;
  }
  return std::nullopt;
}

}  // namespace aw
