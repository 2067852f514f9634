// Segment mode's files: the aw::SegmentDelegate that writes the initialization segment and each media
// segment under its name, rewrites the HLS playlists after every segment, and keeps the sliding window of
// a live stream. Plain C++ (no GStreamer types), so it is unit-tested on its own; the element supplies the
// stream description and turns the callbacks into signals, messages and errors.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aw/segments.h"
#include "aw/status.h"
#include "hls_playlist.h"

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
};

// What the multivariant playlist says about the stream, gathered by the element from its pads' caps.
struct StreamDescription {
  std::vector<std::string> codecs;
  std::optional<std::pair<uint32_t, uint32_t>> resolution;
  std::optional<double> frame_rate;
};

struct WrittenSegment {
  std::string location;
  std::string uri;       // as listed in the playlist
  uint64_t index = 0;    // the number in the file name, also the segment's media sequence number
  int64_t start_ns = 0;  // earliest presentation time
  int64_t duration_ns = 0;
  uint64_t size = 0;
  aw::SegmentReport report;
};

class SegmentOutput : public aw::SegmentDelegate {
 public:
  struct Callbacks {
    std::function<StreamDescription()> describe_stream;  // called once, before the first playlist
    std::function<void(const std::string& location, uint64_t size)> init_written;
    // After the segment and the playlists are on disk, before files leaving the window are deleted.
    std::function<void(const WrittenSegment&)> segment_written;
    std::function<void(const aw::Status&)> failed;  // the first error only; nothing is written after it
    std::function<int64_t()> now_us;                // wall clock for EXT-X-PROGRAM-DATE-TIME
  };

  // Fails for a pattern without exactly one integer conversion or an empty init location.
  static aw::Result<std::unique_ptr<SegmentOutput>> create(SegmentOutputConfig config, Callbacks callbacks);

  void did_output_segment_data(std::span<const uint8_t> data, aw::SegmentType type,
                               const aw::SegmentReport* report) override;

  // Ends the playlists (EXT-X-ENDLIST) after the writer delivered its last segment.
  aw::Status finish();

  aw::Status error() const;
  uint64_t segments_written() const;
  // The media playlist as last written (for tests and diagnostics).
  std::string media_playlist_text() const;

 private:
  SegmentOutput(SegmentOutputConfig config, Callbacks callbacks);
  aw::Status write_init(std::span<const uint8_t> data);
  aw::Status write_segment(std::span<const uint8_t> data, const aw::SegmentReport& report);
  aw::Status write_playlists();
  void delete_old_files();
  void fail(const aw::Status& status);

  const SegmentOutputConfig config_;
  const Callbacks callbacks_;
  mutable std::mutex mutex_;
  aw::Status error_;
  uint64_t next_index_;
  uint64_t written_ = 0;
  hls::MediaPlaylist playlist_;
  std::optional<StreamDescription> stream_;
  std::deque<std::string> files_on_disk_;
  int64_t longest_ns_ = 0;
  uint64_t peak_bandwidth_ = 0;
  uint64_t total_bytes_ = 0;
  int64_t total_ns_ = 0;
  // EXT-X-PROGRAM-DATE-TIME: the wall clock of the first segment's start, and that start.
  std::optional<std::pair<int64_t, int64_t>> clock_anchor_;
};

}  // namespace gstaw
