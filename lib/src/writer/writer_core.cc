#include "writer/writer_core.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>

namespace aw {

WriterCore::WriterCore(std::string path, FileType type) {
  movie_.path = std::move(path);
  movie_.file_type = type;
}

WriterCore::WriterCore(FileType type, SegmentDelegate& delegate) {
  movie_.file_type = type;
  delegate_.emplace(delegate, callbacks_);
}

WriterCore::~WriterCore() = default;

Status WriterCore::refuse_unless(WriterStatus expected, const char* call) const {
  if (status_ == WriterStatus::kFailed) return error_;
  if (status_ != expected) {
    return Status(ErrorCode::kInvalidState,
                  std::string(call) + " is not allowed when the writer is " + to_string(status_));
  }
  return Status::ok();
}

Status WriterCore::fail(Status error) {
  if (status_ != WriterStatus::kFailed) {
    status_ = WriterStatus::kFailed;
    error_ = error;
  }
  return error;
}

Status WriterCore::create_tracks() {
  // Parse every configuration record first: a malformed one fails before any file exists.
  movie_.tracks.clear();
  for (const auto& input : inputs_) {
    auto format = make_track_format(input->source_format());
    if (!format) return format.status().with_context(input->name);
    TrackState track;
    track.input = input;
    track.name = input->name;
    track.format = std::move(format).value();
    track.timescale = choose_media_timescale(*input, track.format);
    movie_.tracks.push_back(std::move(track));
  }
  return resolve_groups_and_references();
}

Status WriterCore::start_writing() {
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "start_writing"));
  if (inputs_.empty()) return fail(Status(ErrorCode::kInvalidState, "start_writing with no inputs"));
  if (Status s = create_tracks(); !s) return fail(s);
  WriterSettings& settings = movie_.settings;
  if (settings.movie_timescale <= 0) settings.movie_timescale = movie_.file_type == FileType::kQuickTimeMovie ? 600 : 1000;
  // One creation time for every moov this writer builds (a fragmented movie rewrites its own).
  if (!settings.creation_time_unix) {
    settings.creation_time_unix =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
  if (Status s = check_chapters_fit(movie_.chapters); !s) return fail(s);
  movie_.observer = observer_ ? &*observer_ : nullptr;
  mode_ = make_output_mode(layout(), movie_, delegate_ ? &*delegate_ : nullptr);
  if (Status s = mode_->start(); !s) return fail(s);
  create_interleaver();
  status_ = WriterStatus::kWriting;
  return Status::ok();
}

void WriterCore::create_interleaver() {
  interleaver_ = std::make_unique<Interleaver>(movie_.tracks.size(),
                                               mode_->interleave_interval(movie_.settings.interleave_interval));
  for (size_t i = 0; i < movie_.tracks.size(); ++i) {
    if (is_sparse(movie_.tracks[i].format.media_type)) interleaver_->set_sparse(i);
  }
}

Status WriterCore::start_session(Time source_time) {
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "start_session"));
  if (movie_.session_start.is_valid()) return Status(ErrorCode::kInvalidState, "start_session called twice");
  if (!source_time.is_numeric()) return Status(ErrorCode::kInvalidArgument, "start_session needs a numeric time");
  movie_.session_start = source_time;
  return Status::ok();
}

Status WriterCore::end_session(Time source_time) {
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "end_session"));
  const Time& start = movie_.session_start;
  if (!start.is_valid()) return Status(ErrorCode::kInvalidState, "end_session before start_session");
  if (movie_.session_end.is_valid()) return Status(ErrorCode::kInvalidState, "end_session called twice");
  if (!source_time.is_numeric() || source_time < start) {
    return Status(ErrorCode::kInvalidArgument,
                  "end_session time " + source_time.to_string() + " is before the session start " + start.to_string());
  }
  movie_.session_end = source_time;
  return Status::ok();
}

