// HlsPackager: a SegmentDelegate that turns the writer's segments into an HLS stream on disk (RFC 8216bis,
// fMP4): the init segment and each media segment under names from a pattern, a media playlist rewritten
// after every segment (with an optional live window and deletion of old files), and a multivariant playlist
// with CODECS, BANDWIDTH and RESOLUTION. Files go through an HlsStorage (hls_storage.h), by default local
// files. Every file is replaced atomically (NAME.tmp, renamed over NAME),
// so a web server never serves half of one and a playlist only names segments already on disk — except a
// segment whose Low-Latency HLS parts are byte ranges of it: that file grows at its final name, part by
// part, and a playlist names a part only once its bytes are in it.
//
//   aw::HlsPackagerConfig config;
//   config.segment_pattern = "hls/segment%05d.m4s";
//   config.init_location = "hls/init.mp4";
//   config.playlist_location = "hls/index.m3u8";
//   config.segment_interval_ns = 6'000'000'000;
//   aw::HlsPackager::Callbacks callbacks;
//   callbacks.describe_track = [&](uint32_t id) { return aw::HlsTrackDescription{...}; };
//   auto packager = aw::HlsPackager::create(config, callbacks);
//   auto writer = aw::AssetWriter::create_for_segments(aw::FileType::kMpeg4, **packager);
//   writer->set_preferred_output_segment_interval(aw::Time(6, 1));
//   ... add inputs, start, append ...
//   writer->finish_writing();
//   (*packager)->finish();  // EXT-X-ENDLIST
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "aw/hls_storage.h"
#include "aw/media_types.h"
#include "aw/segments.h"
#include "aw/status.h"

