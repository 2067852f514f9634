// One stream of segments and its HLS media playlist: every track muxed together, or, with one track per
// header, one track (an HLS rendition, a CMAF track). It writes the init segment and each media segment
// under its name, keeps the playlist's window and target duration, deletes files that left the live window,
// and measures the bit rates the multivariant playlist states. Driven by the HlsPackager.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "aw/hls_packager.h"
#include "aw/hls_storage.h"
#include "aw/segments.h"
#include "aw/status.h"
#include "manifest/hls_playlist.h"
#include "manifest/segment_naming.h"

namespace aw {

// The duration a playlist gives a segment: its first video track's (what players step through), else its
// longest track's.
int64_t segment_duration_ns(const SegmentReport& report);
// The earliest presentation time among the segment's tracks, in nanoseconds (source timeline).
int64_t segment_start_ns(const SegmentReport& report);

// Where EXT-X-PROGRAM-DATE-TIME comes from (HlsPackager::Callbacks::now_us and wall_clock_us_at).
struct WallClock {
  std::function<int64_t()> now_us;
  std::function<int64_t(int64_t media_ns)> at_media_ns;  // empty: anchored once by now_us
};

struct RenditionSettings {
  uint32_t playlist_length = 0;  // 0: all segments, an EVENT playlist
  uint32_t max_files = 0;        // 0: keep all
  bool program_date_time = false;
  int64_t segment_interval_ns = 0;
  uint64_t first_index = 0;
  std::string playlist_root;  // prefixed to every URI (HlsPackagerConfig::playlist_root)
  bool vod = false;           // EXT-X-PLAYLIST-TYPE:VOD once ended (EVENT until then)
  int64_t part_interval_ns = 0;  // Low-Latency HLS parts; 0: none
  bool part_files = false;       // each part a file of its own (else a byte range of the growing segment)
  bool delta_updates = false;    // a delta playlist beside the playlist (HlsPackagerConfig::delta_updates)
};

class Rendition {
 public:
  // Every file goes through `storage`, which outlives the rendition.
  Rendition(std::string name, RenditionFiles files, RenditionSettings settings,
            std::vector<HlsTrackDescription> tracks, HlsStorage& storage);

  const std::string& name() const { return name_; }
  const RenditionFiles& files() const { return files_; }
  const std::vector<HlsTrackDescription>& tracks() const { return tracks_; }

  Status write_init(std::span<const uint8_t> data);
  // A further initialization segment (a format change): written beside the first, numbered, and named
  // with EXT-X-DISCONTINUITY and EXT-X-MAP before the next segment. Returns its location.
  Result<std::string> write_next_init(std::span<const uint8_t> data);
  // Writes the segment and the media playlist that lists it (after its parts, if they came first).
  Result<HlsWrittenSegment> write_segment(std::span<const uint8_t> data, const SegmentReport& report,
                                          const WallClock& clock);
  // Writes a part of the segment in progress (appended to its file, or a file of its own) and the media
  // playlist that names it.
  Result<HlsPublishedPart> write_part(std::span<const uint8_t> data, const PartReport& report, const WallClock& clock);
  // This rendition's live edge as another rendition's playlist reports it (URI left empty); none before
  // anything was published.
  std::optional<hls::RenditionReport> live_edge() const;
  // The EXT-X-RENDITION-REPORTs the next playlist written carries.
  void set_rendition_reports(std::vector<hls::RenditionReport> reports) {
    playlist_.rendition_reports = std::move(reports);
  }
  // Removes the segment files past max-files (after the app was told about the newest). A file the storage
  // could not remove is left behind: the stream goes on.
  void delete_old_files();
  // EXT-X-ENDLIST, once the writer delivered its last segment.
  Status end();

  uint64_t segments_written() const { return written_; }
  uint64_t peak_bandwidth() const { return peak_bandwidth_; }
  std::optional<uint64_t> average_bandwidth() const;
  // False once a segment started without a sync sample (the writer's maximum segment duration cut it).
  bool independent_segments() const { return playlist_.independent_segments; }
  std::string playlist_text() const { return hls::render(playlist_); }
  // Empty without delta updates.
  std::string delta_playlist_text() const;

 private:
  Status write_playlist();
  // A whole file through the storage: opened, written, closed.
  Status write_whole(const std::string& location, HlsFileKind kind, std::span<const uint8_t> data);
  // `location` as the media playlist names it.
  std::string uri_of(const std::string& location) const;
  // The first part of a segment: its file (byte ranges) and its entry, listed after the last EXTINF.
  Status begin_segment(const PartReport& first, const WallClock& clock);
  void fix_part_target(const PartReport& first);
  // A new playlist entry with the tags a segment starting at `start_ns` carries (a pending EXT-X-MAP after a
  // format change, EXT-X-PROGRAM-DATE-TIME), read `elapsed_ns` after that start.
  hls::MediaSegment new_entry(int64_t start_ns, int64_t elapsed_ns, const WallClock& clock);
  // The segment in progress is complete: its file closed (byte ranges) or written whole (part files).
  Result<hls::MediaSegment> complete_segment(std::span<const uint8_t> data);
  // Parts are listed for the segments of the last three target durations only (rfc8216bis 4.4.4.9).
  void trim_parts();
  // Where the next part will be: in the segment in progress, or the first of the next segment.
  hls::PreloadHint next_part_hint() const;

  const std::string name_;
  const RenditionFiles files_;
  const RenditionSettings settings_;
  const std::vector<HlsTrackDescription> tracks_;
  HlsStorage& storage_;
  uint64_t next_index_;
  uint64_t written_ = 0;
  uint64_t inits_ = 0;        // further initialization segments written
  std::string next_map_uri_;  // for the next segment, after a further one
  hls::MediaPlaylist playlist_;
  struct StoredFile {
    std::string location;
    HlsFileKind kind;
  };
  std::deque<std::vector<StoredFile>> files_on_disk_;  // per segment: its file, and its part files
  // The segment whose parts are being written.
  struct InProgress {
    uint64_t index = 0;
    std::string location;
    std::unique_ptr<HlsStorageWriter> file;  // byte ranges: the growing segment file
    uint64_t size = 0;
    uint32_t parts = 0;
    std::vector<StoredFile> files;  // the segment's and its parts' files
  };
  std::optional<InProgress> in_progress_;
  int64_t longest_ns_ = 0;
  uint64_t peak_bandwidth_ = 0;
  uint64_t total_bytes_ = 0;
  int64_t total_ns_ = 0;
  // EXT-X-PROGRAM-DATE-TIME: the wall clock of the first segment's start, and that start.
  std::optional<std::pair<int64_t, int64_t>> clock_anchor_;
};

}  // namespace aw
