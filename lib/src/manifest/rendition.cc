#include "manifest/rendition.h"

#include <unistd.h>

#include <algorithm>

#include "io/atomic_file.h"

namespace aw {
namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;

int64_t to_ns(const Time& t) {
  if (!t.is_numeric()) return 0;
  return t.rescaled(static_cast<int32_t>(kNsPerSecond)).value_or(0);
}

std::span<const uint8_t> bytes_of(const std::string& text) {
  return std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

uint64_t bits_per_second(uint64_t bytes, int64_t ns) {
  return static_cast<uint64_t>(static_cast<double>(bytes) * 8.0 * kNsPerSecond / static_cast<double>(ns));
}

}  // namespace

int64_t segment_duration_ns(const SegmentReport& report) {
  int64_t longest = 0;
  for (const SegmentTrackReport& track : report.tracks) {
    if (track.media_type == MediaType::kVideo) return to_ns(track.duration);
    longest = std::max(longest, to_ns(track.duration));
  }
  return longest;
}

int64_t segment_start_ns(const SegmentReport& report) {
  std::optional<int64_t> earliest;
  for (const SegmentTrackReport& track : report.tracks) {
    if (!track.earliest_presentation_time.is_numeric()) continue;
    const int64_t t = to_ns(track.earliest_presentation_time);
    earliest = earliest ? std::min(*earliest, t) : t;
  }
  return earliest.value_or(0);
}

Rendition::Rendition(std::string name, RenditionFiles files, RenditionSettings settings,
                     std::vector<HlsTrackDescription> tracks)
    : name_(std::move(name)),
      files_(std::move(files)),
      settings_(settings),
      tracks_(std::move(tracks)),
      next_index_(settings.first_index) {
  playlist_.media_sequence = settings_.first_index;
  playlist_.playlist_type = settings_.playlist_length == 0 ? "EVENT" : "";
  playlist_.target_duration_s = hls::target_duration_for(settings_.segment_interval_ns);
  if (!files_.playlist_location.empty()) playlist_.map_uri = uri_of(files_.init_location);
}

std::string Rendition::uri_of(const std::string& location) const {
  if (files_.playlist_location.empty()) return location;
  return under_root(uri_relative_to(location, files_.playlist_location), settings_.playlist_root);
}

Status Rendition::write_init(std::span<const uint8_t> data) {
  return write_file_atomically(files_.init_location, data, settings_.sync);
}

Result<std::string> Rendition::write_next_init(std::span<const uint8_t> data) {
  // The segments written so far keep theirs (a client may still fetch them): a new file, named in the
  // playlist before the first segment that needs it.
  std::string location = numbered_init_location(files_.init_location, ++inits_);
  AW_RETURN_IF_ERROR(write_file_atomically(location, data, settings_.sync).with_context("init segment " + location));
  next_map_uri_ = uri_of(location);
  return location;
}

Result<HlsWrittenSegment> Rendition::write_segment(std::span<const uint8_t> data, const SegmentReport& report,
                                                   const std::function<int64_t()>& now_us) {
  auto location = format_segment_name(files_.segment_pattern, next_index_);
  if (!location) return location.status();
  AW_RETURN_IF_ERROR(write_file_atomically(*location, data, settings_.sync).with_context("segment " + *location));
  files_on_disk_.push_back(*location);

  HlsWrittenSegment written;
  written.rendition = name_;
  written.location = *location;
  written.uri = uri_of(*location);
  written.index = next_index_++;
  written.start_ns = segment_start_ns(report);
  written.duration_ns = segment_duration_ns(report);
  written.size = data.size();
  written.report = report;
  ++written_;

  hls::MediaSegment entry;
  entry.uri = written.uri;
  entry.duration_ns = written.duration_ns;
  if (!next_map_uri_.empty()) {
    entry.discontinuity = true;
    entry.map_uri = std::move(next_map_uri_);
    next_map_uri_.clear();
  }
  if (settings_.program_date_time) {
    // The wall clock is read when the first segment is complete: live, that is its end, so its start was
    // one duration earlier; later segments follow on the media timeline, which a live source keeps in step.
    if (!clock_anchor_) clock_anchor_ = {now_us() - written.duration_ns / 1000, written.start_ns};
    entry.program_date_time_us = clock_anchor_->first + (written.start_ns - clock_anchor_->second) / 1000;
  }
  playlist_.segments.push_back(std::move(entry));
  if (settings_.playlist_length > 0) {
    while (playlist_.segments.size() > settings_.playlist_length) hls::drop_first_segment(playlist_);
  }
  // Every EXTINF stays within the target duration (the ceiling of the longest one written, at least the
  // interval's); since a live playlist's target duration may not change, it only ever grows. The writer's
  // maximum segment duration bounds it.
  longest_ns_ = std::max(longest_ns_, written.duration_ns);
  playlist_.target_duration_s = std::max(playlist_.target_duration_s, hls::target_duration_for(longest_ns_));
  // A segment cut without a keyframe (the maximum segment duration) decodes only after the one before it.
  for (const SegmentTrackReport& track : report.tracks) {
    if (track.media_type == MediaType::kVideo && !track.first_sample_is_sync) {
      playlist_.independent_segments = false;
    }
  }
  if (written.duration_ns > 0) {
    peak_bandwidth_ = std::max(peak_bandwidth_, bits_per_second(written.size, written.duration_ns));
  }
  total_bytes_ += written.size;
  total_ns_ += written.duration_ns;
  AW_RETURN_IF_ERROR(write_playlist());
  return written;
}

std::optional<uint64_t> Rendition::average_bandwidth() const {
  if (total_ns_ <= 0) return std::nullopt;
  return bits_per_second(total_bytes_, total_ns_);
}

Status Rendition::write_playlist() {
  if (files_.playlist_location.empty()) return Status::ok();
  return write_file_atomically(files_.playlist_location, bytes_of(hls::render(playlist_)), settings_.sync);
}

// Files that left the playlist stay on disk until max-files is exceeded, so a client that fetched the
// previous playlist can still download them (rfc8216bis 6.2.2 asks for a playlist duration of grace).
void Rendition::delete_old_files() {
  if (settings_.max_files == 0) return;
  const size_t keep = std::max<size_t>(settings_.max_files, settings_.playlist_length);
  while (files_on_disk_.size() > keep) {
    ::unlink(files_on_disk_.front().c_str());
    files_on_disk_.pop_front();
  }
}

Status Rendition::end() {
  if (written_ == 0) return Status::ok();
  playlist_.ended = true;
  // A VOD playlist is complete and never changes again (rfc8216bis 4.4.3.5): only now can it say so.
  if (settings_.vod) playlist_.playlist_type = "VOD";
  return write_playlist();
}

}  // namespace aw
