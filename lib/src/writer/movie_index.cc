#include "writer/movie_index.h"

#include <algorithm>

#include "boxes/track_reference_boxes.h"
#include "codecs/track_format.h"

namespace aw {
namespace {

// The chapters that start before the movie ends (the last one lasts until then).
std::vector<Chapter> chapters_inside(const MovieState& movie, const Time& movie_end) {
  std::vector<Chapter> kept;
  for (const Chapter& c : movie.chapters) {
    if (c.start < movie_end) kept.push_back(c);
  }
  return kept;
}

// The chapter text track: QuickTime's own text description in a movie (what QuickTime Player and ffmpeg's
// mov muxer use for chapters), tx3g in the ISO files; disabled, as Apple's writer makes it.
Result<TrackState> chapter_track_for(FileType file_type) {
  TrackState chapter;
  chapter.input = AssetWriterInput::create(MediaType::kText, FormatDescription{Codec::kTx3g});
  chapter.input->name = "chapters";
  chapter.name = "chapters";
  AW_ASSIGN_OR_RETURN(chapter.format, make_track_format(chapter.input->source_format()));
  if (file_type == FileType::kQuickTimeMovie) chapter.format.sample_entry = FourCC("text");
  chapter.chapter_track = true;
  chapter.timescale = 1000;
  return chapter;
}

// Every audio and video track names the chapter track, as Apple's writer and ffmpeg do.
void reference_chapters(std::vector<TrackState>& tracks, uint32_t chapter_id) {
  for (TrackState& track : tracks) {
    if (is_sparse(track.format.media_type)) continue;
    bool has_chapters = std::any_of(track.references.begin(), track.references.end(),
                                    [](const auto& r) { return r.first == FourCC("chap"); });
    if (!has_chapters) track.references.emplace_back(FourCC("chap"), chapter_id);
  }
}

Status add_chapter_track(MovieState& movie, const PlaceChapterSamples& place) {
  if (movie.chapters.empty()) return Status::ok();
  Time movie_end(static_cast<int64_t>(movie.duration(movie.summarize_tables())), movie.settings.movie_timescale);
  std::vector<Chapter> kept = chapters_inside(movie, movie_end);
  if (kept.empty()) return Status::ok();

  AW_ASSIGN_OR_RETURN(TrackState chapter, chapter_track_for(movie.file_type));
  std::vector<uint8_t> samples;
  int64_t end_ticks = (movie.session_start + movie_end).rescaled(chapter.timescale).value_or(0);
  int64_t last_dts = 0;
  for (const Chapter& c : kept) {
    AW_ASSIGN_OR_RETURN(std::vector<uint8_t> sample, make_text_sample(c.title));
    last_dts = (movie.session_start + c.start).rescaled(chapter.timescale).value_or(0);
    chapter.table.add_sample(last_dts, last_dts, static_cast<uint32_t>(sample.size()), true);
    samples.insert(samples.end(), sample.begin(), sample.end());
  }
  chapter.table.finish(static_cast<uint32_t>(std::max<int64_t>(1, end_ticks - last_dts)));
  AW_ASSIGN_OR_RETURN(uint64_t offset, place(samples));
  chapter.table.add_chunk(offset, static_cast<uint32_t>(kept.size()));

  reference_chapters(movie.tracks, static_cast<uint32_t>(movie.tracks.size() + 1));
  movie.tracks.push_back(std::move(chapter));
  movie.written_chapters = std::move(kept);
  return Status::ok();
}

}  // namespace

Result<std::vector<TrackSummary>> finish_movie_index(MovieState& movie, const PlaceChapterSamples& place) {
  movie.close_sample_tables();
  AW_RETURN_IF_ERROR(add_chapter_track(movie, place));
  std::vector<TrackSummary> summaries = movie.summarize_tables();
  movie.final_duration = movie.duration(summaries);
  return summaries;
}

}  // namespace aw
