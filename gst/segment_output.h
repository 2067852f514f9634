// Segment mode's files: the aw::SegmentDelegate that hands each initialization and media segment to its
// Rendition (one for all tracks, or one per track), which writes it under its name, rewrites its media
// playlist and keeps the sliding window of a live stream; then it rewrites the multivariant playlist. Plain C++ (no
// GStreamer types), so it is unit-tested on its own; the element supplies the stream description and turns the
// callbacks into signals, messages and errors.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aw/segments.h"
#include "aw/status.h"
#include "hls_playlist.h"
#include "segment_rendition.h"

namespace gstaw {

// "segment%05d.m4s" with index 7 → "segment00007.m4s". The pattern holds exactly one integer conversion
// (%d, %u, %i, optionally with a 0 flag and a width) and may hold "%%"; anything else is an error naming
// the pattern (the user's text is never handed to printf).
aw::Result<std::string> format_segment_name(const std::string& pattern, uint64_t index);
aw::Status check_segment_pattern(const std::string& pattern);

// `target` as a URI relative to the directory of `playlist` ("seg/segment00001.m4s"), or absolute when
// they share no directory prefix worth walking up to.
std::string uri_relative_to(const std::string& target, const std::string& playlist);

// Writes `data` to `path.tmp`, fsyncs it when `sync`, renames it over `path` (and fsyncs the directory),
// so a reader sees the old file or the new one, never half of one.
aw::Status write_file_atomically(const std::string& path, std::span<const uint8_t> data, bool sync);

// The duration a playlist gives a segment: its first video track's (what players step through), else its
// longest track's.
int64_t segment_duration_ns(const aw::SegmentReport& report);
// The earliest presentation time among the segment's tracks, in nanoseconds (source timeline).
int64_t segment_start_ns(const aw::SegmentReport& report);

// "%s/init.mp4" with "audio_0" → "audio_0/init.mp4": every %s becomes the track's rendition name; %%
// stays as it is (a segment pattern keeps it for format_segment_name).
std::string expand_rendition_name(const std::string& text, const std::string& name);
// Whether `text` holds a %s (not an escaped %%s).
bool has_rendition_name(const std::string& text);

struct SegmentOutputConfig {
  std::string segment_pattern = "segment%05d.m4s";
  std::string init_location = "init.mp4";
  std::string playlist_location = "index.m3u8";  // empty: no media playlist
  std::string multivariant_location;             // empty: no multivariant playlist
  uint32_t playlist_length = 0;                  // segments listed; 0: all (an EVENT playlist)
  uint32_t max_files = 0;                        // segment files kept on disk; 0: all
  bool program_date_time = false;
  bool sync = true;                 // fsync each file before it is renamed into place
  int64_t segment_interval_ns = 0;  // the requested interval: the target duration's floor
  uint64_t first_index = 0;
  // One track per header: each track is a rendition of its own, with its files named by the locations
  // above with %s replaced by its name (directories created as needed), and the multivariant playlist
  // groups audio renditions (EXT-X-MEDIA) under the video variants.
  bool one_track_per_header = false;
};

class SegmentOutput : public aw::SegmentDelegate {
 public:
  struct Callbacks {
    // Called once per track with the track's ID, when its header arrives.
    std::function<TrackDescription(uint32_t track_id)> describe_track;
    std::function<void(const std::string& location, uint64_t size)> init_written;
    // After the segment and the playlists are on disk, before files leaving the window are deleted.
    std::function<void(const WrittenSegment&)> segment_written;
    std::function<int64_t()> now_us;  // wall clock for EXT-X-PROGRAM-DATE-TIME
  };

  // Fails for a pattern without exactly one integer conversion, an empty init location, or (one track per
  // header) locations without %s.
  static aw::Result<std::unique_ptr<SegmentOutput>> create(SegmentOutputConfig config, Callbacks callbacks);

  // The first error is returned to the writer, which fails with it; nothing is written after it, so the
  // playlists on disk only ever name complete files.
  aw::Status did_output_segment_data(std::span<const uint8_t> data, aw::SegmentType type,
                                     const aw::SegmentReport* report) override;

  // Ends the playlists (EXT-X-ENDLIST) after the writer delivered its last segment.
  aw::Status finish();

  // Whether files are fsynced (config.sync until then): the element decides it once it knows whether upstream
  // is live, before the first header.
  void set_sync(bool sync);

  aw::Status error() const;
  uint64_t segments_written() const;
  // The (first) media playlist as last written (for tests and diagnostics).
  std::string media_playlist_text() const;

 private:
  SegmentOutput(SegmentOutputConfig config, Callbacks callbacks);
  aw::Status write_init(std::span<const uint8_t> data, const aw::SegmentReport* report);
  aw::Status write_segment(std::span<const uint8_t> data, const aw::SegmentReport& report);
  aw::Status write_multivariant_playlist(bool last);
  Rendition* rendition_of(const aw::SegmentReport& report);
  aw::Status fail(aw::Status status);

  const SegmentOutputConfig config_;
  const Callbacks callbacks_;
  mutable std::mutex mutex_;
  aw::Status error_;
  bool sync_;
  uint64_t written_ = 0;
  std::vector<std::unique_ptr<Rendition>> renditions_;
  std::map<uint32_t, Rendition*> rendition_of_track_;
};

}  // namespace gstaw
