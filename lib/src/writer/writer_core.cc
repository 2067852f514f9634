#include "writer/writer_core.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "boxes/box_writer.h"
#include "boxes/movie_boxes.h"
#include "boxes/track_reference_boxes.h"
#include "writer/movie_box.h"
#include "writer/moov_reserve.h"

namespace aw {

int32_t choose_media_timescale(const AssetWriterInput& input, const TrackFormat& format) {
  // PCM is stored a frame per sample, one tick each: its timescale is its sample rate.
  if (format.pcm_frame_bytes > 0 && format.sample_rate > 0) return static_cast<int32_t>(format.sample_rate);
  if (input.media_time_scale > 0) return input.media_time_scale;
  // Text and metadata times are cue times: milliseconds, as ffmpeg and Apple's writer store them.
  if (is_sparse(format.media_type)) return 1000;
  if (format.media_type == MediaType::kAudio && format.sample_rate > 0) return static_cast<int32_t>(format.sample_rate);
  return 90000;
}

namespace {

// Fragments start on this track's sync samples.
std::optional<size_t> first_video_track(const std::vector<TrackState>& tracks) {
  for (size_t i = 0; i < tracks.size(); ++i) {
    if (tracks[i].format.media_type == MediaType::kVideo) return i;
  }
  return std::nullopt;
}

std::string directory_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::vector<uint8_t> mdat_header(uint64_t payload_size, bool large) {
  BoxWriter w;
  write_mdat_header(w, payload_size, large);
  return w.take();
}

}  // namespace

WriterCore::~WriterCore() {
  // A writer dropped while writing leaves no half-written temporary file behind; the output itself is
  // the caller's (finish or cancel decide its fate).
  if (media_file_) media_file_->remove();
}

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

Status WriterCore::configure(const std::function<void(WriterSettings&)>& change) {
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "changing the configuration"));
  change(settings_);
  return Status::ok();
}

Status WriterCore::set_metadata(Metadata metadata) {
  std::lock_guard lock(mutex_);
  if (status_ != WriterStatus::kWriting) {
    AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "set_metadata"));
  }
  settings_.metadata = std::move(metadata);
  return Status::ok();
}

WriterSettings WriterCore::settings() const {
  std::lock_guard lock(mutex_);
  return settings_;
}

bool WriterCore::can_apply(const std::optional<OutputSettings>& settings, MediaType media_type) const {
  if (file_type_ == FileType::kAppleM4A && media_type == MediaType::kVideo) return false;
  if (!settings) return true;  // passthrough
  if (!check_codec_allowed(file_type_, settings->codec)) return false;
  return check_output_settings(*settings, media_type, file_type_).is_ok();
}

Status WriterCore::check_can_add(const std::shared_ptr<AssetWriterInput>& input) const {
  if (!input) return Status(ErrorCode::kInvalidArgument, "no input");
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "adding an input"));
  for (const auto& existing : inputs_) {
    if (existing == input) return Status(ErrorCode::kInvalidArgument, "the input was already added");
  }
  if (!input->core_.expired()) return Status(ErrorCode::kInvalidArgument, "the input belongs to another writer");
  if (file_type_ == FileType::kAppleM4A && input->media_type() != MediaType::kAudio) {
    return Status(ErrorCode::kUnsupported,
                  std::string("an .m4a file holds audio only, not ") + to_string(input->media_type()));
  }
  if (segment_delegate_ && is_sparse(input->media_type())) {
    return Status(ErrorCode::kUnsupported, std::string("segment output holds audio and video only, not ") +
                                               to_string(input->media_type()));
  }
  if (media_type_of(input->source_format().codec) != input->media_type()) {
    return Status(ErrorCode::kInvalidArgument, std::string("a ") + to_string(input->source_format().codec) +
                                                   " format on a " + to_string(input->media_type()) + " input");
  }
  AW_RETURN_IF_ERROR(check_codec_allowed(file_type_, input->source_format()));
  if (input->output_settings() && !can_apply(input->output_settings(), input->media_type())) {
    return Status(ErrorCode::kUnsupported, "the output settings do not fit this file type");
  }
  return Status::ok();
}

Status WriterCore::check_can_add_group(const std::shared_ptr<AssetWriterInputGroup>& group) const {
  if (!group || group->inputs().empty()) return Status(ErrorCode::kInvalidArgument, "an input group needs inputs");
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "adding an input group"));
  MediaType type = group->inputs().front()->media_type();
  for (const auto& input : group->inputs()) {
    if (std::find(inputs_.begin(), inputs_.end(), input) == inputs_.end()) {
      return Status(ErrorCode::kInvalidArgument, "input " + input->name + " of the group was not added to the writer");
    }
    if (input->media_type() != type) {
      return Status(ErrorCode::kInvalidArgument, "an input group mixes media types");
    }
    for (const auto& other : groups_) {
      const auto& in = other->inputs();
      if (std::find(in.begin(), in.end(), input) != in.end()) {
        return Status(ErrorCode::kInvalidArgument, "input " + input->name + " is already in another group");
      }
    }
  }
  const auto& def = group->default_input();
  if (def && std::find(group->inputs().begin(), group->inputs().end(), def) == group->inputs().end()) {
    return Status(ErrorCode::kInvalidArgument, "the default input is not one of the group's inputs");
  }
  if (std::find(groups_.begin(), groups_.end(), group) != groups_.end()) {
    return Status(ErrorCode::kInvalidArgument, "the group was already added");
  }
  return Status::ok();
}

