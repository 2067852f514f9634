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

aw::Result<std::unique_ptr<SegmentOutput>> SegmentOutput::create(SegmentOutputConfig config, Callbacks callbacks) {
  AW_RETURN_IF_ERROR(check_segment_pattern(config.segment_pattern));
  if (config.init_location.empty()) {
    return aw::Status(aw::ErrorCode::kInvalidArgument, "segment mode needs an init-location for the header");
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
    : config_(std::move(config)), callbacks_(std::move(callbacks)), next_index_(config_.first_index) {
  playlist_.media_sequence = config_.first_index;
  playlist_.playlist_type = config_.playlist_length == 0 ? "EVENT" : "";
  playlist_.target_duration_s = hls::target_duration_for(config_.segment_interval_ns);
  if (!config_.playlist_location.empty()) {
    playlist_.map_uri = uri_relative_to(config_.init_location, config_.playlist_location);
  }
}

void SegmentOutput::did_output_segment_data(std::span<const uint8_t> data, aw::SegmentType type,
                                            const aw::SegmentReport* report) {
  std::lock_guard lock(mutex_);
  if (!error_) return;  // after a failure nothing more is written, so the playlist stays consistent
  aw::Status status;
  if (type == aw::SegmentType::kInitialization) {
    status = write_init(data);
  } else if (report) {
    status = write_segment(data, *report);
  } else {
    status = aw::Status(aw::ErrorCode::kInvalidArgument, "a media segment arrived without its report");
  }
  if (!status) fail(status);
}

aw::Status SegmentOutput::write_init(std::span<const uint8_t> data) {
  AW_RETURN_IF_ERROR(write_file_atomically(config_.init_location, data, config_.sync));
  if (callbacks_.init_written) callbacks_.init_written(config_.init_location, data.size());
  return aw::Status::ok();
}

aw::Status SegmentOutput::write_segment(std::span<const uint8_t> data, const aw::SegmentReport& report) {
  auto location = format_segment_name(config_.segment_pattern, next_index_);
  if (!location) return location.status();
  AW_RETURN_IF_ERROR(write_file_atomically(*location, data, config_.sync));
  files_on_disk_.push_back(*location);

  WrittenSegment written;
  written.location = *location;
  written.uri = config_.playlist_location.empty() ? *location : uri_relative_to(*location, config_.playlist_location);
  written.index = next_index_++;
  written.start_ns = segment_start_ns(report);
  written.duration_ns = segment_duration_ns(report);
  written.size = data.size();
  written.report = report;
  ++written_;

  hls::MediaSegment entry{written.uri, written.duration_ns, std::nullopt};
  if (config_.program_date_time) {
    // The wall clock is read when the first segment is complete: live, that is its end, so its start was
    // one duration earlier; later segments follow on the media timeline, which a live source keeps in step.
    if (!clock_anchor_) clock_anchor_ = {callbacks_.now_us() - written.duration_ns / 1000, written.start_ns};
    entry.program_date_time_us = clock_anchor_->first + (written.start_ns - clock_anchor_->second) / 1000;
  }
  playlist_.segments.push_back(std::move(entry));
  if (config_.playlist_length > 0) {
    while (playlist_.segments.size() > config_.playlist_length) {
      playlist_.segments.erase(playlist_.segments.begin());
      ++playlist_.media_sequence;
    }
  }
  // A target duration may not change during a live stream, so it only ever grows (from the interval).
  longest_ns_ = std::max(longest_ns_, written.duration_ns);
  playlist_.target_duration_s = std::max(playlist_.target_duration_s, hls::target_duration_for(longest_ns_));
  if (written.duration_ns > 0) {
    const uint64_t bits_per_second =
        static_cast<uint64_t>(static_cast<double>(written.size) * 8.0 * kNsPerSecond / written.duration_ns);
    peak_bandwidth_ = std::max(peak_bandwidth_, bits_per_second);
  }
  total_bytes_ += written.size;
  total_ns_ += written.duration_ns;

  AW_RETURN_IF_ERROR(write_playlists());
  if (callbacks_.segment_written) callbacks_.segment_written(written);
  delete_old_files();
  return aw::Status::ok();
}

aw::Status SegmentOutput::write_playlists() {
  if (!config_.playlist_location.empty()) {
    const std::string text = hls::render(playlist_);
    AW_RETURN_IF_ERROR(write_file_atomically(config_.playlist_location,
                                             std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                                             config_.sync));
  }
  if (!config_.multivariant_location.empty() && !config_.playlist_location.empty()) {
    if (!stream_) stream_ = callbacks_.describe_stream ? callbacks_.describe_stream() : StreamDescription{};
    hls::Variant variant;
    variant.uri = uri_relative_to(config_.playlist_location, config_.multivariant_location);
    variant.bandwidth = std::max<uint64_t>(peak_bandwidth_, 1);
    if (total_ns_ > 0) {
      variant.average_bandwidth =
          static_cast<uint64_t>(static_cast<double>(total_bytes_) * 8.0 * kNsPerSecond / total_ns_);
    }
    variant.codecs = stream_->codecs;
    variant.resolution = stream_->resolution;
    variant.frame_rate = stream_->frame_rate;
    hls::MultivariantPlaylist multivariant;
    multivariant.variants.push_back(std::move(variant));
    const std::string text = hls::render(multivariant);
    AW_RETURN_IF_ERROR(write_file_atomically(config_.multivariant_location,
                                             std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                                             config_.sync));
  }
  return aw::Status::ok();
}

// Files that left the playlist stay on disk until max-files is exceeded, so a client that fetched the
// previous playlist can still download them (rfc8216bis 6.2.2 asks for a playlist duration of grace).
void SegmentOutput::delete_old_files() {
  if (config_.max_files == 0) return;
  const size_t keep = std::max<size_t>(config_.max_files, config_.playlist_length);
  while (files_on_disk_.size() > keep) {
    ::unlink(files_on_disk_.front().c_str());
    files_on_disk_.pop_front();
  }
}

aw::Status SegmentOutput::finish() {
  std::lock_guard lock(mutex_);
  if (!error_) return error_;
  if (written_ == 0) return aw::Status::ok();
  playlist_.ended = true;
  if (aw::Status status = write_playlists(); !status) {
    fail(status);
    return status;
  }
  return aw::Status::ok();
}

void SegmentOutput::fail(const aw::Status& status) {
  if (!error_) return;
  error_ = status;
  if (callbacks_.failed) callbacks_.failed(status);
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
  return hls::render(playlist_);
}

}  // namespace gstaw
