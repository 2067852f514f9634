// RotatingWriter: routes each sample to exactly one file and cuts files at the lead track's sync samples.
#include "aw/rotating_writer.h"

#include <algorithm>

#include "rotation/file_naming.h"
#include "rotation/rotation_state.h"
#include "rotation/writer_copy.h"

namespace aw {
namespace {

// How many samples of the other tracks may wait for the lead track to show where the cut falls: a lead track
// that stalls this long (about 20 s of AAC) stops holding them, and they go to the file being written.
constexpr size_t kMaxHeldSamples = 1024;

Time decode_time_of(const Sample& sample) {
  return sample.decode_time.is_valid() ? sample.decode_time : sample.presentation_time;
}

size_t choose_lead(const AssetWriter& prototype) {
  const auto& inputs = prototype.inputs();
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i]->media_type() == MediaType::kVideo) return i;
  }
  return 0;
}

std::optional<size_t> track_of(const RotationState& st, const AssetWriterInput& input) {
  const auto& inputs = st.prototype->inputs();
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].get() == &input) return i;
  }
  return std::nullopt;
}

Status fail(RotationState& st, Status error) {
  if (st.status == WriterStatus::kWriting) {
    st.status = WriterStatus::kFailed;
    st.error = error;
  }
  return error;
}

Status refuse_unless_writing(const RotationState& st, const char* call) {
  if (st.status == WriterStatus::kFailed) return st.error;
  if (st.status != WriterStatus::kWriting) {
    return Status(ErrorCode::kInvalidState,
                  std::string(call) + " needs a rotating writer that is writing (it is " + to_string(st.status) + ")");
  }
  return Status::ok();
}

void report_deleted(RotationState& st) {
  for (const RotatedFile& file : st.retention.enforce(st.open.size())) {
    if (st.delegate) st.delegate->did_delete_file(file);
  }
}

// Opens the next file, starting at `start`.
Status open_file(RotationState& st, Time start) {
  AW_ASSIGN_OR_RETURN(std::string path, rotated_file_path(st.settings, st.next_index, start));
  AW_ASSIGN_OR_RETURN(auto file, RotatedFileWriter::open(*st.prototype, std::move(path), st.next_index, start));
  ++st.next_index;
  st.open.push_back(std::move(file));
  if (st.delegate) st.delegate->did_open_file(st.open.back()->info());
  report_deleted(st);
  return Status::ok();
}

Status close_oldest(RotationState& st) {
  std::unique_ptr<RotatedFileWriter> file = std::move(st.open.front());
  st.open.pop_front();
  AW_RETURN_IF_ERROR(file->close());
  if (st.delegate) st.delegate->did_close_file(file->info());
  st.retention.add_finished(file->info());
  report_deleted(st);
  return Status::ok();
}

// The file a non-lead sample presented at `pts` belongs to: the newest that starts at or before it (the oldest
// open one for media presented before every open file). Older files it passes get no more of the track.
Status place(RotationState& st, size_t track, Sample sample) {
  const Time pts = sample.presentation_time;
  size_t at = 0;
  for (size_t i = st.open.size(); i-- > 0;) {
    if (st.open[i]->start() <= pts) {
      at = i;
      break;
    }
  }
  for (size_t i = 0; i < at; ++i) AW_RETURN_IF_ERROR(st.open[i]->end_track(track));
  return st.open[at]->append(track, std::move(sample));
}

bool lead_is_done(const RotationState& st) { return st.finished[st.lead]; }

// Held samples that no later cut can be presented before (it is at a lead sync sample decoded at or after the
// lead's latest decode time) go to their files.
Status release_held(RotationState& st, bool everything) {
  while (!st.held.empty()) {
    HeldSample& next = st.held.front();
    const bool known = lead_is_done(st) || (st.lead_dts.is_valid() && next.sample.presentation_time < st.lead_dts);
    if (!everything && !known && st.held.size() <= kMaxHeldSamples) break;
    if (st.open.empty()) AW_RETURN_IF_ERROR(open_file(st, st.session_start));
    AW_RETURN_IF_ERROR(place(st, next.track, std::move(next.sample)));
    st.held.pop_front();
  }
  return Status::ok();
}

// A previous file is complete once every audio and video track other than the lead went past its end (or
// finished) and nothing held is presented before it. Text and metadata tracks are not waited for.
bool can_close_oldest(const RotationState& st) {
  if (st.open.size() < 2) return false;
  const RotatedFileWriter& file = *st.open.front();
  const auto& inputs = st.prototype->inputs();
  for (size_t track = 0; track < inputs.size(); ++track) {
    if (track == st.lead || is_sparse(inputs[track]->media_type())) continue;
    if (!file.track_ended(track) && !st.finished[track]) return false;
  }
  return std::none_of(st.held.begin(), st.held.end(),
                      [&](const HeldSample& h) { return h.sample.presentation_time < file.end(); });
}

Status close_completed(RotationState& st) {
  while (can_close_oldest(st)) AW_RETURN_IF_ERROR(close_oldest(st));
  return Status::ok();
}