Status WriterCore::add_group(std::shared_ptr<AssetWriterInputGroup> group) {
  AW_RETURN_IF_ERROR(check_can_add_group(group));
  std::lock_guard lock(mutex_);
  groups_.push_back(std::move(group));
  return Status::ok();
}

Status WriterCore::resolve_groups_and_references() {
  auto index_of = [&](const AssetWriterInput* input) -> std::optional<size_t> {
    for (size_t i = 0; i < inputs_.size(); ++i) {
      if (inputs_[i].get() == input) return i;
    }
    return std::nullopt;
  };
  for (size_t i = 0; i < tracks_.size(); ++i) tracks_[i].enabled = inputs_[i]->marks_output_track_as_enabled;
  for (size_t g = 0; g < groups_.size(); ++g) {
    for (const auto& input : groups_[g]->inputs()) {
      TrackState& track = tracks_[*index_of(input.get())];
      track.alternate_group = static_cast<uint16_t>(g + 1);
      // Only the default of mutually exclusive tracks plays unless the user picks another.
      track.enabled = track.enabled && input == groups_[g]->default_input();
    }
  }
  for (size_t i = 0; i < inputs_.size(); ++i) {
    for (const auto& [type, weak_other] : inputs_[i]->associations_) {
      auto other = weak_other.lock();
      auto j = other ? index_of(other.get()) : std::nullopt;
      if (!j) {
        return Status(ErrorCode::kInvalidArgument, inputs_[i]->name + ": its " + to_string(type) +
                                                       " association refers to an input not in this writer");
      }
      tracks_[i].references.emplace_back(track_reference_type(type), static_cast<uint32_t>(*j + 1));
    }
  }
  return Status::ok();
}

Status WriterCore::set_chapters(std::vector<Chapter> chapters) {
  std::lock_guard lock(mutex_);
  if (status_ != WriterStatus::kWriting) {
    AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "set_chapters"));
  }
  if (!chapters.empty() && (segment_delegate_ || settings_.movie_fragment_interval.is_numeric())) {
    return Status(ErrorCode::kUnsupported, "chapters need a movie that is not fragmented");
  }
  for (size_t i = 0; i < chapters.size(); ++i) {
    const Chapter& c = chapters[i];
    std::string which = "chapter " + std::to_string(i + 1) + " (\"" + c.title + "\")";
    if (!c.start.is_numeric() || c.start < Time::zero()) {
      return Status(ErrorCode::kInvalidArgument, which + " has no start time at or after 0");
    }
    if (i > 0 && !(chapters[i - 1].start < c.start)) {
      return Status(ErrorCode::kInvalidArgument,
                    which + " starts at " + c.start.to_string() + ", not after the chapter before it");
    }
    if (auto sample = make_text_sample(c.title); !sample) return sample.status().with_context(which);
  }
  chapters_ = std::move(chapters);
  return Status::ok();
}

Status WriterCore::add(std::shared_ptr<AssetWriterInput> input) {
  AW_RETURN_IF_ERROR(check_can_add(input));
  std::lock_guard lock(mutex_);
  input->core_ = weak_from_this();
  input->track_index_ = inputs_.size();
  if (input->name.empty()) input->name = std::string(to_string(input->media_type())) + "_" + std::to_string(inputs_.size());
  inputs_.push_back(std::move(input));
  return Status::ok();
}

