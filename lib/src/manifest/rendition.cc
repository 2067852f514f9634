#include "manifest/rendition.h"

#include <algorithm>


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
                     std::vector<HlsTrackDescription> tracks, HlsStorage& storage)
    : name_(std::move(name)),
      files_(std::move(files)),
      settings_(settings),
      tracks_(std::move(tracks)),
      storage_(storage),
      next_index_(settings.first_index) {
  playlist_.media_sequence = settings_.first_index;
  playlist_.playlist_type = settings_.playlist_length == 0 ? "EVENT" : "";
  playlist_.target_duration_s = hls::target_duration_for(settings_.segment_interval_ns);
  playlist_.part_target_ns = settings_.part_interval_ns;
  if (!files_.playlist_location.empty()) playlist_.map_uri = uri_of(files_.init_location);
}

std::string Rendition::uri_of(const std::string& location) const {
  if (files_.playlist_location.empty()) return location;
  return under_root(uri_relative_to(location, files_.playlist_location), settings_.playlist_root);
}

Status Rendition::write_whole(const std::string& location, HlsFileKind kind, std::span<const uint8_t> data) {
  auto file = storage_.open(location, kind, HlsWriteMode::kWhole);
  if (!file) return file.status();
  AW_RETURN_IF_ERROR((*file)->write(data));
  return (*file)->close();
}

Status Rendition::write_init(std::span<const uint8_t> data) {
  return write_whole(files_.init_location, HlsFileKind::kInitSegment, data);
}

Result<std::string> Rendition::write_next_init(std::span<const uint8_t> data) {
  // The segments written so far keep theirs (a client may still fetch them): a new file, named in the
  // playlist before the first segment that needs it.
  std::string location = numbered_init_location(files_.init_location, ++inits_);
  AW_RETURN_IF_ERROR(write_whole(location, HlsFileKind::kInitSegment, data).with_context("init segment " + location));
  next_map_uri_ = uri_of(location);
  return location;
}

hls::MediaSegment Rendition::new_entry(int64_t start_ns, int64_t elapsed_ns, const WallClock& clock) {
  hls::MediaSegment entry;
  if (!next_map_uri_.empty()) {
    entry.discontinuity = true;
    entry.map_uri = std::move(next_map_uri_);
    next_map_uri_.clear();
  }
  if (!settings_.program_date_time) return entry;
  if (clock.at_media_ns) {
    entry.program_date_time_us = clock.at_media_ns(start_ns);
    return entry;
  }
  // The wall clock is read when the first segment (or part) is complete: live, that is its end, so its
  // start was `elapsed_ns` earlier; later segments follow on the media timeline, which a live source keeps
  // in step.
  if (!clock_anchor_) clock_anchor_ = {clock.now_us() - elapsed_ns / 1000, start_ns};
  entry.program_date_time_us = clock_anchor_->first + (start_ns - clock_anchor_->second) / 1000;
  return entry;
}

Result<HlsWrittenSegment> Rendition::write_segment(std::span<const uint8_t> data, const SegmentReport& report,
                                                   const WallClock& clock) {
  auto location = format_segment_name(files_.segment_pattern, next_index_);
  if (!location) return location.status();
  hls::MediaSegment entry;
  if (in_progress_) {
    AW_ASSIGN_OR_RETURN(entry, complete_segment(data));
  } else {
    AW_RETURN_IF_ERROR(
        write_whole(*location, HlsFileKind::kMediaSegment, data).with_context("segment " + *location));
    files_on_disk_.push_back({{*location, HlsFileKind::kMediaSegment}});
    entry = new_entry(segment_start_ns(report), segment_duration_ns(report), clock);
  }

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

  entry.uri = written.uri;
  entry.duration_ns = written.duration_ns;
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
  if (settings_.part_interval_ns > 0) {
    trim_parts();
    playlist_.preload_hint = next_part_hint();
  }
  AW_RETURN_IF_ERROR(write_playlist());
  if (!files_.playlist_location.empty()) {
    written.playlist = playlist_text();
    written.delta_playlist = delta_playlist_text();
  }
  return written;
}