Status WriterCore::validate_and_record(TrackState& track, const Sample& sample, int64_t& dts, int64_t& pts) {
  if (!sample.presentation_time.is_numeric()) {
    return Status(ErrorCode::kTimestampOrder, "sample has no presentation time");
  }
  Time decode = sample.decode_time.is_numeric() ? sample.decode_time : sample.presentation_time;
  auto dts_ticks = decode.rescaled(track.timescale);
  auto pts_ticks = sample.presentation_time.rescaled(track.timescale);
  // Times are kept well inside int64 (2^61 ticks: 800,000 years at 90 kHz, 34 years at the largest
  // timescale), so the differences and sums made of them further down (gaps, pts - dts, pts + duration)
  // cannot overflow. Found by fuzz_writer_api: a decode time near INT64_MAX after one near INT64_MIN wrapped
  // the gap check below, and the crash-safe fragment writer then looped forever at finish.
  constexpr int64_t kMaxTicks = int64_t{1} << 61;
  auto out_of_range = [](int64_t ticks) { return ticks > kMaxTicks || ticks < -kMaxTicks; };
  if (!dts_ticks || !pts_ticks || out_of_range(*dts_ticks) || out_of_range(*pts_ticks)) {
    return Status(ErrorCode::kInvalidArgument, "sample time out of range");
  }
  if (sample.data.size() > std::numeric_limits<uint32_t>::max()) {
    return Status(ErrorCode::kInvalidArgument, "sample of " + std::to_string(sample.data.size()) + " bytes is over 4 GiB");
  }
  if (track.has_samples) {
    if (*dts_ticks < track.last_dts) {
      return Status(ErrorCode::kTimestampOrder, "decode time " + decode.to_string() +
                                                    " goes back before the previous sample's");
    }
    if (*dts_ticks - track.last_dts > std::numeric_limits<uint32_t>::max()) {
      return Status(ErrorCode::kTimestampOrder, "gap of more than 2^32 ticks before decode time " + decode.to_string());
    }
  }
  int64_t offset = *pts_ticks - *dts_ticks;
  if (offset > std::numeric_limits<int32_t>::max() / 2 || offset < std::numeric_limits<int32_t>::min() / 2) {
    return Status(ErrorCode::kTimestampOrder, "presentation and decode time are too far apart");
  }
  dts = *dts_ticks;
  pts = *pts_ticks;
  return Status::ok();
}

// An empty audio or video sample is refused rather than stored: no decoder takes one, and readers fail on
// the file (text and metadata samples may be empty: they state a gap).
Status WriterCore::check_sample_data(const TrackState& track, const Sample& sample) {
  if (is_sparse(track.format.media_type) || !sample.data.empty()) return Status::ok();
  return Status(ErrorCode::kInvalidArgument,
                "empty sample at " + sample.presentation_time.to_string() + ": a sample holds at least one byte");
}

// PCM frames are samples of one tick each (the timescale is the sample rate): a buffer starts where the
// previous one's frames end unless its timestamp is further on than timestamp jitter explains (a real gap).
// Rounded timestamps (Matroska's milliseconds) would otherwise overlap the previous buffer and give its last
// frame a negative duration in stts.
int64_t WriterCore::pcm_decode_time(const TrackState& track, int64_t dts) {
  if (!track.has_samples) return dts;
  const int64_t jitter = track.timescale / 100;  // 10 ms
  return dts - track.pcm_next_dts <= jitter ? track.pcm_next_dts : dts;
}