Status WriterCore::start_writing() {
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "start_writing"));
  if (inputs_.empty()) return fail(Status(ErrorCode::kInvalidState, "start_writing with no inputs"));

  // Parse every configuration record first: a malformed one fails before any file exists.
  tracks_.clear();
  for (const auto& input : inputs_) {
    auto format = make_track_format(input->source_format());
    if (!format) return fail(format.status().with_context(input->name));
    TrackState track;
    track.input = input;
    track.name = input->name;
    track.format = std::move(format).value();
    track.timescale = choose_media_timescale(*input, track.format);
    tracks_.push_back(std::move(track));
  }
  if (Status s = resolve_groups_and_references(); !s) return fail(s);
  if (settings_.movie_timescale <= 0) settings_.movie_timescale = file_type_ == FileType::kQuickTimeMovie ? 600 : 1000;
  // One creation time for every moov this writer builds (a fragmented movie rewrites its own).
  if (!settings_.creation_time_unix) {
    settings_.creation_time_unix =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }

  if (!chapters_.empty() && (segment_delegate_ || settings_.movie_fragment_interval.is_numeric())) {
    return fail(Status(ErrorCode::kUnsupported, "chapters need a movie that is not fragmented"));
  }

  if (segment_delegate_) {
    AW_RETURN_IF_ERROR(start_segment_output());
    create_interleaver();
    status_ = WriterStatus::kWriting;
    return Status::ok();
  }

  auto output = OutputFile::create(path_);
  if (!output) return fail(output.status());
  output_.emplace(std::move(output).value());

  if (settings_.movie_fragment_interval.is_numeric()) {
    // Fragmented: the header goes out with the first fragment, once the first samples are known.
    FragmentSettings fs;
    fs.interval = settings_.movie_fragment_interval;
    fs.initial_interval = settings_.initial_movie_fragment_interval;
    fs.first_sequence_number = settings_.initial_movie_fragment_sequence_number;
    fs.combinable = settings_.produces_combinable_fragments;
    fs.sync_to_disk = settings_.sync_fragments_to_disk;
    fragments_ = std::make_unique<FragmentWriter>(fs, tracks_, *output_, first_video_track(tracks_));
  } else if (!settings_.optimize_for_network_use && settings_.crash_recovery_interval.is_numeric()) {
    // Crash-safe plain movie: fragments while recording, indexed as chunks for the moov written at finish.
    FragmentSettings fs;
    fs.interval = settings_.crash_recovery_interval;
    fs.sync_to_disk = settings_.sync_fragments_to_disk;
    // These fragments are never seen by a player of the finished file: cut on time, keyframe or not.
    fs.intervals_before_cut_without_sync = 1;
    recording_as_fragments_ = true;
    fragments_ = std::make_unique<FragmentWriter>(
        fs, tracks_, *output_, first_video_track(tracks_),
        [this](size_t track, uint64_t offset, uint32_t count, uint32_t description) {
          tracks_[track].table.add_chunk(offset, count, description);
        });
  } else if (settings_.optimize_for_network_use && (moov_reserved_ = moov_reservation()) == 0) {
    // Moov-first with nothing reserved: the media waits in a temporary file for the one copy at finish.
    std::string dir = settings_.temporary_directory.empty() ? directory_of(path_) : settings_.temporary_directory;
    auto media = OutputFile::create_temporary(dir, "assetwriter-media");
    if (!media) {
      output_->remove();
      return fail(media.status());
    }
    media_file_.emplace(std::move(media).value());
  } else {
    // ftyp, the moov reservation of a moov-first movie written in place, then room for a 64-bit mdat
    // header: a 'free' box that becomes part of the mdat header if the media passes 4 GiB, so chunk
    // offsets never move.
    BoxWriter w;
    write_ftyp(w, file_type_box());
    if (moov_reserved_ > 0) {
      moov_reserve_offset_ = w.size();
      w.u32(static_cast<uint32_t>(moov_reserved_));
      w.fourcc(FourCC("free"));
      w.zeros(moov_reserved_ - 8);
    }
    mdat_header_offset_ = w.size();
    w.u32(8);
    w.fourcc(FourCC("free"));
    w.u32(8);  // mdat size, patched at finish
    w.fourcc(FourCC("mdat"));
    payload_start_ = w.size();
    if (Status s = output_->append(w.data()); !s) {
      output_->remove();
      return fail(s);
    }
  }
  create_interleaver();
  status_ = WriterStatus::kWriting;
  return Status::ok();
}

void WriterCore::create_interleaver() {
  interleaver_ = std::make_unique<Interleaver>(tracks_.size(), settings_.interleave_interval);
  for (size_t i = 0; i < tracks_.size(); ++i) {
    if (is_sparse(tracks_[i].format.media_type)) interleaver_->set_sparse(i);
  }
}

Status WriterCore::start_session(Time source_time) {
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "start_session"));
  if (session_start_.is_valid()) return Status(ErrorCode::kInvalidState, "start_session called twice");
  if (!source_time.is_numeric()) return Status(ErrorCode::kInvalidArgument, "start_session needs a numeric time");
  session_start_ = source_time;
  return Status::ok();
}

Status WriterCore::end_session(Time source_time) {
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "end_session"));
  if (!session_start_.is_valid()) return Status(ErrorCode::kInvalidState, "end_session before start_session");
  if (session_end_.is_valid()) return Status(ErrorCode::kInvalidState, "end_session called twice");
  if (!source_time.is_numeric() || source_time < session_start_) {
    return Status(ErrorCode::kInvalidArgument,
                  "end_session time " + source_time.to_string() + " is before the session start " +
                      session_start_.to_string());
  }
  session_end_ = source_time;
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

Status WriterCore::append(size_t index, Sample sample) {
  AW_RETURN_IF_ERROR(refuse_from_delegate("append"));
  std::lock_guard lock(mutex_);
  if (index >= tracks_.size() && status_ == WriterStatus::kWriting) {
    return Status(ErrorCode::kInvalidState, "input is not part of this writer");
  }
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "append"));
  TrackState& track = tracks_[index];
  if (!session_start_.is_valid()) {
    return Status(ErrorCode::kInvalidState, track.name + ": append before start_session");
  }
  if (track.finished) return Status(ErrorCode::kInvalidState, track.name + ": append after mark_as_finished");

  int64_t dts = 0, pts = 0;
  // The context is added only to an error: this runs once per sample.
  if (Status invalid = validate_and_record(track, sample, dts, pts); !invalid) return invalid.with_context(track.name);
  uint32_t frame = track.format.pcm_frame_bytes;
  if (frame > 0 && (sample.data.empty() || sample.data.size() % frame != 0)) {
    return Status(ErrorCode::kInvalidArgument, track.name + ": PCM buffer of " + std::to_string(sample.data.size()) +
                                                   " bytes is not a whole number of " + std::to_string(frame) +
                                                   "-byte frames");
  }
  int64_t duration_hint = frame > 0 ? 1 : -1;
  if (frame == 0 && sample.duration.is_numeric()) duration_hint = sample.duration.rescaled(track.timescale).value_or(-1);
  if (is_sparse(track.format.media_type)) fill_sparse_gap(index, dts);
  record_and_queue(index, sample, dts, pts, duration_hint);
  Status drained = interleaver_->drain(false, [this](size_t t, std::span<PendingSample> s) { return write_chunk(t, s); });
  if (drained) drained = after_drain();
  if (!drained) return fail(drained);
  return Status::ok();
}

