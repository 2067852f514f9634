#include "manifest/dash_mpd.h"

#include <cmath>
#include <numeric>
#include <utility>

#include "manifest/hls_playlist.h"

namespace aw::dash {
namespace {

using Attributes = std::vector<std::pair<std::string, std::string>>;

// Elements indented two spaces a level, one per line; attributes in the order given.
class XmlText {
 public:
  void open(const std::string& name, const Attributes& attributes) {
    start_tag(name, attributes);
    text_ += ">\n";
    ++depth_;
  }
  void empty(const std::string& name, const Attributes& attributes) {
    start_tag(name, attributes);
    text_ += "/>\n";
  }
  void close(const std::string& name) {
    --depth_;
    text_ += std::string(2 * depth_, ' ') + "</" + name + ">\n";
  }
  std::string take() { return std::move(text_); }

 private:
  void start_tag(const std::string& name, const Attributes& attributes) {
    text_ += std::string(2 * depth_, ' ') + "<" + name;
    for (const auto& [key, value] : attributes) text_ += " " + key + "=\"" + escape_attribute(value) + "\"";
  }
  std::string text_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  size_t depth_ = 0;
};

void render_segment_template(XmlText& xml, const SegmentTemplate& segments) {
  Attributes attributes{{"timescale", std::to_string(segments.timescale)}};
  if (segments.presentation_time_offset != 0) {
    attributes.emplace_back("presentationTimeOffset", std::to_string(segments.presentation_time_offset));
  }
  attributes.insert(attributes.end(), {{"initialization", segments.initialization},
                                       {"media", segments.media},
                                       {"startNumber", std::to_string(segments.start_number)}});
  xml.open("SegmentTemplate", attributes);
  xml.open("SegmentTimeline", {});
  // @t only where the timeline does not simply continue (the first S, or after a gap): 5.3.9.6.
  int64_t end = -1;
  for (const TimelineEntry& s : segments.timeline) {
    Attributes entry;
    if (s.t != end) entry.emplace_back("t", std::to_string(s.t));
    entry.emplace_back("d", std::to_string(s.d));
    if (s.r != 0) entry.emplace_back("r", std::to_string(s.r));
    xml.empty("S", entry);
    end = s.t + s.d * (int64_t{s.r} + 1);
  }
  xml.close("SegmentTimeline");
  xml.close("SegmentTemplate");
}

void render_representation(XmlText& xml, const Representation& representation) {
  Attributes attributes{{"id", representation.id}};
  if (!representation.codecs.empty()) attributes.emplace_back("codecs", representation.codecs);
  attributes.emplace_back("bandwidth", std::to_string(representation.bandwidth));
  if (representation.width) attributes.emplace_back("width", std::to_string(*representation.width));
  if (representation.height) attributes.emplace_back("height", std::to_string(*representation.height));
  if (!representation.frame_rate.empty()) attributes.emplace_back("frameRate", representation.frame_rate);
  if (representation.audio_sampling_rate) {
    attributes.emplace_back("audioSamplingRate", std::to_string(*representation.audio_sampling_rate));
  }
  xml.open("Representation", attributes);
  if (representation.channels) {
    xml.empty("AudioChannelConfiguration", {{"schemeIdUri", "urn:mpeg:dash:23003:3:audio_channel_configuration:2011"},
                                            {"value", std::to_string(*representation.channels)}});
  }
  render_segment_template(xml, representation.segments);
  xml.close("Representation");
}

void render_adaptation_set(XmlText& xml, const AdaptationSet& set) {
  Attributes attributes{{"contentType", set.content_type}, {"mimeType", set.mime_type}};
  if (!set.lang.empty()) attributes.emplace_back("lang", set.lang);
  // The writer cuts every track's segments at the same instants (the video's keyframes).
  attributes.emplace_back("segmentAlignment", "true");
  xml.open("AdaptationSet", attributes);
  for (const Representation& representation : set.representations) render_representation(xml, representation);
  xml.close("AdaptationSet");
}

Attributes mpd_attributes(const Mpd& mpd) {
  std::string profiles = "urn:mpeg:dash:profile:isoff-live:2011";
  if (mpd.cmaf) profiles += ",urn:mpeg:dash:profile:cmaf:2019";
  Attributes attributes{
      {"xmlns", "urn:mpeg:dash:schema:mpd:2011"}, {"profiles", profiles}, {"type", mpd.dynamic ? "dynamic" : "static"}};
  auto add_duration = [&](const char* name, const std::optional<int64_t>& ns) {
    if (ns) attributes.emplace_back(name, xs_duration(*ns));
  };
  auto add_date = [&](const char* name, const std::optional<int64_t>& us) {
    if (us) attributes.emplace_back(name, hls::format_date_time(*us));
  };
  add_date("availabilityStartTime", mpd.availability_start_time_us);
  add_date("publishTime", mpd.publish_time_us);
  add_duration("mediaPresentationDuration", mpd.media_presentation_duration_ns);
  add_duration("minimumUpdatePeriod", mpd.minimum_update_period_ns);
  add_duration("timeShiftBufferDepth", mpd.time_shift_buffer_depth_ns);
  add_duration("suggestedPresentationDelay", mpd.suggested_presentation_delay_ns);
  add_duration("minBufferTime", mpd.min_buffer_time_ns);
  return attributes;
}

}  // namespace

std::vector<TimelineEntry> fold_timeline(std::span<const SegmentTime> segments) {
  std::vector<TimelineEntry> entries;
  for (const SegmentTime& segment : segments) {
    if (!entries.empty()) {
      TimelineEntry& last = entries.back();
      const int64_t end = last.t + last.d * (int64_t{last.r} + 1);
      if (segment.duration == last.d && segment.start == end) {
        ++last.r;
        continue;
      }
    }
    entries.push_back({segment.start, segment.duration, 0});
  }
  return entries;
}

std::string render(const Mpd& mpd) {
  XmlText xml;
  xml.open("MPD", mpd_attributes(mpd));
  xml.open("Period", {{"id", "0"}, {"start", "PT0S"}});
  for (const AdaptationSet& set : mpd.adaptation_sets) render_adaptation_set(xml, set);
  xml.close("Period");
  // After the Period: the order of MPDtype's sequence (5.3.1.3).
  if (!mpd.utc_timing_url.empty()) {
    xml.empty("UTCTiming", {{"schemeIdUri", "urn:mpeg:dash:utc:http-iso:2014"}, {"value", mpd.utc_timing_url}});
  }
  xml.close("MPD");
  return xml.take();
}

std::string xs_duration(int64_t ns) { return "PT" + hls::format_duration(ns) + "S"; }

std::string frame_rate_text(double frames_per_second) {
  // The NTSC rates first (30000/1001 is also within a millisecond of 29.970), then simple fractions.
  for (int64_t denominator : {1, 1001, 2, 1000}) {
    const double numerator = std::round(frames_per_second * static_cast<double>(denominator));
    if (numerator <= 0 || std::abs(numerator / static_cast<double>(denominator) - frames_per_second) > 1e-4) continue;
    const int64_t n = static_cast<int64_t>(numerator);
    const int64_t divisor = denominator == 1001 ? 1 : std::gcd(n, denominator);
    const int64_t d = denominator / divisor;
    // Appended piece by piece: GCC 12 at -O3 misreads `"/" + std::string` as an overlapping copy (-Wrestrict).
    std::string text = std::to_string(n / divisor);
    if (d != 1) {
      text += '/';
      text += std::to_string(d);
    }
    return text;
  }
  return {};
}

std::string escape_attribute(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      // Attribute-value normalisation would turn these into spaces (XML 1.0 3.3.3).
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default:
        // Other C0 controls cannot appear in XML 1.0 at all, not even as references (2.2).
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
  }
  return out;
}

}  // namespace aw::dash