// The next file failed to open: what was accepted goes to the file being written, which is finished with every
// other open file, and the writer fails with the error.
Status fail_keeping_data(RotationState& st, Status error) {
  while (!st.held.empty() && !st.open.empty()) {
    HeldSample& h = st.held.front();
    (void)st.open.back()->append(h.track, std::move(h.sample));
    st.held.pop_front();
  }
  st.held.clear();
  while (!st.open.empty()) (void)close_oldest(st);
  return fail(st, std::move(error));
}

// Starts the next file at the lead sync sample presented at `cut`.
Status cut_at(RotationState& st, Time cut) {
  // Two open files at most: a track that never passes the older one's end cannot keep it open forever.
  if (st.open.size() >= 2) {
    AW_RETURN_IF_ERROR(release_held(st, false));
    AW_RETURN_IF_ERROR(close_oldest(st));
  }
  RotatedFileWriter& current = *st.open.back();
  current.set_end(cut);
  AW_RETURN_IF_ERROR(current.end_track(st.lead));
  if (Status opened = open_file(st, cut); !opened) return fail_keeping_data(st, opened);
  return Status::ok();
}

Status append_lead(RotationState& st, Sample sample) {
  if (st.open.empty()) {
    if (Status opened = open_file(st, st.session_start); !opened) return fail(st, opened);
  }
  RotatedFileWriter& current = *st.open.back();
  if (sample.sync && current.has_samples(st.lead) &&
      st.cuts.should_cut(sample.presentation_time, current.start(), current.estimated_size())) {
    AW_RETURN_IF_ERROR(cut_at(st, sample.presentation_time));
  }
  const Time dts = decode_time_of(sample);
  AW_RETURN_IF_ERROR(st.open.back()->append(st.lead, std::move(sample)));
  st.lead_dts = dts;
  return Status::ok();
}

// Refuses what the file's writer would refuse later, while the sample may still be held: no presentation
// time, or decode times going back.
Status check_sample(RotationState& st, size_t track, const Sample& sample) {
  const std::string& name = st.prototype->inputs()[track]->name;
  if (!sample.presentation_time.is_numeric()) {
    return Status(ErrorCode::kTimestampOrder, "the sample has no presentation time").with_context(name);
  }
  const Time dts = decode_time_of(sample);
  if (st.last_dts[track].is_valid() && dts < st.last_dts[track]) {
    return Status(ErrorCode::kTimestampOrder,
                  "decode time " + dts.to_string() + " goes back before the previous " + st.last_dts[track].to_string())
        .with_context(name);
  }
  st.last_dts[track] = dts;
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<RotatingWriter>> RotatingWriter::create(RotationSettings settings,
                                                               std::unique_ptr<AssetWriter> file_settings) {
  if (!file_settings) return Status(ErrorCode::kInvalidArgument, "rotation needs a writer to copy the settings of");
  if (WriterConfigurationCopy::writes_segments(*file_settings)) {
    return Status(ErrorCode::kUnsupported, "file rotation writes files; a segment writer cannot be its prototype");
  }
  if (file_settings->status() != WriterStatus::kUnknown) {
    return Status(ErrorCode::kInvalidState, "the rotation's prototype writer must not be started");
  }
  AW_RETURN_IF_ERROR(check_rotation_location(settings));
  auto state = std::make_unique<RotationState>(std::move(settings), std::move(file_settings));
  return std::unique_ptr<RotatingWriter>(new RotatingWriter(std::move(state)));
}

Status RotatingWriter::check_location_pattern(const std::string& pattern) {
  RotationSettings settings;
  settings.location_pattern = pattern;
  return check_rotation_location(settings);
}

Result<std::unique_ptr<RotatingWriter>> RotatingWriter::create(RotationSettings settings, FileType file_type) {
  // Never started: its path only has to pass create()'s checks.
  AW_ASSIGN_OR_RETURN(auto prototype, AssetWriter::create("rotation-prototype", file_type));
  return create(std::move(settings), std::move(prototype));
}

RotatingWriter::RotatingWriter(std::unique_ptr<RotationState> state) : state_(std::move(state)) {}

RotatingWriter::~RotatingWriter() {
  // Like an AssetWriter destroyed unfinished: the open files are cancelled.
  if (state_->status == WriterStatus::kWriting) (void)cancel_writing();
}

AssetWriter& RotatingWriter::file_settings() { return *state_->prototype; }

Status RotatingWriter::set_delegate(RotationDelegate* delegate) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  if (state_->status != WriterStatus::kUnknown) {
    return Status(ErrorCode::kInvalidState, "set_delegate must come before start_writing");
  }
  state_->delegate = delegate;
  return Status::ok();
}