Status Rendition::begin_segment(const PartReport& first, const WallClock& clock) {
  InProgress segment;
  segment.index = next_index_;
  auto location = format_segment_name(files_.segment_pattern, next_index_);
  if (!location) return location.status();
  segment.location = *location;
  segment.files.push_back({*location, HlsFileKind::kMediaSegment});
  if (!settings_.part_files) {
    // The segment file exists at its final name from the first part on, growing as parts arrive: a part's
    // byte range is in it before any playlist names the part.
    auto file = storage_.open(*location, HlsFileKind::kMediaSegment, HlsWriteMode::kGrowing);
    if (!file) return file.status().with_context("segment " + *location);
    segment.file = std::move(*file);
  }
  int64_t start_ns = 0;
  bool any = false;
  for (const SegmentTrackReport& track : first.tracks) {
    const int64_t t = to_ns(track.earliest_presentation_time);
    start_ns = any ? std::min(start_ns, t) : t;
    any = true;
  }
  playlist_.in_progress = new_entry(start_ns, to_ns(first.duration), clock);
  in_progress_ = std::move(segment);
  return Status::ok();
}

Result<HlsPublishedPart> Rendition::write_part(std::span<const uint8_t> data, const PartReport& report,
                                               const WallClock& clock) {
  if (written_ == 0 && !in_progress_) fix_part_target(report);
  if (!in_progress_) AW_RETURN_IF_ERROR(begin_segment(report, clock));
  InProgress& segment = *in_progress_;
  if (report.index != segment.parts || report.offset != segment.size) {
    return Status(ErrorCode::kInvalidArgument, "part " + std::to_string(report.index) + " at offset " +
                                                   std::to_string(report.offset) + " does not follow the " +
                                                   std::to_string(segment.parts) + " parts of " + segment.location);
  }
  HlsPublishedPart part;
  part.rendition = name_;
  part.media_sequence = segment.index;
  part.part = report.index;
  part.size = data.size();
  part.duration_ns = to_ns(report.duration);
  part.independent = report.independent;
  hls::Part entry;
  entry.duration_ns = part.duration_ns;
  entry.independent = part.independent;
  if (settings_.part_files) {
    part.location = part_file_location(segment.location, report.index);
    AW_RETURN_IF_ERROR(
        write_whole(part.location, HlsFileKind::kPart, data).with_context("part " + part.location));
    segment.files.push_back({part.location, HlsFileKind::kPart});
  } else {
    part.location = segment.location;
    part.offset = report.offset;
    AW_RETURN_IF_ERROR(segment.file->write(data));
    entry.byte_range = std::make_pair(static_cast<uint64_t>(data.size()), report.offset);
  }
  segment.size += data.size();
  ++segment.parts;
  // A frame longer than the target (a source slower than the parts) cannot fit it: the target grows to
  // it rather than list a part that outlasts it.
  playlist_.part_target_ns = std::max(playlist_.part_target_ns, part.duration_ns);
  part.uri = uri_of(part.location);
  entry.uri = part.uri;
  playlist_.in_progress->parts.push_back(std::move(entry));
  playlist_.preload_hint = next_part_hint();
  AW_RETURN_IF_ERROR(write_playlist());
  part.playlist = playlist_text();
  part.delta_playlist = delta_playlist_text();
  return part;
}

// PART-TARGET does not change while the playlist lives (a client sizes its hold-back by it), so the first
// part fixes it: the interval, or for a rendition without video one frame more, since its parts end at its
// first frame at or past the video's cut (4.4.4.9: every part within the target).
void Rendition::fix_part_target(const PartReport& first) {
  int64_t frame_ns = 0;
  for (const SegmentTrackReport& track : first.tracks) {
    if (track.media_type == MediaType::kVideo) return;
    if (track.sample_count > 0) frame_ns = std::max(frame_ns, to_ns(track.duration) / track.sample_count);
  }
  playlist_.part_target_ns = settings_.part_interval_ns + frame_ns;
}