Status WriterCore::append(size_t index, Sample sample) {
  AW_RETURN_IF_ERROR(refuse_from_callback("append"));
  std::lock_guard lock(mutex_);
  if (index >= movie_.tracks.size() && status_ == WriterStatus::kWriting) {
    return Status(ErrorCode::kInvalidState, "input is not part of this writer");
  }
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "append"));
  TrackState& track = movie_.tracks[index];
  if (!movie_.session_start.is_valid()) {
    return Status(ErrorCode::kInvalidState, track.name + ": append before start_session");
  }
  if (track.finished) return Status(ErrorCode::kInvalidState, track.name + ": append after mark_as_finished");

  sample.data = stored_payload(track.format, sample.data);
  int64_t dts = 0, pts = 0;
  // The context is added only to an error: this runs once per sample.
  if (Status invalid = validate_and_record(track, sample, dts, pts); !invalid) return invalid.with_context(track.name);
  if (Status invalid = check_sample_data(track, sample); !invalid) return invalid.with_context(track.name);
  uint32_t frame = track.format.pcm_frame_bytes;
  if (frame > 0 && (sample.data.empty() || sample.data.size() % frame != 0)) {
    return Status(ErrorCode::kInvalidArgument, track.name + ": PCM buffer of " + std::to_string(sample.data.size()) +
                                                   " bytes is not a whole number of " + std::to_string(frame) +
                                                   "-byte frames");
  }
  if (frame > 0) dts = pts = pcm_decode_time(track, dts);
  int64_t duration_hint = frame > 0 ? 1 : -1;
  if (frame == 0 && sample.duration.is_numeric()) duration_hint = sample.duration.rescaled(track.timescale).value_or(-1);
  if (is_sparse(track.format.media_type)) fill_sparse_gap(index, dts);
  record_and_queue(index, sample, dts, pts, duration_hint);
  return write_out(false);
}

void WriterCore::fill_sparse_gap(size_t index, int64_t dts) {
  TrackState& track = movie_.tracks[index];
  int64_t gap_start = 0;
  if (track.has_samples) {
    if (track.last_duration_hint <= 0) return;  // the previous sample lasts until this one
    gap_start = track.last_dts + track.last_duration_hint;
  } else {
    auto start = movie_.session_start.rescaled(track.timescale);
    if (!start) return;
    gap_start = *start;
  }
  if (dts <= gap_start) return;
  // An empty tx3g sample (text length 0) clears the screen; a metadata sample may not be empty, so it holds
  // one 8-byte atom that names no key.
  static constexpr uint8_t kEmptyText[2] = {0, 0};
  static constexpr uint8_t kNullMetadata[8] = {0, 0, 0, 8, 0, 0, 0, 0};
  Sample empty;
  if (track.format.media_type == MediaType::kText) {
    empty.data = kEmptyText;
  } else {
    empty.data = kNullMetadata;
  }
  empty.owner = std::shared_ptr<const void>(empty.data.data(), [](const void*) {});  // static: nothing to free
  record_and_queue(index, empty, gap_start, gap_start, dts - gap_start);
}

void WriterCore::record_and_queue(size_t index, Sample& sample, int64_t dts, int64_t pts, int64_t duration_hint) {
  TrackState& track = movie_.tracks[index];
  uint32_t frame = track.format.pcm_frame_bytes;
  track.has_samples = true;
  track.last_dts = dts;
  if (frame > 0) track.pcm_next_dts = dts + static_cast<int64_t>(sample.data.size() / frame);
  track.last_duration_hint = duration_hint;
  if (mode_->keeps_full_index()) {
    if (frame > 0) {
      track.table.add_sample_run(dts, static_cast<uint32_t>(sample.data.size() / frame), frame, 1);
    } else {
      track.table.add_sample(dts, pts, static_cast<uint32_t>(sample.data.size()), sample.sync);
    }
  }

  PendingSample pending;
  pending.decode_time = Time(dts, track.timescale);
  pending.sample_count = frame > 0 ? static_cast<uint32_t>(sample.data.size() / frame) : 1;
  pending.composition_offset = static_cast<int32_t>(pts - dts);
  pending.sync = sample.sync;
  pending.duration_hint = duration_hint;
  pending.description_index = track.description_index;
  if (sample.owner) {
    pending.owner = std::move(sample.owner);
    pending.data = sample.data;
  } else {
    // Without an owner the bytes may die when append returns: keep a copy.
    auto copy = std::make_shared<std::vector<uint8_t>>(sample.data.begin(), sample.data.end());
    pending.data = *copy;
    pending.owner = std::move(copy);
  }
  interleaver_->push(index, std::move(pending));
}

