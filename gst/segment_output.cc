#include "segment_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

namespace gstaw {
namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;

aw::Status io_error(const std::string& what, const std::string& path, int error) {
  return aw::Status(aw::ErrorCode::kIo, what + " \"" + path + "\": " + std::strerror(error));
}

int64_t to_ns(const aw::Time& t) {
  if (!t.is_numeric()) return 0;
  return t.rescaled(static_cast<int32_t>(kNsPerSecond)).value_or(0);
}

struct Conversion {
  size_t begin = 0;  // index of '%'
  size_t end = 0;    // one past the conversion character
  bool zero_pad = false;
  int width = 0;
};

aw::Result<Conversion> find_conversion(const std::string& pattern) {
  std::optional<Conversion> found;
  auto bad = [&](const std::string& why) {
    return aw::Status(aw::ErrorCode::kInvalidArgument, "segment location \"" + pattern + "\" " + why);
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') continue;
    if (i + 1 < pattern.size() && pattern[i + 1] == '%') {
      ++i;
      continue;
    }
    Conversion c;
    c.begin = i;
    size_t j = i + 1;
    if (j < pattern.size() && pattern[j] == '0') {
      c.zero_pad = true;
      ++j;
    }
    while (j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9') {
      c.width = c.width * 10 + (pattern[j] - '0');
      if (c.width > 20) return bad("has a field width over 20");
      ++j;
    }
    if (j >= pattern.size() || (pattern[j] != 'd' && pattern[j] != 'u' && pattern[j] != 'i')) {
      return bad("may only hold an integer conversion such as %05d (and %% for a percent sign)");
    }
    if (found) return bad("holds more than one %d conversion");
    c.end = j + 1;
    found = c;
    i = j;
  }
  if (!found) return bad("needs a %d conversion for the segment number (e.g. segment%05d.m4s)");
  return *found;
}

std::string unescape_percent(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '%' && i + 1 < text.size() && text[i + 1] == '%') ++i;
  }
  return out;
}

int64_t system_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

aw::Status check_segment_pattern(const std::string& pattern) { return find_conversion(pattern).status(); }

aw::Result<std::string> format_segment_name(const std::string& pattern, uint64_t index) {
  auto conversion = find_conversion(pattern);
  if (!conversion) return conversion.status();
  std::string number = std::to_string(index);
  if (number.size() < static_cast<size_t>(conversion->width)) {
    number.insert(0, conversion->width - number.size(), conversion->zero_pad ? '0' : ' ');
  }
  return unescape_percent(pattern.substr(0, conversion->begin)) + number +
         unescape_percent(pattern.substr(conversion->end));
}

std::string uri_relative_to(const std::string& target, const std::string& playlist) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target_path = fs::absolute(fs::path(target), ec).lexically_normal();
  if (ec) return target;
  const fs::path base = fs::absolute(fs::path(playlist), ec).lexically_normal().parent_path();
  if (ec) return target;
  const fs::path relative = target_path.lexically_relative(base);
  if (relative.empty()) return target_path.string();
  return relative.generic_string();
}

aw::Status write_file_atomically(const std::string& path, std::span<const uint8_t> data, bool sync) {
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("could not create", temporary, errno);
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      ::close(fd);
      ::unlink(temporary.c_str());
      return io_error("could not write", temporary, error);
    }
    done += static_cast<size_t>(n);
  }
  if (sync && ::fdatasync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    return io_error("could not sync", temporary, error);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return io_error("could not close", temporary, error);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return io_error("could not rename into", path, error);
  }
  if (sync) {
    // The rename itself survives power loss only once the directory is synced.
    const std::string directory = std::filesystem::path(path).parent_path().string();
    const int dir = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }
  return aw::Status::ok();
}

int64_t segment_duration_ns(const aw::SegmentReport& report) {
  int64_t longest = 0;
  for (const aw::SegmentTrackReport& track : report.tracks) {
    if (track.media_type == aw::MediaType::kVideo) return to_ns(track.duration);
    longest = std::max(longest, to_ns(track.duration));
  }
  return longest;
}

int64_t segment_start_ns(const aw::SegmentReport& report) {
  std::optional<int64_t> earliest;
  for (const aw::SegmentTrackReport& track : report.tracks) {
    if (!track.earliest_presentation_time.is_numeric()) continue;
    const int64_t t = to_ns(track.earliest_presentation_time);
    earliest = earliest ? std::min(*earliest, t) : t;
  }
  return earliest.value_or(0);
}

