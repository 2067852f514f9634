// One stream of segments and its HLS media playlist: every track muxed together, or, with one track per
// header, one track (an HLS rendition, a CMAF track). It writes the init segment and each media segment
// under its name, keeps the playlist's window and target duration, deletes files that left the live window,
// and measures the bit rates the multivariant playlist states. Plain C++, driven by SegmentOutput.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "aw/segments.h"
#include "aw/status.h"
#include "hls_playlist.h"

namespace gstaw {

// What the multivariant playlist says about a track, from the element's pads.
struct TrackDescription {
  std::string name;  // the rendition name with one track per header: the pad's ("video_0")
  aw::MediaType media_type = aw::MediaType::kVideo;
  std::string codec;     // RFC 6381; empty: unknown
  std::string language;  // RFC 5646 ("en"); empty: unknown
  std::optional<std::pair<uint32_t, uint32_t>> resolution;
  std::optional<double> frame_rate;
};

// Where one rendition's files go.
struct RenditionFiles {
  std::string segment_pattern;  // with one %d conversion
  std::string init_location;
  std::string playlist_location;  // empty: no media playlist
};

struct RenditionSettings {
  uint32_t playlist_length = 0;  // 0: all segments, an EVENT playlist
  uint32_t max_files = 0;        // 0: keep all
  bool program_date_time = false;
  bool sync = true;
  int64_t segment_interval_ns = 0;
  uint64_t first_index = 0;
};

// Where the n-th further initialization segment (after a format change) goes: init.mp4 -> init-1.mp4.
std::string numbered_init_location(const std::string& init_location, uint64_t number);

struct WrittenSegment {
  std::string rendition;  // empty when every track is in one stream
  std::string location;
  std::string uri;       // as listed in the playlist
  uint64_t index = 0;    // the number in the file name, also the segment's media sequence number
  int64_t start_ns = 0;  // earliest presentation time
  int64_t duration_ns = 0;
  uint64_t size = 0;
  aw::SegmentReport report;
};

class Rendition {
 public:
  Rendition(std::string name, RenditionFiles files, RenditionSettings settings, std::vector<TrackDescription> tracks);

  const std::string& name() const { return name_; }
  const RenditionFiles& files() const { return files_; }
  const std::vector<TrackDescription>& tracks() const { return tracks_; }

  aw::Status write_init(std::span<const uint8_t> data);
  // A further initialization segment (a format change): written beside the first, numbered, and named
  // with EXT-X-DISCONTINUITY and EXT-X-MAP before the next segment. Returns its location.
  aw::Result<std::string> write_next_init(std::span<const uint8_t> data);
  // Writes the segment and the media playlist that lists it. `now_us` is the wall clock for
  // EXT-X-PROGRAM-DATE-TIME.
  aw::Result<WrittenSegment> write_segment(std::span<const uint8_t> data, const aw::SegmentReport& report,
                                           const std::function<int64_t()>& now_us);
  // Deletes the segment files past max-files (after the app was told about the newest).
  void delete_old_files();
  // EXT-X-ENDLIST, once the writer delivered its last segment.
  aw::Status end();

  uint64_t segments_written() const { return written_; }
  uint64_t peak_bandwidth() const { return peak_bandwidth_; }
  std::optional<uint64_t> average_bandwidth() const;
  // False once a segment started without a sync sample (the writer's maximum segment duration cut it).
  bool independent_segments() const { return playlist_.independent_segments; }
  std::string playlist_text() const { return hls::render(playlist_); }

 private:
  aw::Status write_playlist();

  const std::string name_;
  const RenditionFiles files_;
  const RenditionSettings settings_;
  const std::vector<TrackDescription> tracks_;
  uint64_t next_index_;
  uint64_t written_ = 0;
  uint64_t inits_ = 0;         // further initialization segments written
  std::string next_map_uri_;   // for the next segment, after a further one
  hls::MediaPlaylist playlist_;
  std::deque<std::string> files_on_disk_;
  int64_t longest_ns_ = 0;
  uint64_t peak_bandwidth_ = 0;
  uint64_t total_bytes_ = 0;
  int64_t total_ns_ = 0;
  // EXT-X-PROGRAM-DATE-TIME: the wall clock of the first segment's start, and that start.
  std::optional<std::pair<int64_t, int64_t>> clock_anchor_;
};

}  // namespace gstaw
