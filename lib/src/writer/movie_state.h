// MovieState: what the writer knows about the movie it is making — where it goes, its settings, the
// tracks with their sample tables, the session — shared by the core (which fills it) and the output mode
// (which lays it out in a file or in segments).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aw/asset_writer.h"
#include "aw/writer_observer.h"
#include "boxes/brands.h"
#include "writer/movie_box.h"
#include "writer/track_state.h"

namespace aw {

struct WriterSettings {
  Metadata metadata;
  bool optimize_for_network_use = false;
  std::string temporary_directory;  // empty: the output's directory
  int32_t movie_timescale = 0;
  Time interleave_interval = Time(500, 1000);
  std::optional<int64_t> creation_time_unix;
  // Movie fragments (AVAssetWriter's movieFragmentInterval and friends); invalid interval: none.
  Time movie_fragment_interval;
  Time initial_movie_fragment_interval;
  uint32_t initial_movie_fragment_sequence_number = 1;
  Time overall_duration_hint;
  bool produces_combinable_fragments = false;
  bool sync_fragments_to_disk = true;
  // Moov-first: bytes reserved in front of the media for the moov (0: estimated from
  // overall_duration_hint when that is set, else none and the media is copied once at finish).
  uint64_t reserved_moov_size = 0;
  // Plain movies: signed composition offsets (ctts version 1 + cslg) instead of an edit-list shift.
  bool signed_composition_offsets = false;
  // Segment output.
  Time preferred_output_segment_interval = Time(6, 1);
  Time preferred_output_part_interval;  // invalid: segments without parts
  Time initial_segment_start_time;
  FileTypeProfile output_file_type_profile = FileTypeProfile::kMpeg4AppleHls;
  bool one_track_per_header = false;
  Time maximum_segment_duration;  // invalid: three preferred intervals
  // Plain movies are recorded as fragments of this interval and rewritten as a plain movie at finish,
  // so a killed recording is still a playable (fragmented) file. Invalid: one plain mdat, not crash-safe.
  Time crash_recovery_interval = Time(2, 1);
};

struct MovieState {
  std::string path;  // empty for segment output
  FileType file_type = FileType::kMpeg4;
  WriterSettings settings;
  std::vector<TrackState> tracks;
  Time session_start;
  Time session_end;
  std::vector<Chapter> chapters;          // as set; the chapter track is made of them at finish
  std::vector<Chapter> written_chapters;  // the chapters inside the movie, once the chapter track exists
  WriterObserver* observer = nullptr;     // told about durable fragments and the finished file
  uint64_t final_duration = 0;            // movie timescale: what the finished movie's mvhd says

  // What build_moov needs besides the tracks.
  MovieContext context() const;
  // ftyp for this file type and the tracks' codecs.
  FileTypeBox file_type_box(bool stays_fragmented = false) const;
  // Where temporary files go: the configured directory, else the output's.
  std::string temporary_directory() const;
  // The movie's duration in the movie timescale: its longest track's, edits applied.
  uint64_t duration(std::span<const TrackSummary> summaries) const;
  // Ends every track's sample table: the last sample gets its duration (track_state.h).
  void close_sample_tables();
  // The tracks' summaries from their own sample tables (movies indexed as a whole).
  std::vector<TrackSummary> summarize_tables() const;
  // The index of the first video track: fragments and segments start on its sync samples.
  std::optional<size_t> first_video_track() const;
};

}  // namespace aw