Result<hls::MediaSegment> Rendition::complete_segment(std::span<const uint8_t> data) {
  InProgress segment = std::move(*in_progress_);
  in_progress_.reset();
  if (settings_.part_files) {
    AW_RETURN_IF_ERROR(
        write_whole(segment.location, HlsFileKind::kMediaSegment, data).with_context("segment " + segment.location));
  } else {
    // The parts already are the segment: the writer delivers it as exactly their bytes.
    if (data.size() != segment.size) {
      return Status(ErrorCode::kInvalidArgument, "segment " + segment.location + " of " + std::to_string(data.size()) +
                                                     " bytes is not the " + std::to_string(segment.size) +
                                                     " bytes of its parts");
    }
    AW_RETURN_IF_ERROR(segment.file->close());
  }
  files_on_disk_.push_back(std::move(segment.files));
  hls::MediaSegment entry = std::move(*playlist_.in_progress);
  playlist_.in_progress.reset();
  return entry;
}

void Rendition::trim_parts() {
  // Counting back from the newest segment: once three target durations are covered, older segments lose
  // their parts (the one reaching past the mark keeps them, so at least three target durations are listed).
  const int64_t keep_ns = 3 * static_cast<int64_t>(playlist_.target_duration_s) * kNsPerSecond;
  int64_t covered = 0;
  for (auto segment = playlist_.segments.rbegin(); segment != playlist_.segments.rend(); ++segment) {
    if (covered >= keep_ns) segment->parts.clear();
    covered += segment->duration_ns;
  }
}

hls::PreloadHint Rendition::next_part_hint() const {
  hls::PreloadHint hint;
  const uint64_t index = in_progress_ ? in_progress_->index : next_index_;
  const uint32_t part = in_progress_ ? in_progress_->parts : 0;
  // The pattern was checked when the packager was made, so it formats.
  auto formatted = format_segment_name(files_.segment_pattern, index);
  const std::string segment = formatted ? *formatted : std::string();
  if (settings_.part_files) {
    hint.uri = uri_of(part_file_location(segment, part));
  } else {
    hint.uri = uri_of(segment);
    hint.byte_range_start = in_progress_ ? in_progress_->size : 0;
  }
  return hint;
}

std::optional<hls::RenditionReport> Rendition::live_edge() const {
  hls::RenditionReport edge;
  if (in_progress_ && in_progress_->parts > 0) {
    edge.last_msn = in_progress_->index;
    edge.last_part = in_progress_->parts - 1;
    return edge;
  }
  if (written_ == 0) return std::nullopt;
  edge.last_msn = next_index_ - 1;
  if (!playlist_.segments.empty() && !playlist_.segments.back().parts.empty()) {
    edge.last_part = static_cast<uint32_t>(playlist_.segments.back().parts.size() - 1);
  }
  return edge;
}

std::optional<uint64_t> Rendition::average_bandwidth() const {
  if (total_ns_ <= 0) return std::nullopt;
  return bits_per_second(total_bytes_, total_ns_);
}

std::string Rendition::delta_playlist_text() const {
  return settings_.delta_updates ? hls::render_delta(playlist_) : std::string();
}

// The delta playlist first: a server that sees the playlist list a part finds it in the delta too.
Status Rendition::write_playlist() {
  if (files_.playlist_location.empty()) return Status::ok();
  if (settings_.delta_updates) {
    // CAN-SKIP-UNTIL is at least six target durations (4.4.3.8), and the target duration only grows.
    playlist_.skip_until_ns = 6 * static_cast<int64_t>(playlist_.target_duration_s) * kNsPerSecond;
    AW_RETURN_IF_ERROR(write_whole(delta_playlist_location(files_.playlist_location), HlsFileKind::kPlaylist,
                                   bytes_of(hls::render_delta(playlist_))));
  }
  return write_whole(files_.playlist_location, HlsFileKind::kPlaylist, bytes_of(hls::render(playlist_)));
}

// Files that left the playlist stay on disk until max-files is exceeded, so a client that fetched the
// previous playlist can still download them (rfc8216bis 6.2.2 asks for a playlist duration of grace).
void Rendition::delete_old_files() {
  if (settings_.max_files == 0) return;
  const size_t keep = std::max<size_t>(settings_.max_files, settings_.playlist_length);
  while (files_on_disk_.size() > keep) {
    for (const StoredFile& file : files_on_disk_.front()) (void)storage_.remove(file.location, file.kind);
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
