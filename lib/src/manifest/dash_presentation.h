// What the MPD says about the packager's renditions (one track each), kept as their segments are written:
// each Representation's segment times in its track's timescale and its first listed number, the
// presentation's start on the file's media timeline and its anchor on the wall clock. Builds the dash::Mpd
// that HlsPackager writes beside the HLS playlists (HlsPackagerConfig::mpd_location).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aw/hls_packager.h"
#include "manifest/dash_mpd.h"
#include "manifest/rendition.h"

namespace aw {

struct DashSettings {
  std::string media_template;           // SegmentTemplate@media, relative to the MPD
  std::string initialization_template;  // SegmentTemplate@initialization
  std::string utc_timing_url;
  uint32_t window = 0;  // segments listed per Representation while dynamic (playlist_length); 0: all
  int64_t segment_interval_ns = 0;
  bool ends_static = false;  // static at the end (a VOD playlist type); else a dynamic MPD that ended
};

class DashPresentation {
 public:
  explicit DashPresentation(DashSettings settings) : settings_(std::move(settings)) {}

  // A rendition's initialization segment, which names whether it is CMAF (the cmfc brand). Fails for a
  // name that cannot be a Representation@id.
  Status add_representation(const Rendition& rendition, std::span<const uint8_t> init_segment);
  // A media segment of `rendition` (its one track's report).
  Status add_segment(const Rendition& rendition, const HlsWrittenSegment& segment);
  // Every Representation has a segment, so the MPD may be written; once `ended`, any (a track that never
  // had one is left out, as from the multivariant playlist).
  bool ready(bool ended) const;
  // The MPD as it stands: dynamic until `ended`.
  dash::Mpd mpd(bool ended, const WallClock& clock);

 private:
  struct Track {
    const Rendition* rendition = nullptr;
    bool cmaf = false;
    int32_t timescale = 0;
    uint64_t first_number = 0;
    std::deque<dash::SegmentTime> segments;  // listed, on the file's media timeline
    int64_t end = 0;                         // of its last segment, timescale units
  };
  dash::Representation representation_of(const Track& track) const;
  // The Period's 0 on the file's media timeline (presentationTimeOffset), fixed by the first MPD.
  int64_t start_ns();
  int64_t end_ns() const;
  int64_t interval_ns() const;

  const DashSettings settings_;
  std::vector<Track> tracks_;
  int64_t longest_ns_ = 0;
  // The media timeline's 0 on the source timeline, which the writer shares among all tracks.
  int64_t origin_ns_ = 0;
  std::optional<int64_t> start_ns_;
  std::optional<int64_t> availability_start_us_;
};

}  // namespace aw