std::string expand_rendition_name(const std::string& text, const std::string& name) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 1 < text.size() && text[i + 1] == '%') {
      out += "%%";
      ++i;
    } else if (text[i] == '%' && i + 1 < text.size() && text[i + 1] == 's') {
      out += name;
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool has_rendition_name(const std::string& text) { return expand_rendition_name(text, "\n") != text; }

aw::Result<std::unique_ptr<SegmentOutput>> SegmentOutput::create(SegmentOutputConfig config, Callbacks callbacks) {
  if (config.init_location.empty()) {
    return aw::Status(aw::ErrorCode::kInvalidArgument, "segment mode needs an init-location for the header");
  }
  if (config.one_track_per_header) {
    for (const std::string* location : {&config.segment_pattern, &config.init_location, &config.playlist_location}) {
      if (!location->empty() && !has_rendition_name(*location)) {
        return aw::Status(aw::ErrorCode::kInvalidArgument,
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
      return aw::Status(aw::ErrorCode::kInvalidArgument,
                        "\"" + *uri_source + "\" cannot be written in a playlist (quotes or line breaks)");
    }
  }
  if (!callbacks.now_us) callbacks.now_us = system_now_us;
  return std::unique_ptr<SegmentOutput>(new SegmentOutput(std::move(config), std::move(callbacks)));
}

SegmentOutput::SegmentOutput(SegmentOutputConfig config, Callbacks callbacks)
    : config_(std::move(config)), callbacks_(std::move(callbacks)), sync_(config_.sync) {}

void SegmentOutput::set_sync(bool sync) {
  std::lock_guard lock(mutex_);
  sync_ = sync;
}

aw::Status SegmentOutput::did_output_segment_data(std::span<const uint8_t> data, aw::SegmentType type,
                                                  const aw::SegmentReport* report) {
  std::lock_guard lock(mutex_);
  if (!error_) return error_;  // after a failure nothing more is written, so the playlists stay consistent
  if (type == aw::SegmentType::kInitialization) return fail(write_init(data, report));
  if (!report) return fail(aw::Status(aw::ErrorCode::kInvalidArgument, "a media segment arrived without its report"));
  return fail(write_segment(data, *report));
}

aw::Status SegmentOutput::write_init(std::span<const uint8_t> data, const aw::SegmentReport* report) {
  std::vector<TrackDescription> tracks;
  std::vector<uint32_t> track_ids;
  if (report) {
    for (const aw::SegmentTrackReport& track : report->tracks) {
      track_ids.push_back(track.track_id);
      TrackDescription description;
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
    return aw::Status::ok();
  }
  RenditionFiles files{config_.segment_pattern, config_.init_location, config_.playlist_location};
  std::string name;
  if (config_.one_track_per_header) {
    if (tracks.size() != 1) {
      return aw::Status(aw::ErrorCode::kInvalidArgument,
                        "a header of one track was expected, not of " + std::to_string(tracks.size()));
    }
    name = tracks.front().name;
    files.segment_pattern = expand_rendition_name(files.segment_pattern, name);
    // Not patterns: only the percent signs of %% are left to unescape.
    files.init_location = unescape_percent(expand_rendition_name(files.init_location, name));
    files.playlist_location = unescape_percent(expand_rendition_name(files.playlist_location, name));
    for (const std::string* path : {&files.segment_pattern, &files.init_location, &files.playlist_location}) {
      const std::filesystem::path parent = std::filesystem::path(*path).parent_path();
      std::error_code ec;
      if (!parent.empty()) std::filesystem::create_directories(parent, ec);
      if (ec) return io_error("could not create the directory", parent.string(), ec.value());
    }
  } else if (!renditions_.empty()) {
    return aw::Status(aw::ErrorCode::kInvalidArgument, "a second header for a stream of all tracks");
  }
  RenditionSettings settings{config_.playlist_length,     config_.max_files,  config_.program_date_time, sync_,
                             config_.segment_interval_ns, config_.first_index};
  auto rendition = std::make_unique<Rendition>(name, files, settings, std::move(tracks));
  AW_RETURN_IF_ERROR(rendition->write_init(data));
  for (uint32_t id : track_ids) rendition_of_track_[id] = rendition.get();
  renditions_.push_back(std::move(rendition));
  if (callbacks_.init_written) callbacks_.init_written(files.init_location, data.size());
  return aw::Status::ok();
}

Rendition* SegmentOutput::rendition_of(const aw::SegmentReport& report) {
  // Without one track per header there is one rendition, whatever the report (even one without tracks).
  if (!config_.one_track_per_header) return renditions_.empty() ? nullptr : renditions_.front().get();
  if (report.tracks.empty()) return nullptr;
  auto found = rendition_of_track_.find(report.tracks.front().track_id);
  return found == rendition_of_track_.end() ? nullptr : found->second;
}

aw::Status SegmentOutput::write_segment(std::span<const uint8_t> data, const aw::SegmentReport& report) {
  Rendition* rendition = rendition_of(report);
  if (!rendition) {
    return aw::Status(aw::ErrorCode::kInvalidArgument, "a media segment arrived before its initialization segment");
  }
  AW_ASSIGN_OR_RETURN(WrittenSegment written, rendition->write_segment(data, report, callbacks_.now_us));
  ++written_;
  AW_RETURN_IF_ERROR(write_multivariant_playlist(/*last=*/false));
  if (callbacks_.segment_written) callbacks_.segment_written(written);
  rendition->delete_old_files();
  return aw::Status::ok();
}

namespace {

// CODECS of a variant: every codec it plays, or none when one has no name (a partial list makes players
// refuse what they could play).
std::vector<std::string> codecs_of(const std::vector<const TrackDescription*>& tracks) {
  std::vector<std::string> codecs;
  for (const TrackDescription* track : tracks) {
    if (track->codec.empty()) return {};
    if (std::find(codecs.begin(), codecs.end(), track->codec) == codecs.end()) codecs.push_back(track->codec);
  }
  return codecs;
}

const TrackDescription* first_video(const std::vector<const TrackDescription*>& tracks) {
  for (const TrackDescription* track : tracks) {
    if (track->media_type == aw::MediaType::kVideo && track->resolution) return track;
  }
  return nullptr;
}

}  // namespace

aw::Status SegmentOutput::write_multivariant_playlist(bool last) {
  if (config_.multivariant_location.empty() || config_.playlist_location.empty()) return aw::Status::ok();
  // Only once every rendition's media playlist exists: a player must find whatever it names. The last time
  // (at EOS), a track that never had a segment is left out instead.
  std::vector<const Rendition*> renditions;
  for (const auto& rendition : renditions_) {
    if (rendition->segments_written() > 0) {
      renditions.push_back(rendition.get());
    } else if (!last) {
      return aw::Status::ok();
    }
  }
  if (renditions.empty()) return aw::Status::ok();
  hls::MultivariantPlaylist multivariant;
  auto uri_of = [&](const Rendition& r) {
    return uri_relative_to(r.files().playlist_location, config_.multivariant_location);
  };
  auto variant_of = [&](std::vector<const Rendition*> parts) {
    hls::Variant variant;
    std::vector<const TrackDescription*> tracks;
    uint64_t average = 0;
    bool all_averages = true;
    for (const Rendition* part : parts) {
      for (const TrackDescription& track : part->tracks()) tracks.push_back(&track);
      variant.bandwidth += part->peak_bandwidth();
      if (auto a = part->average_bandwidth())
        average += *a;
      else
        all_averages = false;
    }
    variant.uri = uri_of(*parts.front());
    variant.bandwidth = std::max<uint64_t>(variant.bandwidth, 1);
    if (all_averages) variant.average_bandwidth = average;
    variant.codecs = codecs_of(tracks);
    if (const TrackDescription* video = first_video(tracks)) {
      variant.resolution = video->resolution;
      variant.frame_rate = video->frame_rate;
    }
    return variant;
  };
  for (const Rendition* rendition : renditions) {
    multivariant.independent_segments = multivariant.independent_segments && rendition->independent_segments();
  }

  if (!config_.one_track_per_header) {
    multivariant.variants.push_back(variant_of({renditions.front()}));
  } else {
    std::vector<const Rendition*> videos, audios;
    for (const Rendition* r : renditions) {
      (r->tracks().front().media_type == aw::MediaType::kVideo ? videos : audios).push_back(r);
    }
    if (videos.empty()) {
      // Audio only: each track is a variant of its own.
      for (const Rendition* audio : audios) multivariant.variants.push_back(variant_of({audio}));
    } else {
      // Audio renditions in one group (the first is the default); every video variant names it, and its
      // BANDWIDTH and CODECS count the group's most demanding rendition as RFC 8216bis 4.4.6.2 asks.
      const Rendition* heaviest = nullptr;
      for (const Rendition* audio : audios) {
        hls::Rendition media;
        media.group_id = "audio";
        media.name = audio->name();
        media.language = audio->tracks().front().language;
        media.is_default = audio == audios.front();
        media.uri = uri_of(*audio);
        multivariant.renditions.push_back(std::move(media));
        if (!heaviest || audio->peak_bandwidth() > heaviest->peak_bandwidth()) heaviest = audio;
      }
      for (const Rendition* video : videos) {
        std::vector<const Rendition*> parts{video};
        if (heaviest) parts.push_back(heaviest);
        hls::Variant variant = variant_of(parts);
        if (heaviest) {
          // CODECS names every codec of the group, not only the heaviest rendition's.
          std::vector<const TrackDescription*> tracks{&video->tracks().front()};
          for (const Rendition* audio : audios) tracks.push_back(&audio->tracks().front());
          variant.codecs = codecs_of(tracks);
          variant.audio_group = "audio";
        }
        multivariant.variants.push_back(std::move(variant));
      }
    }
  }
  const std::string text = hls::render(multivariant);
  return write_file_atomically(config_.multivariant_location,
                               std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), sync_);
}

aw::Status SegmentOutput::finish() {
  std::lock_guard lock(mutex_);
  if (!error_) return error_;
  if (written_ == 0) return aw::Status::ok();
  for (const auto& rendition : renditions_) AW_RETURN_IF_ERROR(fail(rendition->end()));
  return fail(write_multivariant_playlist(/*last=*/true));
}

aw::Status SegmentOutput::fail(aw::Status status) {
  if (!status && error_) error_ = status;
  return status;
}

aw::Status SegmentOutput::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

uint64_t SegmentOutput::segments_written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

std::string SegmentOutput::media_playlist_text() const {
  std::lock_guard lock(mutex_);
  return renditions_.empty() ? std::string() : renditions_.front()->playlist_text();
}

}  // namespace gstaw