void WriterCore::fill_sparse_gap(size_t index, int64_t dts) {
  TrackState& track = tracks_[index];
  int64_t gap_start = 0;
  if (track.has_samples) {
    if (track.last_duration_hint <= 0) return;  // the previous sample lasts until this one
    gap_start = track.last_dts + track.last_duration_hint;
  } else {
    auto start = session_start_.rescaled(track.timescale);
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
  TrackState& track = tracks_[index];
  uint32_t frame = track.format.pcm_frame_bytes;
  track.has_samples = true;
  track.last_dts = dts;
  track.last_duration_hint = duration_hint;
  // Fragmented movies index each fragment as it is written; only the others keep the whole table.
  if (keeps_full_index()) {
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

Status WriterCore::after_drain() {
  if (!fragments_) return Status::ok();
  return fragments_->write_ready(header_builder());
}

FragmentWriter::HeaderBuilder WriterCore::header_builder() {
  if (segment_delegate_) {
    return [this](std::span<const MediaExtent> e, std::span<const uint32_t> d) { return segment_header(e, d); };
  }
  return [this](std::span<const MediaExtent> e, std::span<const uint32_t>) { return fragmented_header(e); };
}

Status WriterCore::write_chunk(size_t track, std::span<PendingSample> samples) {
  if (fragments_) {
    fragments_->add_chunk(track, samples);
    return Status::ok();
  }
  // A chunk holds samples of one sample description (stsc names one per chunk): a format change splits it.
  while (!samples.empty()) {
    size_t run = 1;
    while (run < samples.size() && samples[run].description_index == samples[0].description_index) ++run;
    std::vector<std::span<const uint8_t>> buffers;
    buffers.reserve(run);
    uint32_t sample_count = 0;
    for (const auto& s : samples.first(run)) {
      buffers.push_back(s.data);
      sample_count += s.sample_count;
    }
    OutputFile& file = media_file_ ? *media_file_ : *output_;
    uint64_t chunk_offset = payload_written_;
    uint64_t before = file.position();
    AW_RETURN_IF_ERROR(file.append_vectored(buffers));
    payload_written_ += file.position() - before;
    tracks_[track].table.add_chunk(chunk_offset, sample_count, samples[0].description_index);
    samples = samples.subspan(run);
  }
  return Status::ok();
}

Status WriterCore::mark_as_finished(size_t index) {
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "mark_as_finished"));
  if (index >= tracks_.size()) return Status(ErrorCode::kInvalidState, "input is not part of this writer");
  tracks_[index].finished = true;
  interleaver_->mark_finished(index);
  if (fragments_) fragments_->note_track_finished();
  Status drained = interleaver_->drain(false, [this](size_t t, std::span<PendingSample> s) { return write_chunk(t, s); });
  if (drained) drained = after_drain();
  if (!drained) return fail(drained);
  return Status::ok();
}

Status WriterCore::update_input(const std::function<void()>& change) {
  std::lock_guard lock(mutex_);
  if (status_ != WriterStatus::kWriting) {
    AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "changing track metadata"));
  }
  change();
  return Status::ok();
}

bool WriterCore::is_ready_for_more_media_data(size_t index) const {
  std::lock_guard lock(mutex_);
  if (status_ != WriterStatus::kWriting || index >= tracks_.size() || tracks_[index].finished) return false;
  if (tracks_[index].input->expects_media_data_in_real_time) return true;
  return !interleaver_->is_ahead(index);
}

uint64_t WriterCore::creation_time_1904() const {
  int64_t unix_seconds = settings_.creation_time_unix
                             ? *settings_.creation_time_unix
                             : std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
  return static_cast<uint64_t>(unix_seconds + static_cast<int64_t>(kSecondsFrom1904To1970));
}

MovieContext WriterCore::movie_context() const {
  MovieContext movie;
  movie.file_type = file_type_;
  movie.movie_timescale = settings_.movie_timescale;
  movie.creation_time = creation_time_1904();
  movie.session_start = session_start_;
  movie.session_end = session_end_;
  movie.metadata = &settings_.metadata;
  movie.chapters = written_chapters_;
  return movie;
}

