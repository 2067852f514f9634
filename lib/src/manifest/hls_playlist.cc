#include "manifest/hls_playlist.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <ctime>

namespace aw::hls {
namespace {

std::string join(const std::vector<std::string>& parts, char separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

}  // namespace

uint64_t target_duration_for(int64_t longest_segment_ns) {
  if (longest_segment_ns <= 0) return 1;
  // The EXTINF as written: rounded to the millisecond (format_duration), so 2.0000004 s needs 2, not 3.
  const uint64_t ms = (static_cast<uint64_t>(longest_segment_ns) + 500'000) / 1'000'000;
  const uint64_t seconds = (ms + 999) / 1000;
  return seconds == 0 ? 1 : seconds;
}

std::string format_duration(int64_t duration_ns) {
  if (duration_ns < 0) duration_ns = 0;
  // Rounded to the nearest millisecond; integer arithmetic so 2 s prints "2.000", never "1.999".
  const int64_t ms = (duration_ns + 500'000) / 1'000'000;
  char text[32];
  std::snprintf(text, sizeof text, "%" PRId64 ".%03" PRId64, ms / 1000, ms % 1000);
  return text;
}

std::string format_date_time(int64_t unix_us) {
  int64_t seconds = unix_us / 1'000'000;
  int64_t us = unix_us % 1'000'000;
  if (us < 0) {
    us += 1'000'000;
    seconds -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(us / 1000));
  return text;
}

int64_t part_target_ms(int64_t part_interval_ns) {
  if (part_interval_ns <= 0) return 1;
  return (part_interval_ns + 999'999) / 1'000'000;
}

bool is_quotable(const std::string& text) { return text.find_first_of("\"\r\n") == std::string::npos; }

namespace {

std::string render_part(const Part& part) {
  std::string out = "#EXT-X-PART:DURATION=" + format_duration(part.duration_ns) + ",URI=\"" + part.uri + "\"";
  if (part.byte_range) {
    out +=
        ",BYTERANGE=\"" + std::to_string(part.byte_range->first) + "@" + std::to_string(part.byte_range->second) + "\"";
  }
  if (part.independent) out += ",INDEPENDENT=YES";
  return out + "\n";
}

// What a segment's lines start with: the tags that apply to it, then its parts (before its EXTINF).
std::string render_segment_head(const MediaSegment& segment) {
  std::string out;
  if (segment.discontinuity) out += "#EXT-X-DISCONTINUITY\n";
  if (!segment.map_uri.empty()) out += "#EXT-X-MAP:URI=\"" + segment.map_uri + "\"\n";
  if (segment.program_date_time_us) {
    out += "#EXT-X-PROGRAM-DATE-TIME:" + format_date_time(*segment.program_date_time_us) + "\n";
  }
  for (const Part& part : segment.parts) out += render_part(part);
  return out;
}

std::string render_server_control(const MediaPlaylist& playlist) {
  std::vector<std::string> attributes;
  if (playlist.part_target_ns > 0) {
    // PART-HOLD-BACK: three part targets, the least 4.4.3.8 recommends, computed from the PART-TARGET as
    // written so a checker multiplying the two gets exactly it.
    const int64_t target_ms = part_target_ms(playlist.part_target_ns);
    attributes.push_back("CAN-BLOCK-RELOAD=YES");
    attributes.push_back("PART-HOLD-BACK=" + format_duration(3 * target_ms * 1'000'000));
  }
  if (playlist.skip_until_ns > 0) attributes.push_back("CAN-SKIP-UNTIL=" + format_duration(playlist.skip_until_ns));
  std::string out;
  if (!attributes.empty()) out += "#EXT-X-SERVER-CONTROL:" + join(attributes, ',') + "\n";
  if (playlist.part_target_ns > 0) {
    out += "#EXT-X-PART-INF:PART-TARGET=" + format_duration(part_target_ms(playlist.part_target_ns) * 1'000'000) +
           "\n";
  }
  return out;
}

std::string render_live_edge(const MediaPlaylist& playlist) {
  std::string out;
  if (playlist.in_progress) out += render_segment_head(*playlist.in_progress);
  if (playlist.preload_hint && !playlist.ended) {
    out += "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"" + playlist.preload_hint->uri + "\"";
    if (playlist.preload_hint->byte_range_start) {
      out += ",BYTERANGE-START=" + std::to_string(*playlist.preload_hint->byte_range_start);
    }
    out += "\n";
  }
  for (const RenditionReport& report : playlist.rendition_reports) {
    out += "#EXT-X-RENDITION-REPORT:URI=\"" + report.uri + "\",LAST-MSN=" + std::to_string(report.last_msn);
    if (report.last_part) out += ",LAST-PART=" + std::to_string(*report.last_part);
    out += "\n";
  }
  return out;
}

// How many of the oldest segments a delta update skips (6.2.5.1): those that end at least the skip boundary
// before the end of the listed segments.
size_t skippable_segments(const MediaPlaylist& playlist) {
  if (playlist.skip_until_ns <= 0) return 0;
  int64_t after = 0;  // how long the segments after segment i last
  for (size_t i = playlist.segments.size(); i-- > 0;) {
    if (after >= playlist.skip_until_ns) return i + 1;
    after += playlist.segments[i].duration_ns;
  }
  return 0;
}

// The playlist, its first `skip` segments as one EXT-X-SKIP.
std::string render_skipping(const MediaPlaylist& playlist, size_t skip) {
  std::string out = "#EXTM3U\n";
  out += "#EXT-X-VERSION:" + std::to_string(skip > 0 ? std::max(playlist.version, 9) : playlist.version) + "\n";
  out += "#EXT-X-TARGETDURATION:" + std::to_string(playlist.target_duration_s) + "\n";
  out += render_server_control(playlist);
  out += "#EXT-X-MEDIA-SEQUENCE:" + std::to_string(playlist.media_sequence) + "\n";
  if (playlist.discontinuity_sequence > 0) {
    out += "#EXT-X-DISCONTINUITY-SEQUENCE:" + std::to_string(playlist.discontinuity_sequence) + "\n";
  }
  if (!playlist.playlist_type.empty()) out += "#EXT-X-PLAYLIST-TYPE:" + playlist.playlist_type + "\n";
  if (playlist.independent_segments) out += "#EXT-X-INDEPENDENT-SEGMENTS\n";
  if (!playlist.map_uri.empty()) out += "#EXT-X-MAP:URI=\"" + playlist.map_uri + "\"\n";
  std::string skipped_map;  // the EXT-X-MAP a skipped segment started, which still applies after them
  for (size_t i = 0; i < skip; ++i) {
    if (!playlist.segments[i].map_uri.empty()) skipped_map = playlist.segments[i].map_uri;
  }
  if (skip > 0) out += "#EXT-X-SKIP:SKIPPED-SEGMENTS=" + std::to_string(skip) + "\n";
  for (size_t i = skip; i < playlist.segments.size(); ++i) {
    const MediaSegment& segment = playlist.segments[i];
    if (i == skip && segment.map_uri.empty() && !skipped_map.empty()) {
      out += "#EXT-X-MAP:URI=\"" + skipped_map + "\"\n";
    }
    out += render_segment_head(segment);
    out += "#EXTINF:" + format_duration(segment.duration_ns) + ",\n";
    out += segment.uri + "\n";
  }
  if (playlist.part_target_ns > 0) out += render_live_edge(playlist);
  if (playlist.ended) out += "#EXT-X-ENDLIST\n";
  return out;
}

}  // namespace

std::string render(const MediaPlaylist& playlist) { return render_skipping(playlist, 0); }

std::string render_delta(const MediaPlaylist& playlist) {
  return render_skipping(playlist, skippable_segments(playlist));
}

void drop_first_segment(MediaPlaylist& playlist) {
  if (playlist.segments.empty()) return;
  const MediaSegment& first = playlist.segments.front();
  if (first.discontinuity) ++playlist.discontinuity_sequence;
  if (!first.map_uri.empty()) playlist.map_uri = first.map_uri;
  playlist.segments.erase(playlist.segments.begin());
  ++playlist.media_sequence;
}

std::string render(const MultivariantPlaylist& playlist) {
  std::string out = "#EXTM3U\n";
  // No tag of a multivariant playlist here needs more than version 1; fMP4 is the media playlist's concern.
  if (playlist.independent_segments) out += "#EXT-X-INDEPENDENT-SEGMENTS\n";
  for (const Rendition& rendition : playlist.renditions) {
    std::vector<std::string> attributes;
    attributes.push_back("TYPE=" + rendition.type);
    attributes.push_back("GROUP-ID=\"" + rendition.group_id + "\"");
    attributes.push_back("NAME=\"" + rendition.name + "\"");
    if (!rendition.language.empty()) attributes.push_back("LANGUAGE=\"" + rendition.language + "\"");
    attributes.push_back(std::string("DEFAULT=") + (rendition.is_default ? "YES" : "NO"));
    attributes.push_back(std::string("AUTOSELECT=") + (rendition.autoselect ? "YES" : "NO"));
    attributes.push_back("URI=\"" + rendition.uri + "\"");
    out += "#EXT-X-MEDIA:" + join(attributes, ',') + "\n";
  }
  for (const Variant& variant : playlist.variants) {
    std::vector<std::string> attributes;
    attributes.push_back("BANDWIDTH=" + std::to_string(variant.bandwidth));
    if (variant.average_bandwidth) {
      attributes.push_back("AVERAGE-BANDWIDTH=" + std::to_string(*variant.average_bandwidth));
    }
    if (!variant.codecs.empty()) attributes.push_back("CODECS=\"" + join(variant.codecs, ',') + "\"");
    if (variant.resolution) {
      attributes.push_back("RESOLUTION=" + std::to_string(variant.resolution->first) + "x" +
                           std::to_string(variant.resolution->second));
    }
    if (variant.frame_rate) {
      char rate[32];
      std::snprintf(rate, sizeof rate, "%.3f", *variant.frame_rate);
      attributes.push_back(std::string("FRAME-RATE=") + rate);
    }
    if (!variant.audio_group.empty()) attributes.push_back("AUDIO=\"" + variant.audio_group + "\"");
    out += "#EXT-X-STREAM-INF:" + join(attributes, ',') + "\n";
    out += variant.uri + "\n";
  }
  return out;
}

}  // namespace aw::hls
