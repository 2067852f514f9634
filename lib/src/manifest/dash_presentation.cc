#include "manifest/dash_presentation.h"

#include <algorithm>

#include "boxes/box_reader.h"

namespace aw {
namespace {

constexpr int32_t kNsPerSecond = 1'000'000'000;

int64_t to_ns(int64_t value, int32_t timescale) { return Time(value, timescale).rescaled(kNsPerSecond).value_or(0); }

// The CMAF profile (urn:mpeg:dash:profile:cmaf:2019) is only claimed for CMAF segments: those the writer's
// kMpeg4CmafCompliant profile brands cmfc.
bool has_cmaf_brand(std::span<const uint8_t> init_segment) {
  auto boxes = read_top_level_boxes(init_segment, 0);
  if (!boxes || boxes->empty() || boxes->front().type != FourCC("ftyp")) return false;
  const std::span<const uint8_t> brands = boxes->front().payload;
  for (size_t at = 0; at + 4 <= brands.size(); at += 4) {
    if (at == 4) continue;  // minor_version
    if (std::equal(brands.begin() + at, brands.begin() + at + 4, "cmfc")) return true;
  }
  return false;
}

const char* content_type_of(MediaType type) {
  switch (type) {
    case MediaType::kVideo: return "video";
    case MediaType::kAudio: return "audio";
    case MediaType::kText: return "text";
    case MediaType::kMetadata: break;
  }
  return "application";
}

std::string mime_type_of(MediaType type) {
  const std::string content = content_type_of(type);
  return (content == "video" || content == "audio" ? content : "application") + "/mp4";
}

}  // namespace

Status DashPresentation::add_representation(const Rendition& rendition, std::span<const uint8_t> init_segment) {
  // Representation@id is a StringNoWhitespaceType (5.3.5.2), and $RepresentationID$ must name the same
  // directory that %s did.
  if (rendition.name().find_first_of(" \t\r\n") != std::string::npos) {
    return Status(ErrorCode::kInvalidArgument,
                  "track name \"" + rendition.name() + "\" cannot be a DASH Representation id (it holds whitespace)");
  }
  Track track;
  track.rendition = &rendition;
  track.cmaf = has_cmaf_brand(init_segment);
  tracks_.push_back(std::move(track));
  return Status::ok();
}

Status DashPresentation::add_segment(const Rendition& rendition, const HlsWrittenSegment& segment) {
  auto track = std::find_if(tracks_.begin(), tracks_.end(), [&](const Track& t) { return t.rendition == &rendition; });
  if (track == tracks_.end() || segment.report.tracks.size() != 1) {
    return Status(ErrorCode::kInvalidArgument, "segment " + segment.location + " is not of one track the MPD knows");
  }
  const SegmentTrackReport& report = segment.report.tracks.front();
  const int32_t timescale = report.earliest_presentation_time.timescale();
  auto origin = report.media_time_origin.rescaled(timescale);
  auto duration = report.duration.rescaled(timescale);
  if (!report.earliest_presentation_time.is_numeric() || !origin || !duration) {
    return Status(ErrorCode::kInvalidArgument, "segment " + segment.location + " has no presentation time for the MPD");
  }
  if (track->segments.empty() && track->timescale == 0) {
    track->timescale = timescale;
    origin_ns_ = to_ns(*origin, timescale);
    track->first_number = segment.index;
  }
  const dash::SegmentTime time{report.earliest_presentation_time.value() - *origin, *duration};
  track->segments.push_back(time);
  track->end = time.start + time.duration;
  if (settings_.window > 0 && track->segments.size() > settings_.window) {
    track->segments.pop_front();
    ++track->first_number;
  }
  longest_ns_ = std::max(longest_ns_, to_ns(time.duration, timescale));
  return Status::ok();
}

bool DashPresentation::ready(bool ended) const {
  auto has_segment = [](const Track& t) { return t.timescale != 0; };
  if (ended) return std::any_of(tracks_.begin(), tracks_.end(), has_segment);
  return !tracks_.empty() && std::all_of(tracks_.begin(), tracks_.end(), has_segment);
}

int64_t DashPresentation::start_ns() {
  if (!start_ns_) {
    // Tracks share the media timeline's origin, so the earliest first segment is where the presentation
    // starts: 0 unless the session starts later than the stream's time origin.
    for (const Track& track : tracks_) {
      if (track.segments.empty()) continue;
      const int64_t first = to_ns(track.segments.front().start, track.timescale);
      start_ns_ = start_ns_ ? std::min(*start_ns_, first) : first;
    }
  }
  return start_ns_.value_or(0);
}

int64_t DashPresentation::end_ns() const {
  int64_t end = 0;
  for (const Track& track : tracks_) end = std::max(end, to_ns(track.end, track.timescale));
  return end;
}

int64_t DashPresentation::interval_ns() const {
  return settings_.segment_interval_ns > 0 ? settings_.segment_interval_ns : longest_ns_;
}

dash::Representation DashPresentation::representation_of(const Track& track) const {
  const HlsTrackDescription& description = track.rendition->tracks().front();
  dash::Representation representation;
  representation.id = track.rendition->name();
  representation.codecs = description.codec;
  // The peak of its segments' rates: a player that buffers minBufferTime (one segment) at this rate
  // never stalls (5.3.5.2).
  representation.bandwidth = track.rendition->peak_bandwidth();
  if (description.media_type == MediaType::kVideo) {
    if (description.resolution) {
      representation.width = description.resolution->first;
      representation.height = description.resolution->second;
    }
    if (description.frame_rate) representation.frame_rate = dash::frame_rate_text(*description.frame_rate);
  } else if (description.media_type == MediaType::kAudio) {
    representation.audio_sampling_rate = description.sample_rate;
    representation.channels = description.channels;
  }
  dash::SegmentTemplate& segments = representation.segments;
  segments.timescale = static_cast<uint32_t>(track.timescale);
  segments.presentation_time_offset =
      Time(start_ns_.value_or(0), kNsPerSecond).rescaled_floor(track.timescale).value_or(0);
  segments.start_number = track.first_number;
  segments.media = settings_.media_template;
  segments.initialization = settings_.initialization_template;
  const std::vector<dash::SegmentTime> times(track.segments.begin(), track.segments.end());
  segments.timeline = dash::fold_timeline(times);
  return representation;
}

dash::Mpd DashPresentation::mpd(bool ended, const WallClock& clock) {
  dash::Mpd mpd;
  const int64_t start = start_ns();
  mpd.dynamic = !(ended && settings_.ends_static);
  mpd.cmaf = std::all_of(tracks_.begin(), tracks_.end(), [](const Track& t) { return t.cmaf; });
  mpd.min_buffer_time_ns = interval_ns();
  if (ended) mpd.media_presentation_duration_ns = end_ns() - start;
  if (mpd.dynamic) {
    if (!availability_start_us_) {
      // The wall clock of the Period's start, fixed for the MPD's life (5.3.1.2). Without a mapping the
      // newest segment ends now, live.
      const int64_t source_start_ns = origin_ns_ + start;
      availability_start_us_ =
          clock.at_media_ns ? clock.at_media_ns(source_start_ns) : clock.now_us() - (end_ns() - start) / 1000;
    }
    mpd.availability_start_time_us = availability_start_us_;
    mpd.publish_time_us = clock.now_us();
    if (!ended) mpd.minimum_update_period_ns = interval_ns();
    if (settings_.window > 0) mpd.time_shift_buffer_depth_ns = int64_t{settings_.window} * interval_ns();
    // Three segments behind the live edge, as HLS holds back three target durations (rfc8216bis 4.4.3.8).
    mpd.suggested_presentation_delay_ns = 3 * interval_ns();
    mpd.utc_timing_url = settings_.utc_timing_url;
  }
  // One AdaptationSet per media type and language (lang belongs to the set), in the order tracks came.
  for (const Track& track : tracks_) {
    if (track.segments.empty()) continue;
    const HlsTrackDescription& description = track.rendition->tracks().front();
    const std::string content_type = content_type_of(description.media_type);
    auto set = std::find_if(mpd.adaptation_sets.begin(), mpd.adaptation_sets.end(), [&](const dash::AdaptationSet& s) {
      return s.content_type == content_type && s.lang == description.language;
    });
    if (set == mpd.adaptation_sets.end()) {
      set = mpd.adaptation_sets.insert(mpd.adaptation_sets.end(),
                                       {content_type, mime_type_of(description.media_type), description.language, {}});
    }
    set->representations.push_back(representation_of(track));
  }
  return mpd;
}

}  // namespace aw