Status WriterCore::add_chapter_track() {
  if (chapters_.empty()) return Status::ok();
  // The movie ends where its longest track does; the last chapter lasts until then, and chapters that
  // start after it are left out.
  std::vector<TrackSummary> summaries = summarize_tables(tracks_, settings_.signed_composition_offsets);
  uint64_t movie_duration = 0;
  for (size_t i = 0; i < tracks_.size(); ++i) {
    auto timeline = compute_track_timeline(summaries[i].extent, tracks_[i].timescale, session_start_, session_end_,
                                           settings_.movie_timescale);
    movie_duration = std::max(movie_duration, timeline.duration);
  }
  Time movie_end(static_cast<int64_t>(movie_duration), settings_.movie_timescale);
  std::vector<Chapter> kept;
  for (const Chapter& c : chapters_) {
    if (c.start < movie_end) kept.push_back(c);
  }
  if (kept.empty()) return Status::ok();

  TrackState chapter;
  chapter.input = AssetWriterInput::create(MediaType::kText, FormatDescription{Codec::kTx3g});
  chapter.input->name = "chapters";
  chapter.name = "chapters";
  AW_ASSIGN_OR_RETURN(chapter.format, make_track_format(chapter.input->source_format()));
  // QuickTime's own text description in a movie (what QuickTime Player and ffmpeg's mov muxer use for
  // chapters), tx3g in the ISO files.
  if (file_type_ == FileType::kQuickTimeMovie) chapter.format.sample_entry = FourCC("text");
  chapter.chapter_track = true;
  chapter.timescale = 1000;

  std::vector<uint8_t> payload;
  int64_t end_ticks = (session_start_ + movie_end).rescaled(chapter.timescale).value_or(0);
  int64_t last_dts = 0;
  for (const Chapter& c : kept) {
    AW_ASSIGN_OR_RETURN(std::vector<uint8_t> sample, make_text_sample(c.title));
    last_dts = (session_start_ + c.start).rescaled(chapter.timescale).value_or(0);
    chapter.table.add_sample(last_dts, last_dts, static_cast<uint32_t>(sample.size()), true);
    payload.insert(payload.end(), sample.begin(), sample.end());
  }
  chapter.table.finish(static_cast<uint32_t>(std::max<int64_t>(1, end_ticks - last_dts)));

  // The titles go after the media, as one chunk: inside the open mdat (plain, moov-first), or in an mdat of
  // their own after the last fragment (crash-safe recording, whose chunk offsets are file offsets).
  if (recording_as_fragments_) {
    BoxWriter mdat;
    write_mdat_header(mdat, payload.size(), false);
    mdat.bytes(payload);
    uint64_t offset = output_->position() + 8;
    AW_RETURN_IF_ERROR(output_->append(mdat.data()));
    chapter.table.add_chunk(offset, static_cast<uint32_t>(kept.size()));
  } else {
    OutputFile& file = media_file_ ? *media_file_ : *output_;
    chapter.table.add_chunk(payload_written_, static_cast<uint32_t>(kept.size()));
    AW_RETURN_IF_ERROR(file.append(payload));
    payload_written_ += payload.size();
  }

  // Every audio and video track names the chapter track, as Apple's writer and ffmpeg do.
  uint32_t chapter_id = static_cast<uint32_t>(tracks_.size() + 1);
  for (TrackState& track : tracks_) {
    if (is_sparse(track.format.media_type)) continue;
    bool has_chapters = std::any_of(track.references.begin(), track.references.end(),
                                    [](const auto& r) { return r.first == FourCC("chap"); });
    if (!has_chapters) track.references.emplace_back(FourCC("chap"), chapter_id);
  }
  tracks_.push_back(std::move(chapter));
  written_chapters_ = std::move(kept);
  return Status::ok();
}

namespace {

// Room left after a fragmented movie's first moov, so the moov rewritten at finish (real durations, edit
// lists of tracks that started late, late metadata) fits in place. A format change writes the new moov
// beside the current one (HeaderSpace::replace_moov), so the reserve also holds a copy of the moov and
// room for its further sample entries: some 2 KiB, a dozen avcC entries of a resolution change.
constexpr uint64_t kMoovReserve = 1024;
constexpr uint64_t kMoovReservePerTrack = 256;
constexpr uint64_t kFormatChangeReserve = 2048;

void write_free(BoxWriter& w, uint64_t size) {
  w.u32(static_cast<uint32_t>(size));
  w.fourcc(FourCC("free"));
  w.zeros(size - 8);
}

}  // namespace

std::vector<uint8_t> WriterCore::fragmented_moov() const {
  std::vector<TrackSummary> summaries;
  for (size_t i = 0; i < header_extents_.size(); ++i) {
    MediaExtent e = header_extents_[i];
    e.priming = tracks_[i].format.priming_samples;
    summaries.push_back({e, 0});
  }
  MovieContext movie = movie_context();
  movie.fragmented = true;
  if (settings_.overall_duration_hint.is_numeric()) {
    movie.fragment_duration = settings_.overall_duration_hint.rescaled(settings_.movie_timescale).value_or(0);
  }
  return build_moov(tracks_, summaries, movie, 0);
}

std::vector<uint8_t> WriterCore::fragmented_header(std::span<const MediaExtent> extents) {
  BoxWriter w;
  FileTypeBox ftyp = file_type_box();
  // iso6: the brand that introduces tfdt (ISO/IEC 14496-12 2012+), for files that stay fragmented.
  if (file_type_ != FileType::kQuickTimeMovie && !recording_as_fragments_) {
    ftyp.compatible_brands.push_back(FourCC("iso6"));
  }
  write_ftyp(w, ftyp);
  header_extents_.assign(extents.begin(), extents.end());
  uint64_t moov_offset = w.size();
  auto moov = fragmented_moov();
  w.bytes(moov);
  uint64_t reserve = kMoovReserve + kMoovReservePerTrack * tracks_.size() + moov.size() + kFormatChangeReserve;
  write_free(w, reserve);
  header_space_ = HeaderSpace(moov_offset, moov.size() + reserve, moov.size());
  return w.take();
}

