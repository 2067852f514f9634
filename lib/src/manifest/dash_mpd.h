// A DASH Media Presentation Description (ISO/IEC 23009-1) as text: the MPD of one Period whose
// AdaptationSets hold Representations addressed by a SegmentTemplate with a SegmentTimeline. The packager
// (dash_presentation.cc) fills the structs; this file only renders them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace aw::dash {

// An S element (5.3.9.6): `r` more segments of duration `d` follow the first, back to back from `t`.
struct TimelineEntry {
  int64_t t = 0;
  int64_t d = 0;
  uint32_t r = 0;
};

// A segment's earliest presentation time and duration, in its track's timescale.
struct SegmentTime {
  int64_t start = 0;
  int64_t duration = 0;
};

// Consecutive segments of equal duration, each starting where the one before it ends, fold into one S
// with a repeat count.
std::vector<TimelineEntry> fold_timeline(std::span<const SegmentTime> segments);

struct SegmentTemplate {
  uint32_t timescale = 1;
  int64_t presentation_time_offset = 0;  // left out when 0
  uint64_t start_number = 1;
  std::string media;           // with $Number$ (or $Number%05d$) and $RepresentationID$
  std::string initialization;  // with $RepresentationID$
  std::vector<TimelineEntry> timeline;
};

struct Representation {
  std::string id;
  std::string codecs;  // RFC 6381; empty: left out
  uint64_t bandwidth = 0;
  // Video.
  std::optional<uint32_t> width;
  std::optional<uint32_t> height;
  std::string frame_rate;  // FrameRateType: "30" or "30000/1001"; empty: left out
  // Audio.
  std::optional<uint32_t> audio_sampling_rate;
  std::optional<uint32_t> channels;  // an AudioChannelConfiguration (23003-3 scheme)
  SegmentTemplate segments;
};

struct AdaptationSet {
  std::string content_type;  // "video", "audio"
  std::string mime_type;     // "video/mp4", "audio/mp4"
  std::string lang;          // RFC 5646; empty: left out
  std::vector<Representation> representations;
};

// Both types share one Period starting at 0. Static: every segment listed, mediaPresentationDuration set.
// Dynamic: availabilityStartTime and publishTime set; minimumUpdatePeriod while it still changes; a
// mediaPresentationDuration once it has ended.
struct Mpd {
  bool dynamic = false;
  bool cmaf = false;  // the CMAF profile beside isoff-live (the segments carry the cmfc brand)
  int64_t min_buffer_time_ns = 0;
  std::optional<int64_t> media_presentation_duration_ns;
  std::optional<int64_t> availability_start_time_us;  // Unix epoch
  std::optional<int64_t> publish_time_us;
  std::optional<int64_t> minimum_update_period_ns;
  std::optional<int64_t> time_shift_buffer_depth_ns;
  std::optional<int64_t> suggested_presentation_delay_ns;
  std::string utc_timing_url;  // urn:mpeg:dash:utc:http-iso:2014; empty: no UTCTiming
  std::vector<AdaptationSet> adaptation_sets;
};

// The MPD as UTF-8 XML, attribute values escaped.
std::string render(const Mpd& mpd);

// xs:duration of a non-negative time, to the millisecond: 10'033'000'000 -> "PT10.033S".
std::string xs_duration(int64_t ns);
// A frame rate as FrameRateType: 30 -> "30", 29.97 -> "30000/1001", 12.5 -> "25/2".
std::string frame_rate_text(double frames_per_second);
// `text` safe inside a double-quoted XML attribute value.
std::string escape_attribute(const std::string& text);

}  // namespace aw::dash
