// AssetWriter and AssetWriterInput: the public facade over WriterCore.
#include "aw/asset_writer.h"

#include <sys/stat.h>

#include <cmath>
#include <limits>
#include <string>

#include "writer/writer_core.h"

namespace aw {

const char* to_string(WriterStatus status) {
  switch (status) {
    case WriterStatus::kUnknown: return "unknown";
    case WriterStatus::kWriting: return "writing";
    case WriterStatus::kCompleted: return "completed";
    case WriterStatus::kFailed: return "failed";
    case WriterStatus::kCancelled: return "cancelled";
  }
  return "?";
}

Result<std::unique_ptr<AssetWriter>> AssetWriter::create(std::string output_path, FileType file_type) {
  if (output_path.empty()) return Status(ErrorCode::kInvalidArgument, "the output path is empty");
  struct stat st {};
  if (::stat(output_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return Status(ErrorCode::kInvalidArgument, "the output path \"" + output_path + "\" is a directory");
  }
  auto slash = output_path.find_last_of('/');
  std::string parent = slash == std::string::npos ? "." : slash == 0 ? "/" : output_path.substr(0, slash);
  if (::stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status(ErrorCode::kInvalidArgument, "the directory of \"" + output_path + "\" does not exist");
  }
  return std::unique_ptr<AssetWriter>(new AssetWriter(std::make_shared<WriterCore>(std::move(output_path), file_type)));
}

Result<std::unique_ptr<AssetWriter>> AssetWriter::create_for_segments(FileType file_type, SegmentDelegate& delegate) {
  if (file_type != FileType::kMpeg4 && file_type != FileType::kAppleM4V && file_type != FileType::kAppleM4A) {
    return Status(ErrorCode::kUnsupported,
                  std::string("segments are fragmented MPEG-4; a ") + to_string(file_type) + " writer cannot make them");
  }
  return std::unique_ptr<AssetWriter>(new AssetWriter(std::make_shared<WriterCore>(file_type, delegate)));
}

AssetWriter::AssetWriter(std::shared_ptr<WriterCore> core) : core_(std::move(core)) {}
AssetWriter::~AssetWriter() = default;

const std::string& AssetWriter::output_path() const { return core_->path(); }
FileType AssetWriter::output_file_type() const { return core_->file_type(); }

std::vector<MediaType> AssetWriter::available_media_types() const {
  if (core_->file_type() == FileType::kAppleM4A) return {MediaType::kAudio};
  if (core_->file_type() == FileType::k3Gpp) return {MediaType::kVideo, MediaType::kAudio, MediaType::kText};
  return {MediaType::kVideo, MediaType::kAudio, MediaType::kText, MediaType::kMetadata};
}

bool AssetWriter::can_apply(const std::optional<OutputSettings>& settings, MediaType media_type) const {
  return core_->can_apply(settings, media_type);
}

bool AssetWriter::can_add(const std::shared_ptr<AssetWriterInput>& input) const { return check_can_add(input).is_ok(); }
Status AssetWriter::check_can_add(const std::shared_ptr<AssetWriterInput>& input) const {
  return core_->check_can_add(input);
}
Status AssetWriter::add(std::shared_ptr<AssetWriterInput> input) { return core_->add(std::move(input)); }
const std::vector<std::shared_ptr<AssetWriterInput>>& AssetWriter::inputs() const { return core_->inputs(); }

bool AssetWriter::can_add(const std::shared_ptr<AssetWriterInputGroup>& group) const {
  return check_can_add(group).is_ok();
}
Status AssetWriter::check_can_add(const std::shared_ptr<AssetWriterInputGroup>& group) const {
  return core_->check_can_add_group(group);
}
Status AssetWriter::add(std::shared_ptr<AssetWriterInputGroup> group) { return core_->add_group(std::move(group)); }
const std::vector<std::shared_ptr<AssetWriterInputGroup>>& AssetWriter::input_groups() const {
  return core_->input_groups();
}

Status AssetWriter::set_metadata(Metadata metadata) { return core_->set_metadata(std::move(metadata)); }
const Metadata& AssetWriter::metadata() const { return metadata_cache_ = core_->settings().metadata; }

Status AssetWriter::set_should_optimize_for_network_use(bool value) {
  return core_->configure([&](WriterSettings& s) { s.optimize_for_network_use = value; });
}
bool AssetWriter::should_optimize_for_network_use() const { return core_->settings().optimize_for_network_use; }

Status AssetWriter::set_directory_for_temporary_files(std::string directory) {
  return core_->configure([&](WriterSettings& s) { s.temporary_directory = std::move(directory); });
}
const std::string& AssetWriter::directory_for_temporary_files() const {
  return temporary_directory_cache_ = core_->settings().temporary_directory;
}

Status AssetWriter::set_movie_time_scale(int32_t timescale) {
  if (timescale < 0) return Status(ErrorCode::kInvalidArgument, "movie timescale must not be negative");
  return core_->configure([&](WriterSettings& s) { s.movie_timescale = timescale; });
}
int32_t AssetWriter::movie_time_scale() const { return core_->settings().movie_timescale; }

Status AssetWriter::set_interleave_interval(Time interval) {
  if (!interval.is_numeric() || interval <= Time::zero()) {
    return Status(ErrorCode::kInvalidArgument, "the interleave interval must be a positive time");
  }
  return core_->configure([&](WriterSettings& s) { s.interleave_interval = interval; });
}
Time AssetWriter::interleave_interval() const { return core_->settings().interleave_interval; }

Status AssetWriter::set_creation_time(int64_t unix_seconds) {
  return core_->configure([&](WriterSettings& s) { s.creation_time_unix = unix_seconds; });
}

namespace {

bool positive(const Time& t) { return t.is_numeric() && t > Time::zero(); }

}  // namespace

Status AssetWriter::set_movie_fragment_interval(Time interval) {
  if (interval.is_valid() && !positive(interval)) {
    return Status(ErrorCode::kInvalidArgument, "the fragment interval must be a positive time (or invalid for none)");
  }
  return core_->configure([&](WriterSettings& s) { s.movie_fragment_interval = interval; });
}
Time AssetWriter::movie_fragment_interval() const { return core_->settings().movie_fragment_interval; }

Status AssetWriter::set_initial_movie_fragment_interval(Time interval) {
  if (interval.is_valid() && !positive(interval)) {
    return Status(ErrorCode::kInvalidArgument, "the initial fragment interval must be a positive time");
  }
  return core_->configure([&](WriterSettings& s) { s.initial_movie_fragment_interval = interval; });
}

Status AssetWriter::set_initial_movie_fragment_sequence_number(uint32_t number) {
  if (number == 0) return Status(ErrorCode::kInvalidArgument, "fragment sequence numbers start at 1");
  return core_->configure([&](WriterSettings& s) { s.initial_movie_fragment_sequence_number = number; });
}

Status AssetWriter::set_overall_duration_hint(Time duration) {
  if (duration.is_valid() && !positive(duration)) {
    return Status(ErrorCode::kInvalidArgument, "the duration hint must be a positive time");
  }
  return core_->configure([&](WriterSettings& s) { s.overall_duration_hint = duration; });
}

Status AssetWriter::set_produces_combinable_fragments(bool value) {
  return core_->configure([&](WriterSettings& s) { s.produces_combinable_fragments = value; });
}

Status AssetWriter::set_preferred_output_segment_interval(Time interval) {
  if (!interval.is_positive_infinity() && !positive(interval)) {
    return Status(ErrorCode::kInvalidArgument, "the segment interval must be a positive time or positive infinity");
  }
  return core_->configure([&](WriterSettings& s) { s.preferred_output_segment_interval = interval; });
}

Status AssetWriter::set_preferred_output_part_interval(Time interval) {
  if (interval.is_valid() && !positive(interval)) {
    return Status(ErrorCode::kInvalidArgument, "the part interval must be a positive time (or invalid for none)");
  }
  return core_->configure([&](WriterSettings& s) { s.preferred_output_part_interval = interval; });
}

Time AssetWriter::preferred_output_part_interval() const { return core_->settings().preferred_output_part_interval; }

Status AssetWriter::set_initial_segment_start_time(Time time) {
  return core_->configure([&](WriterSettings& s) { s.initial_segment_start_time = time; });
}

Status AssetWriter::set_output_file_type_profile(FileTypeProfile profile) {
  return core_->configure([&](WriterSettings& s) { s.output_file_type_profile = profile; });
}

Status AssetWriter::set_one_track_per_header(bool value) {
  return core_->configure([&](WriterSettings& s) { s.one_track_per_header = value; });
}

Status AssetWriter::set_maximum_segment_duration(Time duration) {
  if (duration.is_valid() && !positive(duration)) {
    return Status(ErrorCode::kInvalidArgument, "the maximum segment duration must be a positive time");
  }
  return core_->configure([&](WriterSettings& s) { s.maximum_segment_duration = duration; });
}

Status AssetWriter::flush_segment() { return core_->flush_segment(); }

Status AssetWriter::set_crash_recovery_interval(Time interval) {
  if (interval.is_valid() && !positive(interval)) {
    return Status(ErrorCode::kInvalidArgument, "the crash recovery interval must be a positive time (or invalid for none)");
  }
  return core_->configure([&](WriterSettings& s) { s.crash_recovery_interval = interval; });
}

Status AssetWriter::set_reserved_moov_size(uint64_t bytes) {
  if (bytes > std::numeric_limits<uint32_t>::max()) {
    return Status(ErrorCode::kInvalidArgument, "reserved moov size " + std::to_string(bytes) + " is over 4 GiB");
  }
  return core_->configure([&](WriterSettings& s) { s.reserved_moov_size = bytes; });
}

Status AssetWriter::set_uses_signed_composition_offsets(bool value) {
  return core_->configure([&](WriterSettings& s) { s.signed_composition_offsets = value; });
}

bool AssetWriter::uses_signed_composition_offsets() const { return core_->settings().signed_composition_offsets; }

Status AssetWriter::set_sync_fragments_to_disk(bool value) {
  return core_->configure([&](WriterSettings& s) { s.sync_fragments_to_disk = value; });
}

Status AssetWriter::set_observer(WriterObserver* observer) { return core_->set_observer(observer); }
Status AssetWriter::start_writing() { return core_->start_writing(); }
Status AssetWriter::start_session(Time source_time) { return core_->start_session(source_time); }
Status AssetWriter::end_session(Time source_time) { return core_->end_session(source_time); }
Status AssetWriter::set_chapters(std::vector<Chapter> chapters) { return core_->set_chapters(std::move(chapters)); }
Status AssetWriter::finish_writing() { return core_->finish_writing(); }
Status AssetWriter::cancel_writing() { return core_->cancel_writing(); }
WriterStatus AssetWriter::status() const { return core_->status(); }
Status AssetWriter::error() const { return core_->error(); }

// AssetWriterInput

std::shared_ptr<AssetWriterInput> AssetWriterInput::create(MediaType media_type, FormatDescription source_format,
                                                           std::optional<OutputSettings> output_settings) {
  return std::shared_ptr<AssetWriterInput>(
      new AssetWriterInput(media_type, std::move(source_format), std::move(output_settings)));
}

bool AssetWriterInput::is_ready_for_more_media_data() const {
  auto core = core_.lock();
  return core && core->is_ready_for_more_media_data(track_index_);
}

Status AssetWriterInput::append(Sample sample) {
  auto core = core_.lock();
  if (!core) return Status(ErrorCode::kInvalidState, name + ": the input was not added to a writer");
  return core->append(track_index_, std::move(sample));
}

Status AssetWriterInput::set_metadata(Metadata value) {
  auto core = core_.lock();
  if (!core) {
    metadata = std::move(value);
    return Status::ok();
  }
  return core->update_input([&] { metadata = std::move(value); });
}

Status AssetWriterInput::set_language_code(std::string value) {
  auto core = core_.lock();
  if (!core) {
    language_code = std::move(value);
    return Status::ok();
  }
  return core->update_input([&] { language_code = std::move(value); });
}

const char* to_string(TrackAssociationType type) {
  switch (type) {
    case TrackAssociationType::kChapterList: return "chapter-list";
    case TrackAssociationType::kSubtitle: return "subtitle";
    case TrackAssociationType::kForcedSubtitle: return "forced-subtitle";
    case TrackAssociationType::kFollows: return "follows";
    case TrackAssociationType::kMetadataReferent: return "metadata-referent";
    case TrackAssociationType::kTimecode: return "timecode";
  }
  return "?";
}

bool AssetWriterInput::can_add_track_association(const std::shared_ptr<AssetWriterInput>& other,
                                                 TrackAssociationType type) const {
  if (!other || other.get() == this) return false;
  for (const auto& [t, existing] : associations_) {
    if (t == type && existing.lock() == other) return false;
  }
  auto core = core_.lock();
  return !core || core->status() == WriterStatus::kUnknown;
}

Status AssetWriterInput::add_track_association(const std::shared_ptr<AssetWriterInput>& other,
                                               TrackAssociationType type) {
  if (!can_add_track_association(other, type)) {
    return Status(ErrorCode::kInvalidArgument,
                  name + ": cannot add a " + to_string(type) +
                      " association (to itself, twice, or after the writer started writing)");
  }
  associations_.emplace_back(type, other);
  return Status::ok();
}

Status AssetWriterInput::change_format(FormatDescription format) {
  auto core = core_.lock();
  if (!core) {
    source_format_ = std::move(format);
    return Status::ok();
  }
  return core->change_format(track_index_, std::move(format));
}

Status AssetWriterInput::mark_as_finished() {
  auto core = core_.lock();
  if (!core) return Status(ErrorCode::kInvalidState, name + ": the input was not added to a writer");
  return core->mark_as_finished(track_index_);
}

Transform rotation_transform(int degrees, uint32_t width, uint32_t height) {
  // tkhd maps (x, y) to (a*x + c*y + tx, b*x + d*y + ty); the translation keeps the picture in the
  // positive quadrant after rotating.
  double w = width, h = height;
  switch (((degrees % 360) + 360) % 360) {
    case 90: return {0, 1, 0, -1, 0, 0, h, 0, 1};
    case 180: return {-1, 0, 0, 0, -1, 0, w, h, 1};
    case 270: return {0, -1, 0, 1, 0, 0, 0, w, 1};
    default: return kIdentityTransform;
  }
}

}  // namespace aw