Status WriterCore::finish_segments() {
  AW_RETURN_IF_ERROR(
      interleaver_->drain(true, [this](size_t t, std::span<PendingSample> s) { return write_chunk(t, s); }));
  return fragments_->write_rest(header_builder());
}

Status WriterCore::finish_fragmented() {
  AW_RETURN_IF_ERROR(
      interleaver_->drain(true, [this](size_t t, std::span<PendingSample> s) { return write_chunk(t, s); }));
  AW_RETURN_IF_ERROR(fragments_->write_rest(header_builder()));
  if (settings_.produces_combinable_fragments) {
    // Combinable output ends with its last fragment: an mfra or a rewritten duration would describe this
    // file alone and be wrong once several files are joined.
    return output_->close();
  }
  BoxWriter mfra;
  write_mfra(mfra, fragments_->random_access());
  AW_RETURN_IF_ERROR(output_->append(mfra.data()));

  // The real durations and edit lists, rewritten over the first moov and its reserve.
  std::vector<TrackSummary> summaries;
  for (size_t i = 0; i < tracks_.size(); ++i) {
    MediaExtent e = fragments_->extents()[i];
    e.priming = tracks_[i].format.priming_samples;
    summaries.push_back({e, fragments_->media_durations()[i]});
  }
  MovieContext movie = movie_context();
  movie.fragmented = true;
  // mehd carries the whole presentation's duration: the longest track's.
  uint64_t duration = 0;
  for (size_t i = 0; i < tracks_.size(); ++i) {
    auto timeline = compute_track_timeline(summaries[i].extent, tracks_[i].timescale, session_start_, session_end_,
                                           settings_.movie_timescale);
    duration = std::max(duration, timeline.duration);
  }
  movie.fragment_duration = duration;
  auto moov = build_moov(tracks_, summaries, movie, 0);
  const uint64_t space = header_space_.size();
  if (moov.size() + 8 <= space || moov.size() == space) {
    // Over the whole space, wherever a format change left the moov in it.
    BoxWriter w;
    w.bytes(moov);
    if (moov.size() < space) write_free(w, space - moov.size());
    AW_RETURN_IF_ERROR(output_->write_at(header_space_.offset(), w.data()));
  }
  // Otherwise the first moov stays: open-ended edits and no duration, still a valid movie.
  return output_->close();
}

Status WriterCore::start_segment_output() {
  FragmentSettings fs;
  fs.interval = settings_.preferred_output_segment_interval;
  fs.first_sequence_number = settings_.initial_movie_fragment_sequence_number;
  fs.sync_to_disk = false;
  // Every segment starts on a keyframe (HLS EXT-X-INDEPENDENT-SEGMENTS, CMAF) unless none came within the
  // maximum duration: then it is cut within it, so memory stays bounded and a playlist's target duration
  // holds every segment.
  if (settings_.maximum_segment_duration.is_numeric()) {
    fs.max_duration = settings_.maximum_segment_duration;
  } else if (fs.interval.is_numeric()) {
    fs.max_duration = fs.interval + fs.interval + fs.interval;
  }
  fs.one_track_per_fragment = settings_.one_track_per_header;
  fs.common_origin = true;
  fs.header_per_description = true;
  if (settings_.initial_segment_start_time.is_numeric()) fs.origin = settings_.initial_segment_start_time;
  segment_sink_ = std::make_unique<MemorySink>();
  fragments_ = std::make_unique<FragmentWriter>(fs, tracks_, *segment_sink_, first_video_track(tracks_));
  fragments_->set_fragment_done([this](const WrittenFragment& f) { return emit_segment(f); });
  return Status::ok();
}

Result<std::vector<uint8_t>> WriterCore::segment_header(std::span<const MediaExtent> extents,
                                                        std::span<const uint32_t> descriptions) {
  bool cmaf = settings_.output_file_type_profile == FileTypeProfile::kMpeg4CmafCompliant;
  // No edit lists: segment players line tracks up by tfdt alone (CMAF 7.5.13 restricts edits), so the
  // extents are left out.
  std::vector<TrackSummary> summaries(extents.size());
  MovieContext movie = movie_context();
  movie.fragmented = true;
  // One sample entry per track (CMAF 7.3.2.1 allows no more): after a format change a new header with the
  // new one (FragmentSettings::header_per_description).
  movie.only_descriptions = descriptions;
  // With one track per header each track gets its own (a CMAF header holds exactly one track, 23000-19
  // 7.3.2.1); otherwise one header describes them all.
  std::vector<std::optional<size_t>> headers;
  if (settings_.one_track_per_header) {
    for (size_t t = 0; t < tracks_.size(); ++t) headers.emplace_back(t);
  } else {
    headers.emplace_back();
  }
  const bool again = !delivered_descriptions_.empty();
  for (const std::optional<size_t>& only : headers) {
    // After a format change, a track with a header of its own gets a new one only if it changed.
    if (again && only && delivered_descriptions_[*only] == descriptions[*only]) continue;
    BoxWriter w;
    // CMAF header brands (ISO/IEC 23000-19 7.2): cmfc for the track format, cmf2 for its 2nd-edition
    // constraints; iso6 for tfdt.
    if (cmaf) {
      write_ftyp(w, {FourCC("cmf2"), 0, {FourCC("cmf2"), FourCC("cmfc"), FourCC("iso6"), FourCC("isom")}});
    } else {
      write_ftyp(w, {FourCC("iso6"), 0, {FourCC("iso6"), FourCC("isom"), FourCC("mp41")}});
    }
    movie.only_track = only;
    w.bytes(build_moov(tracks_, summaries, movie, 0));
    SegmentReport report;
    report.type = SegmentType::kInitialization;
    for (size_t t = 0; t < tracks_.size(); ++t) {
      if (only && *only != t) continue;
      SegmentTrackReport track;
      track.track_id = static_cast<uint32_t>(t + 1);
      track.media_type = tracks_[t].format.media_type;
      track.duration = Time::zero();
      track.sample_count = 0;
      report.tracks.push_back(std::move(track));
    }
    AW_RETURN_IF_ERROR(deliver_segment(w.data(), SegmentType::kInitialization, report));
  }
  delivered_descriptions_.assign(descriptions.begin(), descriptions.end());
  return std::vector<uint8_t>{};
}

