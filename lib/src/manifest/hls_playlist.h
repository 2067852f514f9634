// HLS playlists as text (RFC 8216 and its draft successor, rfc8216bis): the media playlist that lists fMP4
// segments and the multivariant playlist that points at it with CODECS, BANDWIDTH and RESOLUTION.
// The packager (hls_packager.cc) fills the structs; this file only renders them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aw::hls {

// A Partial Segment (rfc8216bis 4.4.4.9, EXT-X-PART): a byte range of its segment's file, or a file of its own.
struct Part {
  std::string uri;
  int64_t duration_ns = 0;
  bool independent = false;
  std::optional<std::pair<uint64_t, uint64_t>> byte_range;  // length, offset
};

// EXT-X-PRELOAD-HINT (4.4.5.2) of the part that comes next: in the growing segment file from an offset, or
// the next part's file.
struct PreloadHint {
  std::string uri;
  std::optional<uint64_t> byte_range_start;
};

// EXT-X-RENDITION-REPORT (4.4.5.1): where another rendition's live edge is.
struct RenditionReport {
  std::string uri;
  uint64_t last_msn = 0;
  std::optional<uint32_t> last_part;
};

struct MediaSegment {
  std::string uri;
  int64_t duration_ns = 0;
  // Wall-clock time of the segment's first sample, microseconds since the Unix epoch
  // (EXT-X-PROGRAM-DATE-TIME).
  std::optional<int64_t> program_date_time_us;
  // A format change starts here (RFC 8216 4.3.2.3): EXT-X-DISCONTINUITY, and the EXT-X-MAP of its new
  // initialization segment (4.3.2.5), which applies until the next one.
  bool discontinuity = false;
  std::string map_uri;  // empty: the previous segment's
  std::vector<Part> parts;  // listed before its EXTINF; empty once it is out of the low-latency window
};

struct MediaPlaylist {
  // 7: EXT-X-MAP in a playlist without I-frames-only needs version 6+, and fMP4 segments are
  // Apple's version 7 (rfc8216bis 4.4.4.5, "Protocol Version Compatibility").
  int version = 7;
  uint64_t target_duration_s = 1;
  uint64_t media_sequence = 0;
  // EXT-X-DISCONTINUITY-SEQUENCE: the discontinuities that left a live playlist's window (6.2.2).
  uint64_t discontinuity_sequence = 0;
  std::string map_uri;        // EXT-X-MAP:URI, the initialization segment; empty: none
  std::string playlist_type;  // "EVENT", "VOD" or empty
  bool independent_segments = true;
  std::vector<MediaSegment> segments;
  bool ended = false;  // EXT-X-ENDLIST
  // Low-Latency HLS. part_target_ns 0: none of it. Otherwise EXT-X-PART-INF and EXT-X-SERVER-CONTROL, the
  // parts of the segment still being written after the last EXTINF (in_progress, whose uri is unused), the
  // hint of the next part (not once ended) and the other renditions' reports. No tag here needs a version
  // above 7 (EXT-X-SKIP, which needs 9, is only in render_delta's text).
  int64_t part_target_ns = 0;
  std::optional<MediaSegment> in_progress;
  std::optional<PreloadHint> preload_hint;
  std::vector<RenditionReport> rendition_reports;
  // CAN-SKIP-UNTIL (4.4.3.8): the server answers "_HLS_skip=YES" with render_delta(); 0: it does not.
  int64_t skip_until_ns = 0;
};

std::string render(const MediaPlaylist& playlist);
// The Playlist Delta Update (6.2.5.1): the segments that start more than skip_until_ns before the end of
// the listed segments become one EXT-X-SKIP (version 9); the rest as render() writes it. Nothing to skip:
// render()'s text.
std::string render_delta(const MediaPlaylist& playlist);

// Drops the oldest segment of a live window, keeping what it started for the ones that stay: its
// EXT-X-MAP becomes the playlist's, and a discontinuity counts in EXT-X-DISCONTINUITY-SEQUENCE.
void drop_first_segment(MediaPlaylist& playlist);

// EXT-X-MEDIA: an alternative rendition (separate audio) that variants name by its GROUP-ID.
struct Rendition {
  std::string type = "AUDIO";
  std::string group_id;
  std::string name;
  std::string language;  // RFC 5646; empty: none
  bool is_default = false;
  bool autoselect = true;
  std::string uri;
};

struct Variant {
  std::string uri;
  uint64_t bandwidth = 0;  // peak segment bit rate, bit/s
  std::optional<uint64_t> average_bandwidth;
  std::vector<std::string> codecs;  // RFC 6381 strings, one per track
  std::optional<std::pair<uint32_t, uint32_t>> resolution;
  std::optional<double> frame_rate;
  std::string audio_group;  // AUDIO: the GROUP-ID of its audio renditions; empty: none
};

struct MultivariantPlaylist {
  bool independent_segments = true;
  std::vector<Rendition> renditions;
  std::vector<Variant> variants;
};

std::string render(const MultivariantPlaylist& playlist);

// EXT-X-TARGETDURATION: every EXTINF rounded to the nearest integer must not exceed it
// (rfc8216bis 4.4.3.1); the ceiling of the longest segment's EXTINF (as written, in milliseconds) satisfies
// that even for players that compare without rounding, and it is at least 1.
uint64_t target_duration_for(int64_t longest_segment_ns);

// "5.005" (the EXTINF value, milliseconds; a decimal-floating-point, rfc8216bis 4.2).
std::string format_duration(int64_t duration_ns);

// PART-TARGET in milliseconds: the part interval rounded up, so no part's DURATION as written (rounded to
// the millisecond) exceeds it (4.4.3.7: a Partial Segment lasts at most the Part Target Duration).
int64_t part_target_ms(int64_t part_interval_ns);

// "2026-11-25T03:30:40.123Z" (ISO 8601 with milliseconds, as EXT-X-PROGRAM-DATE-TIME wants).
std::string format_date_time(int64_t unix_us);

// A quoted-string attribute value cannot hold '"' or line breaks (rfc8216bis 4.2); false for such text.
bool is_quotable(const std::string& text);

}  // namespace aw::hls
