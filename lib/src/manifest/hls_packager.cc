// The HlsPackager: hands each initialization and media segment to its Rendition (one for all tracks, or
// one per track), which writes it under its name, rewrites its media playlist and keeps the sliding window
// of a live stream; then it rewrites the multivariant playlist.
#include "aw/hls_packager.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <vector>

#include "manifest/hls_playlist.h"
#include "manifest/multivariant.h"
#include "manifest/rendition.h"
#include "manifest/segment_naming.h"

namespace aw {
namespace {

int64_t system_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class FilePackager final : public HlsPackager {
 public:
  FilePackager(HlsPackagerConfig config, Callbacks callbacks)
      : config_(std::move(config)), callbacks_(std::move(callbacks)), storage_(config_.storage) {}

  Status did_output_segment_data(std::span<const uint8_t> data, SegmentType type, const SegmentReport* report) override;
  Status did_output_part_data(std::span<const uint8_t> data, const PartReport& report) override;
  Status finish() override;
  void set_sync(bool sync) override;
  Status error() const override;
  uint64_t segments_written() const override;
  std::string media_playlist_text() const override;

 private:
  Status write_init(std::span<const uint8_t> data, const SegmentReport* report);
  Status write_segment(std::span<const uint8_t> data, const SegmentReport& report);
  Status write_part(std::span<const uint8_t> data, const PartReport& report);
  Status write_multivariant_playlist(bool last);
  Rendition* rendition_of(const std::vector<SegmentTrackReport>& tracks);
  // With one track per header: where every other rendition's live edge is, as `rendition`'s playlist names it.
  std::vector<hls::RenditionReport> reports_for(const Rendition& rendition) const;
  Status fail(Status status);

  const HlsPackagerConfig config_;
  const Callbacks callbacks_;
  const WallClock clock_{callbacks_.now_us, callbacks_.wall_clock_us_at};
  mutable std::mutex mutex_;
  Status error_;
  const std::shared_ptr<HlsStorage> storage_;
  uint64_t written_ = 0;
  std::vector<std::unique_ptr<Rendition>> renditions_;
  std::map<uint32_t, Rendition*> rendition_of_track_;
};

}  // namespace

Result<std::unique_ptr<HlsPackager>> HlsPackager::create(HlsPackagerConfig config, Callbacks callbacks) {
  if (config.init_location.empty()) config.init_location = default_init_location(config.segment_pattern);
  if (config.playlist_type == HlsPackagerConfig::PlaylistType::kVod && config.playlist_length != 0) {
    return Status(ErrorCode::kInvalidArgument,
                  "a VOD playlist lists every segment: it cannot have a live window (playlist length " +
                      std::to_string(config.playlist_length) + ")");
  }
  if (!hls::is_quotable(config.playlist_root)) {
    return Status(ErrorCode::kInvalidArgument,
                  "playlist root \"" + config.playlist_root + "\" cannot be written in a playlist (quotes or line breaks)");
  }
  if (config.one_track_per_header) {
    for (const std::string* location : {&config.segment_pattern, &config.init_location, &config.playlist_location}) {
      if (!location->empty() && !has_rendition_name(*location)) {
        return Status(ErrorCode::kInvalidArgument,
                      "with one track per header \"" + *location +
                          "\" needs a %s for the track's name (e.g. %s/segment%05d.m4s), or the tracks' "
                          "files would overwrite each other");
      }
    }
    AW_RETURN_IF_ERROR(check_segment_pattern(expand_rendition_name(config.segment_pattern, "track")));
  } else {
    AW_RETURN_IF_ERROR(check_segment_pattern(config.segment_pattern));
  }
  for (const std::string* uri_source : {&config.init_location, &config.segment_pattern}) {
    if (!hls::is_quotable(*uri_source)) {
      return Status(ErrorCode::kInvalidArgument,
                    "\"" + *uri_source + "\" cannot be written in a playlist (quotes or line breaks)");
    }
  }
  if (!callbacks.now_us) callbacks.now_us = system_now_us;
  if (!config.storage) config.storage = std::make_shared<HlsFileStorage>(config.sync);
  return std::unique_ptr<HlsPackager>(new FilePackager(std::move(config), std::move(callbacks)));
}

namespace {

void FilePackager::set_sync(bool sync) {
  std::lock_guard lock(mutex_);
  if (auto* files = dynamic_cast<HlsFileStorage*>(storage_.get())) files->set_sync(sync);
}

Status FilePackager::did_output_segment_data(std::span<const uint8_t> data, SegmentType type,
                                             const SegmentReport* report) {
  std::lock_guard lock(mutex_);
  if (!error_) return error_;  // after a failure nothing more is written, so the playlists stay consistent
  if (type == SegmentType::kInitialization) return fail(write_init(data, report));
  if (!report) return fail(Status(ErrorCode::kInvalidArgument, "a media segment arrived without its report"));
  return fail(write_segment(data, *report));
}

Status FilePackager::write_init(std::span<const uint8_t> data, const SegmentReport* report) {
  std::vector<HlsTrackDescription> tracks;
  std::vector<uint32_t> track_ids;
  if (report) {
    for (const SegmentTrackReport& track : report->tracks) {
      track_ids.push_back(track.track_id);
      HlsTrackDescription description;
      if (callbacks_.describe_track) description = callbacks_.describe_track(track.track_id);
      description.media_type = track.media_type;
      if (description.name.empty()) description.name = "track" + std::to_string(track.track_id);
      tracks.push_back(std::move(description));
    }
  }
  // A further header for tracks that have one: a format change (the writer's new initialization segment).
  if (!track_ids.empty() && rendition_of_track_.count(track_ids.front())) {
    Rendition* rendition = rendition_of_track_[track_ids.front()];
    AW_ASSIGN_OR_RETURN(std::string location, rendition->write_next_init(data));
    if (callbacks_.init_written) callbacks_.init_written(location, data.size());
    return Status::ok();
  }
  RenditionFiles files{config_.segment_pattern, config_.init_location, config_.playlist_location};
  std::string name;
  if (config_.one_track_per_header) {
    if (tracks.size() != 1) {
      return Status(ErrorCode::kInvalidArgument,
                    "a header of one track was expected, not of " + std::to_string(tracks.size()));
    }
    name = tracks.front().name;
    files = rendition_files(files, name);
    for (const auto& [path, kind] : {std::pair{&files.segment_pattern, HlsFileKind::kMediaSegment},
                                     std::pair{&files.init_location, HlsFileKind::kInitSegment},
                                     std::pair{&files.playlist_location, HlsFileKind::kPlaylist}}) {
      AW_RETURN_IF_ERROR(storage_->prepare_directory_of(*path, kind));
    }
  } else if (!renditions_.empty()) {
    return Status(ErrorCode::kInvalidArgument, "a second header for a stream of all tracks");
  }
  RenditionSettings settings{config_.playlist_length,
                             config_.max_files,
                             config_.program_date_time,
                             config_.segment_interval_ns,
                             config_.first_index,
                             config_.playlist_root,
                             config_.playlist_type == HlsPackagerConfig::PlaylistType::kVod,
                             std::max<int64_t>(config_.part_interval_ns, 0),
                             config_.part_files,
                             config_.delta_updates};
  auto rendition = std::make_unique<Rendition>(name, files, settings, std::move(tracks), *storage_);
  AW_RETURN_IF_ERROR(rendition->write_init(data));
  for (uint32_t id : track_ids) rendition_of_track_[id] = rendition.get();
  renditions_.push_back(std::move(rendition));
  if (callbacks_.init_written) callbacks_.init_written(files.init_location, data.size());
  return Status::ok();
}

Rendition* FilePackager::rendition_of(const std::vector<SegmentTrackReport>& tracks) {
  // Without one track per header there is one rendition, whatever the report (even one without tracks).
  if (!config_.one_track_per_header) return renditions_.empty() ? nullptr : renditions_.front().get();
  if (tracks.empty()) return nullptr;
  auto found = rendition_of_track_.find(tracks.front().track_id);
  return found == rendition_of_track_.end() ? nullptr : found->second;
}

std::vector<hls::RenditionReport> FilePackager::reports_for(const Rendition& rendition) const {
  std::vector<hls::RenditionReport> reports;
  if (config_.part_interval_ns <= 0 || rendition.files().playlist_location.empty()) return reports;
  for (const auto& other : renditions_) {
    if (other.get() == &rendition || other->files().playlist_location.empty()) continue;
    std::optional<hls::RenditionReport> edge = other->live_edge();
    if (!edge) continue;
    edge->uri = under_root(uri_relative_to(other->files().playlist_location, rendition.files().playlist_location),
                           config_.playlist_root);
    reports.push_back(std::move(*edge));
  }
  return reports;
}

Status FilePackager::did_output_part_data(std::span<const uint8_t> data, const PartReport& report) {
  std::lock_guard lock(mutex_);
  if (!error_) return error_;
  // A packager without a part interval lists whole segments only: the parts come again inside them.
  if (config_.part_interval_ns <= 0) return Status::ok();
  return fail(write_part(data, report));
}

Status FilePackager::write_part(std::span<const uint8_t> data, const PartReport& report) {
  Rendition* rendition = rendition_of(report.tracks);
  if (!rendition) return Status(ErrorCode::kInvalidArgument, "a part arrived before its initialization segment");
  rendition->set_rendition_reports(reports_for(*rendition));
  AW_ASSIGN_OR_RETURN(HlsPublishedPart part, rendition->write_part(data, report, clock_));
  if (callbacks_.part_published) callbacks_.part_published(part);
  return Status::ok();
}

Status FilePackager::write_segment(std::span<const uint8_t> data, const SegmentReport& report) {
  Rendition* rendition = rendition_of(report.tracks);
  if (!rendition) {
    return Status(ErrorCode::kInvalidArgument, "a media segment arrived before its initialization segment");
  }
  rendition->set_rendition_reports(reports_for(*rendition));
  AW_ASSIGN_OR_RETURN(HlsWrittenSegment written, rendition->write_segment(data, report, clock_));
  ++written_;
  AW_RETURN_IF_ERROR(write_multivariant_playlist(/*last=*/false));
  if (callbacks_.segment_written) callbacks_.segment_written(written);
  rendition->delete_old_files();
  return Status::ok();
}

Status FilePackager::write_multivariant_playlist(bool last) {
  if (config_.multivariant_location.empty() || config_.playlist_location.empty()) return Status::ok();
  // Only once every rendition's media playlist exists: a player must find whatever it names. The last time
  // (at the end), a track that never had a segment is left out instead.
  std::vector<const Rendition*> renditions;
  for (const auto& rendition : renditions_) {
    if (rendition->segments_written() > 0) {
      renditions.push_back(rendition.get());
    } else if (!last) {
      return Status::ok();
    }
  }
  if (renditions.empty()) return Status::ok();
  const std::string text =
      hls::render(multivariant_playlist(renditions, config_.one_track_per_header, config_.multivariant_location,
                                        config_.playlist_root));
  auto file = storage_->open(config_.multivariant_location, HlsFileKind::kMultivariantPlaylist, HlsWriteMode::kWhole);
  if (!file) return file.status();
  AW_RETURN_IF_ERROR((*file)->write(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
  return (*file)->close();
}

Status FilePackager::finish() {
  std::lock_guard lock(mutex_);
  if (!error_) return error_;
  if (written_ == 0) return Status::ok();
  for (const auto& rendition : renditions_) {
    rendition->set_rendition_reports(reports_for(*rendition));
    AW_RETURN_IF_ERROR(fail(rendition->end()));
  }
  return fail(write_multivariant_playlist(/*last=*/true));
}

Status FilePackager::fail(Status status) {
  if (!status && error_) error_ = status;
  return status;
}

Status FilePackager::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

uint64_t FilePackager::segments_written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

std::string FilePackager::media_playlist_text() const {
  std::lock_guard lock(mutex_);
  return renditions_.empty() ? std::string() : renditions_.front()->playlist_text();
}

}  // namespace
}  // namespace aw