Status WriterCore::deliver_segment(std::span<const uint8_t> data, SegmentType type, const SegmentReport& report) {
  delegate_thread_ = std::this_thread::get_id();
  Status delivered = segment_delegate_->did_output_segment_data(data, type, &report);
  delegate_thread_ = std::thread::id();
  // The delegate's error fails the writer (the caller returns it through fail()): nothing more goes out.
  return delivered;
}

Status WriterCore::emit_segment(const WrittenFragment& fragment) {
  BoxWriter w;
  if (settings_.output_file_type_profile == FileTypeProfile::kMpeg4CmafCompliant) {
    // CMAF segment brand (23000-19 7.3.3).
    write_styp(w, {FourCC("cmfs"), 0, {FourCC("cmfs"), FourCC("cmff"), FourCC("iso6")}});
  }
  uint64_t prefix = w.size();
  const auto& bytes = segment_sink_->bytes();
  w.bytes(std::span(bytes).subspan(fragment.moof_offset, fragment.end_offset - fragment.moof_offset));
  SegmentReport report;
  report.type = SegmentType::kSeparable;
  report.sequence_number = fragment.sequence_number;
  report.tracks = fragment.tracks;
  for (auto& track : report.tracks) {
    for (auto& range : track.data_ranges) range.first += prefix;
  }
  segment_sink_->clear();
  return deliver_segment(w.data(), SegmentType::kSeparable, report);
}

Status WriterCore::refuse_from_delegate(const char* call) const {
  if (delegate_thread_.load() != std::this_thread::get_id()) return Status::ok();
  return Status(ErrorCode::kInvalidState, std::string(call) + " from inside a segment delegate callback");
}

Status WriterCore::flush_segment() {
  AW_RETURN_IF_ERROR(refuse_from_delegate("flush_segment"));
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "flush_segment"));
  if (!segment_delegate_) return Status(ErrorCode::kInvalidState, "flush_segment needs a writer made for segments");
  // The cut goes after everything appended so far: at the next keyframe of the first video track.
  std::optional<Time> after;
  auto video = first_video_track(tracks_);
  for (size_t i = 0; i < tracks_.size(); ++i) {
    if (!tracks_[i].has_samples || (video && i != *video)) continue;
    Time last(tracks_[i].last_dts, tracks_[i].timescale);
    if (!after || *after < last) after = last;
  }
  if (!after) return Status::ok();  // nothing appended yet: the first segment starts anyway
  fragments_->request_cut_after(*after);
  Status s = interleaver_->drain(true, [this](size_t t, std::span<PendingSample> p) { return write_chunk(t, p); });
  if (s) s = after_drain();
  if (!s) return fail(s);
  return Status::ok();
}

Status WriterCore::finish_recorded_fragments_as_plain_movie() {
  AW_RETURN_IF_ERROR(
      interleaver_->drain(true, [this](size_t t, std::span<PendingSample> s) { return write_chunk(t, s); }));
  AW_RETURN_IF_ERROR(fragments_->write_rest(header_builder()));
  close_sample_tables();
  AW_RETURN_IF_ERROR(add_chapter_track());
  // The complete index goes after the last fragment; then the fragment headers and the first moov become
  // 'free', leaving a plain movie whose mdats are the fragments' (chunk offsets are absolute).
  std::vector<TrackSummary> summaries = summarize_tables(tracks_, settings_.signed_composition_offsets);
  auto moov = build_moov(tracks_, summaries, movie_context(), 0);
  AW_RETURN_IF_ERROR(output_->append(moov));
  if (settings_.sync_fragments_to_disk) AW_RETURN_IF_ERROR(output_->flush_to_disk());
  static constexpr uint8_t kFree[4] = {'f', 'r', 'e', 'e'};
  AW_RETURN_IF_ERROR(output_->write_at(header_space_.moov_offset() + 4, kFree));
  for (uint64_t moof : fragments_->moof_offsets()) AW_RETURN_IF_ERROR(output_->write_at(moof + 4, kFree));
  return output_->close();
}

void WriterCore::close_sample_tables() {
  for (TrackState& track : tracks_) {
    const auto& stts = track.table.time_to_sample();
    // The last sample lasts as long as it says, else as long as the one before it, else one tick
    // of 1/30 s (a single-frame track): never 0, which players treat as "no duration".
    int64_t last = track.last_duration_hint;
    if (last <= 0 && !stts.empty()) last = stts.back().delta;
    if (last <= 0) last = std::max<int64_t>(1, track.timescale / 30);
    track.table.finish(static_cast<uint32_t>(std::min<int64_t>(last, std::numeric_limits<uint32_t>::max())));
  }
}