Status RotatingWriter::start_writing() {
  std::lock_guard<std::mutex> guard(state_->mutex);
  RotationState& st = *state_;
  if (st.status != WriterStatus::kUnknown) return Status(ErrorCode::kInvalidState, "start_writing called twice");
  if (st.prototype->inputs().empty()) return Status(ErrorCode::kInvalidState, "rotation has no inputs to write");
  st.lead = choose_lead(*st.prototype);
  st.finished.assign(st.prototype->inputs().size(), false);
  st.last_dts.assign(st.prototype->inputs().size(), Time::invalid());
  st.status = WriterStatus::kWriting;
  return Status::ok();
}

Status RotatingWriter::start_session(Time source_time) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  AW_RETURN_IF_ERROR(refuse_unless_writing(*state_, "start_session"));
  if (state_->session_start.is_valid()) return Status(ErrorCode::kInvalidState, "start_session called twice");
  if (!source_time.is_numeric()) return Status(ErrorCode::kInvalidArgument, "the session start is not a number");
  state_->session_start = source_time;
  return Status::ok();
}

Status RotatingWriter::end_session(Time source_time) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  AW_RETURN_IF_ERROR(refuse_unless_writing(*state_, "end_session"));
  state_->session_end = source_time;
  return Status::ok();
}

Status RotatingWriter::append(const AssetWriterInput& input, Sample sample) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  RotationState& st = *state_;
  AW_RETURN_IF_ERROR(refuse_unless_writing(st, "append"));
  if (!st.session_start.is_valid()) return Status(ErrorCode::kInvalidState, "append before start_session");
  const std::optional<size_t> track = track_of(st, input);
  if (!track) return Status(ErrorCode::kInvalidArgument, "append: the input is not one of file_settings().inputs()");
  if (st.finished[*track]) {
    return Status(ErrorCode::kInvalidState, "append after mark_as_finished").with_context(input.name);
  }
  AW_RETURN_IF_ERROR(check_sample(st, *track, sample));
  if (*track == st.lead) {
    AW_RETURN_IF_ERROR(append_lead(st, std::move(sample)));
  } else {
    st.held.push_back({*track, std::move(sample)});
  }
  if (Status s = release_held(st, false); !s) return fail(st, s);
  if (Status s = close_completed(st); !s) return fail(st, s);
  return Status::ok();
}

Status RotatingWriter::mark_as_finished(const AssetWriterInput& input) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  RotationState& st = *state_;
  AW_RETURN_IF_ERROR(refuse_unless_writing(st, "mark_as_finished"));
  const std::optional<size_t> track = track_of(st, input);
  if (!track)
    return Status(ErrorCode::kInvalidArgument, "mark_as_finished: the input is not one of file_settings().inputs()");
  if (st.finished[*track]) return Status::ok();
  st.finished[*track] = true;
  if (Status s = release_held(st, false); !s) return fail(st, s);
  bool has_held = std::any_of(st.held.begin(), st.held.end(), [&](const HeldSample& h) { return h.track == *track; });
  if (!has_held) {
    for (auto& file : st.open) {
      if (Status s = file->end_track(*track); !s) return fail(st, s);
    }
  }
  if (Status s = close_completed(st); !s) return fail(st, s);
  return Status::ok();
}

Status RotatingWriter::split_now() {
  state_->cuts.request_now();
  return Status::ok();
}

Status RotatingWriter::split_at(Time source_time) {
  if (!source_time.is_numeric()) return Status(ErrorCode::kInvalidArgument, "split_at needs a numeric time");
  state_->cuts.request_at(source_time);
  return Status::ok();
}

Time RotatingWriter::next_planned_cut() const {
  std::lock_guard<std::mutex> guard(state_->mutex);
  const RotationState& st = *state_;
  const Time start = st.open.empty() ? st.session_start : st.open.back()->start();
  return start.is_numeric() ? st.cuts.next_planned(start) : Time::invalid();
}

Status RotatingWriter::finish_writing() {
  std::lock_guard<std::mutex> guard(state_->mutex);
  RotationState& st = *state_;
  AW_RETURN_IF_ERROR(refuse_unless_writing(st, "finish_writing"));
  if (Status s = release_held(st, true); !s) return fail(st, s);
  if (!st.open.empty() && st.session_end.is_numeric()) st.open.back()->set_end(st.session_end);
  while (!st.open.empty()) {
    if (Status s = close_oldest(st); !s) return fail(st, s);
  }
  st.status = WriterStatus::kCompleted;
  return Status::ok();
}

Status RotatingWriter::cancel_writing() {
  std::lock_guard<std::mutex> guard(state_->mutex);
  RotationState& st = *state_;
  if (st.status != WriterStatus::kWriting && st.status != WriterStatus::kUnknown) {
    return Status(ErrorCode::kInvalidState, std::string("cancel_writing in status ") + to_string(st.status));
  }
  st.held.clear();
  for (auto& file : st.open) (void)file->cancel();
  st.open.clear();
  st.status = WriterStatus::kCancelled;
  return Status::ok();
}

WriterStatus RotatingWriter::status() const {
  std::lock_guard<std::mutex> guard(state_->mutex);
  return state_->status;
}

Status RotatingWriter::error() const {
  std::lock_guard<std::mutex> guard(state_->mutex);
  return state_->error;
}

}  // namespace aw