namespace aw {

// Where the files go and how the playlists look. Locations are paths, used as given (relative ones against
// the working directory); URIs in a playlist are relative to that playlist's directory.
struct HlsPackagerConfig {
  // The media segments' names: exactly one integer conversion (%d, %u, %i, optionally with a 0 flag and a
  // width up to 20) for the segment number, "%%" for a percent sign.
  std::string segment_pattern = "segment%05d.m4s";
  // The initialization segment, named by EXT-X-MAP. A further one after a format change goes beside it,
  // numbered before the extension (init-1.mp4, init-2.mp4, ...), after an EXT-X-DISCONTINUITY. Empty:
  // init.mp4 in the directory of segment_pattern.
  std::string init_location;
  std::string playlist_location = "index.m3u8";  // the media playlist; empty: none
  std::string multivariant_location;             // the multivariant playlist; empty: none
  uint32_t playlist_length = 0;                  // segments listed, a live window; 0: all (an EVENT playlist)
  // Segment files kept on disk; older ones are deleted, but never one still listed (at least
  // playlist_length are kept). 0: all.
  uint32_t max_files = 0;
  bool program_date_time = false;   // EXT-X-PROGRAM-DATE-TIME on every segment
  bool sync = true;                 // fsync each file (and its directory) when it is renamed into place
  int64_t segment_interval_ns = 0;  // the writer's segment interval: the floor of EXT-X-TARGETDURATION
  uint64_t first_index = 0;         // the first segment's number, also its EXT-X-MEDIA-SEQUENCE
  // Set with AssetWriter::set_one_track_per_header(true): each track is a rendition of its own (a CMAF
  // track), its files named by the locations above with every %s replaced by its name (directories are
  // created as needed); the multivariant playlist groups audio renditions (EXT-X-MEDIA) under the video
  // variants, or, without video, makes each audio track a variant.
  bool one_track_per_header = false;
  // Prefixed to every URI the playlists list (segments, EXT-X-MAP, the multivariant playlist's media
  // playlists): "https://cdn.example/live" makes "https://cdn.example/live/segment00001.m4s" of the URI
  // relative to the playlist. Empty: relative URIs. hlssink2's playlist-root.
  std::string playlist_root;
  // kVod: EXT-X-PLAYLIST-TYPE:EVENT while segments are written and VOD with EXT-X-ENDLIST at finish(); needs
  // every segment listed (playlist_length 0). kEvent: EVENT while every segment is listed, none with a live
  // window.
  enum class PlaylistType { kEvent, kVod };
  PlaylistType playlist_type = PlaylistType::kEvent;
  // Low-Latency HLS (rfc8216bis 4.4.3.7, 4.4.3.8, 4.4.4.9, 4.4.5.2): the writer's part interval
  // (AssetWriter::set_preferred_output_part_interval). Each part is published as it arrives: EXT-X-PART
  // lines for the segment in progress and the segments of the last three target durations, a preload hint
  // of the next part, CAN-BLOCK-RELOAD with a PART-HOLD-BACK of three part targets, and with one track per
  // header the other renditions' EXT-X-RENDITION-REPORTs. 0: no parts, the playlists as without it.
  int64_t part_interval_ns = 0;
  // false: a part is a byte range of its segment's file, which is created at its final name with the first
  // part and grows part by part (a server must serve ranges of a growing file). true: each part is a file
  // of its own, "<segment name without extension>.<part index>.<extension>" (segment00005.2.m4s), written
  // atomically, and the segment file is written whole once complete.
  bool part_files = false;
  // Playlist delta updates (rfc8216bis 4.4.3.8, 4.4.5.2, 6.2.5.1): EXT-X-SERVER-CONTROL says CAN-SKIP-UNTIL
  // (six target durations) and beside each media playlist a delta playlist ("index-delta.m3u8" beside
  // "index.m3u8", version 9) lists the segments that start earlier than that before its end as one EXT-X-SKIP:
  // what a server answers "_HLS_skip=YES" with. Each is written just before its playlist, so it lists at
  // least what the playlist lists. Meant for long live playlists (EVENT, or a long playlist_length).
  bool delta_updates = false;
  // Where every file goes (hls_storage.h): the packager opens, writes and closes each one through it and asks
  // it to remove files past max_files. Empty: local files (an HlsFileStorage with `sync`). An HlsFileStorage
  // passed here follows set_sync() too.
  std::shared_ptr<HlsStorage> storage;
};

// What the playlists say about a track; the packager asks for it when the track's header arrives.
struct HlsTrackDescription {
  // The rendition's name (its NAME, and %s in the locations); empty: "track<ID>".
  std::string name;
  MediaType media_type = MediaType::kVideo;  // taken from the segment report, whatever is set here
  std::string codec;     // RFC 6381 (aw::codec_string); empty: unknown, and the variant has no CODECS
  std::string language;  // RFC 5646 ("en"); empty: unknown
  std::optional<std::pair<uint32_t, uint32_t>> resolution;  // width x height of a video track
  std::optional<double> frame_rate;
};

// A media segment on disk and listed in its playlist.
struct HlsWrittenSegment {
  std::string rendition;  // the track's name with one track per header; else empty
  std::string location;   // the file's path
  std::string uri;        // as the playlist lists it (the location without a media playlist)
  uint64_t index = 0;     // the number in the file name, also the segment's media sequence number
  int64_t start_ns = 0;   // earliest presentation time among its tracks (source timeline)
  // Its EXTINF: the first video track's duration, else the longest track's.
  int64_t duration_ns = 0;
  uint64_t size = 0;  // bytes
  SegmentReport report;
  std::string playlist;  // its media playlist's text as written (empty without a media playlist)
  std::string delta_playlist;  // with delta_updates: its delta playlist's text as written
};

// A part on disk and named by its media playlist (Low-Latency HLS): what a server holding blocked
// "?_HLS_msn=N&_HLS_part=M" requests needs to answer them.
struct HlsPublishedPart {
  std::string rendition;        // the track's name with one track per header; else empty
  uint64_t media_sequence = 0;  // of its segment (the number in the segment's name)
  uint32_t part = 0;            // its index in the segment
  std::string location;         // the file holding it: the growing segment file, or its own
  std::string uri;              // as the playlist names it
  uint64_t offset = 0;          // in `location` (0 for a part file)
  uint64_t size = 0;
  int64_t duration_ns = 0;
  bool independent = false;
  std::string playlist;  // the media playlist naming it, as written
  std::string delta_playlist;  // with delta_updates: its delta playlist's text as written
};

// Thread-safe: every call takes the packager's lock.
class HlsPackager : public SegmentDelegate {
 public:
  // Run inside did_output_segment_data(), so with the writer's lock held: they must not call back into the
  // writer. Each may be empty.
  struct Callbacks {
    // Once per track, with its track ID, when its (first) header arrives.
    std::function<HlsTrackDescription(uint32_t track_id)> describe_track;
    // After an initialization segment is on disk.
    std::function<void(const std::string& location, uint64_t size)> init_written;
    // After the segment and the playlists naming it are on disk, before files leaving the window are
    // deleted (so a handler may still upload it).
    std::function<void(const HlsWrittenSegment&)> segment_written;
    // After a part is on disk and the media playlist naming it is written (Low-Latency HLS).
    std::function<void(const HlsPublishedPart&)> part_published;
    // Wall clock for EXT-X-PROGRAM-DATE-TIME, microseconds since the Unix epoch; empty: the system clock.
    std::function<int64_t()> now_us;
    // The wall clock at which the media time `media_ns` (source timeline) was captured, microseconds since
    // the Unix epoch, for EXT-X-PROGRAM-DATE-TIME; when set it replaces now_us (an element maps running
    // time through its pipeline clock). Empty: now_us read when the first segment (part) is complete.
    std::function<int64_t(int64_t media_ns)> wall_clock_us_at;
  };

  // Fails for a pattern without exactly one integer conversion, an empty init location, an init location or
  // pattern a playlist cannot quote (quotes, line breaks), or (one track per header) a location without %s.
  static Result<std::unique_ptr<HlsPackager>> create(HlsPackagerConfig config, Callbacks callbacks);
  ~HlsPackager() override = default;

  // The first error is returned to the writer, which fails with it; nothing is written after it (the same
  // error comes back), so the playlists on disk only ever name complete files.
  Status did_output_segment_data(std::span<const uint8_t> data, SegmentType type,
                                 const SegmentReport* report) override = 0;
  Status did_output_part_data(std::span<const uint8_t> data, const PartReport& report) override = 0;

  // Ends the playlists (EXT-X-ENDLIST) and writes the multivariant playlist a last time, leaving out a
  // track that never had a segment. Call after the writer's finish_writing().
  virtual Status finish() = 0;
  // Whether files are fsynced from now on (config.sync until then), e.g. once a live source is known.
  virtual void set_sync(bool sync) = 0;
  // The first error, or ok.
  virtual Status error() const = 0;
  // Media segments written, over all renditions.
  virtual uint64_t segments_written() const = 0;
  // The (first) media playlist as last written (for tests and diagnostics).
  virtual std::string media_playlist_text() const = 0;
};

}  // namespace aw