Status WriterCore::finish_tracks_and_write_index() {
  AW_RETURN_IF_ERROR(
      interleaver_->drain(true, [this](size_t t, std::span<PendingSample> s) { return write_chunk(t, s); }));
  close_sample_tables();
  AW_RETURN_IF_ERROR(add_chapter_track());

  std::vector<TrackSummary> summaries = summarize_tables(tracks_, settings_.signed_composition_offsets);
  MovieContext movie = movie_context();

  if (media_file_) {
    AW_RETURN_IF_ERROR(write_moov_first(*output_, *media_file_, 0, summaries, movie));
    media_file_->remove();
    media_file_.reset();
    return output_->close();
  }

  // Plain, or moov-first into a reservation: the mdat is done; patch its header, then write the index.
  uint64_t payload = payload_written_;
  bool large = mdat_needs_large_size(payload);
  auto header = mdat_header(payload, large);
  // A 32-bit header goes after the 'free' placeholder; a 64-bit one replaces both.
  AW_RETURN_IF_ERROR(output_->write_at(mdat_header_offset_ + (large ? 0 : 8), header));
  auto moov = build_moov(tracks_, summaries, movie, payload_start_);
  if (moov_reserved_ == 0) {
    AW_RETURN_IF_ERROR(output_->append(moov));
    return output_->close();
  }
  if (auto filled = fill_reservation(moov, moov_reserved_)) {
    AW_RETURN_IF_ERROR(output_->write_at(moov_reserve_offset_, *filled));
    return output_->close();
  }
  // The reservation was too small: one sequential copy of the media behind a new head, in a new file that
  // then replaces this one.
  std::string dir = settings_.temporary_directory.empty() ? directory_of(path_) : settings_.temporary_directory;
  auto copy = OutputFile::create_temporary(dir, "assetwriter-moov-first");
  if (!copy) return copy.status();
  if (Status s = write_moov_first(*copy, *output_, payload_start_, summaries, movie); !s) {
    copy->remove();
    return s;
  }
  AW_RETURN_IF_ERROR(output_->close());
  return copy->close_and_rename_to(path_);
}

FileTypeBox WriterCore::file_type_box() const {
  std::vector<Codec> codecs;
  for (const auto& t : tracks_) codecs.push_back(t.format.codec);
  return file_type_box_for(file_type_, codecs);
}

uint64_t WriterCore::moov_reservation() const {
  if (settings_.reserved_moov_size > 0) return std::max<uint64_t>(settings_.reserved_moov_size, 8);
  uint64_t estimate = estimated_moov_size(tracks_, settings_.overall_duration_hint);
  // A 'free' box header holds 32 bits; a hint that large is better served by the copy.
  return estimate <= std::numeric_limits<uint32_t>::max() ? estimate : 0;
}

Status WriterCore::write_moov_first(OutputFile& destination, OutputFile& media, uint64_t media_offset,
                                    std::span<const TrackSummary> summaries, const MovieContext& movie) {
  // ftyp, moov, mdat header, then the media copied in one sequential pass. The moov size depends on
  // whether chunk offsets need 64 bits, which depends on the moov size: settle it by building until the
  // size stops changing (at most twice more). Chunk offsets are kept relative to the payload's first byte,
  // wherever `media` holds it.
  BoxWriter head;
  write_ftyp(head, file_type_box());
  bool large = mdat_needs_large_size(payload_written_);
  uint64_t header_size = large ? 16 : 8;
  std::vector<uint8_t> moov = build_moov(tracks_, summaries, movie, head.size() + header_size);
  for (int i = 0; i < 3; ++i) {
    auto again = build_moov(tracks_, summaries, movie, head.size() + moov.size() + header_size);
    if (again.size() == moov.size()) {
      moov = std::move(again);
      break;
    }
    moov = std::move(again);
  }
  head.bytes(moov);
  write_mdat_header(head, payload_written_, large);
  AW_RETURN_IF_ERROR(destination.append(head.data()));
  return destination.append_range(media, media_offset, payload_written_);
}

Status WriterCore::finish_writing() {
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kWriting, "finish_writing"));
  for (size_t i = 0; i < tracks_.size(); ++i) {
    tracks_[i].finished = true;
    interleaver_->mark_finished(i);
  }
  Status s = segment_delegate_ ? finish_segments()
             : recording_as_fragments_ ? finish_recorded_fragments_as_plain_movie()
             : fragments_              ? finish_fragmented()
                                       : finish_tracks_and_write_index();
  if (!s) return fail(s);
  status_ = WriterStatus::kCompleted;
  return Status::ok();
}

Status WriterCore::cancel_writing() {
  std::lock_guard lock(mutex_);
  if (status_ == WriterStatus::kCompleted || status_ == WriterStatus::kCancelled) {
    return Status(ErrorCode::kInvalidState, std::string("cancel_writing is not allowed when the writer is ") +
                                                to_string(status_));
  }
  interleaver_.reset();  // releases queued payloads
  if (media_file_) media_file_->remove();
  media_file_.reset();
  if (output_) output_->remove();
  output_.reset();
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