Status WriterCore::drain(bool everything) {
  return interleaver_->drain(everything,
                             [this](size_t track, std::span<PendingSample> s) { return mode_->write_chunk(track, s); });
}

Status WriterCore::write_out(bool everything) {
  if (Status drained = drain(everything); !drained) return fail(drained);
  if (Status written = mode_->write_ready(); !written) return fail(written);
  return Status::ok();
}

Status WriterCore::mark_as_finished(size_t index) {
  AW_RETURN_IF_ERROR(refuse_from_callback("mark_as_finished"));
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "mark_as_finished"));
  if (index >= movie_.tracks.size()) return Status(ErrorCode::kInvalidState, "input is not part of this writer");
  movie_.tracks[index].finished = true;
  interleaver_->mark_finished(index);
  mode_->track_finished();
  return write_out(false);
}

Status WriterCore::flush_segment() {
  AW_RETURN_IF_ERROR(refuse_from_callback("flush_segment"));
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "flush_segment"));
  AW_ASSIGN_OR_RETURN(bool cut, mode_->cut_segment());
  return cut ? write_out(true) : Status::ok();
}

bool WriterCore::is_ready_for_more_media_data(size_t index) const {
  std::lock_guard lock(mutex_);
  const auto& tracks = movie_.tracks;
  if (status_ != WriterStatus::kWriting || index >= tracks.size() || tracks[index].finished) return false;
  if (tracks[index].input->expects_media_data_in_real_time) return true;
  return !interleaver_->is_ahead(index);
}

Status WriterCore::finish_writing() {
  AW_RETURN_IF_ERROR(refuse_from_callback("finish_writing"));
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "finish_writing"));
  for (size_t i = 0; i < movie_.tracks.size(); ++i) {
    movie_.tracks[i].finished = true;
    interleaver_->mark_finished(i);
  }
  Status s = drain(true);
  if (s) s = mode_->finish();
  if (!s) return fail(s);
  status_ = WriterStatus::kCompleted;
  report_finished();
  return Status::ok();
}

void WriterCore::report_finished() {
  if (!movie_.observer) return;
  FinishReport report;
  report.path = movie_.path;
  std::error_code error;
  report.size = std::filesystem::file_size(movie_.path, error);
  if (error) report.size = 0;
  report.duration = Time(static_cast<int64_t>(movie_.final_duration), movie_.settings.movie_timescale);
  movie_.observer->did_finish_writing(report);
}

Status WriterCore::set_observer(WriterObserver* observer) {
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "set_observer"));
  if (delegate_) return Status(ErrorCode::kInvalidState, "set_observer on a writer made for segments");
  if (observer) {
    observer_.emplace(*observer, callbacks_);
  } else {
    observer_.reset();
  }
  return Status::ok();
}

Status WriterCore::cancel_writing() {
  AW_RETURN_IF_ERROR(refuse_from_callback("cancel_writing"));
  std::lock_guard lock(mutex_);
  if (status_ == WriterStatus::kCompleted || status_ == WriterStatus::kCancelled) {
    return Status(ErrorCode::kInvalidState, std::string("cancel_writing is not allowed when the writer is ") +
                                                to_string(status_));
  }
  interleaver_.reset();  // releases queued payloads
  if (mode_) mode_->cancel();
  // A failed writer still cleans up its files, but keeps reporting the error that failed it.
  if (status_ == WriterStatus::kFailed) return error_;
  status_ = WriterStatus::kCancelled;
  return Status::ok();
}

WriterStatus WriterCore::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

Status WriterCore::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

}  // namespace aw
