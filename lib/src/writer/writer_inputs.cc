// WriterCore's configuration before writing: inputs, input groups and track associations, metadata and
// chapters, checked against the file type and the output layout.
#include <algorithm>
#include <mutex>

#include "boxes/track_reference_boxes.h"
#include "writer/writer_core.h"

namespace aw {

Status WriterCore::configure(const std::function<void(WriterSettings&)>& change) {
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "changing the configuration"));
  change(movie_.settings);
  return Status::ok();
}

WriterSettings WriterCore::settings() const {
  std::lock_guard lock(mutex_);
  return movie_.settings;
}

Status WriterCore::set_metadata(Metadata metadata) {
  std::lock_guard lock(mutex_);
  if (status_ != WriterStatus::kWriting) {
    AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "set_metadata"));
  }
  movie_.settings.metadata = std::move(metadata);
  return Status::ok();
}

bool WriterCore::can_apply(const std::optional<OutputSettings>& settings, MediaType media_type) const {
  if (movie_.file_type == FileType::kAppleM4A && media_type == MediaType::kVideo) return false;
  if (!settings) return true;  // passthrough
  if (!check_codec_allowed(movie_.file_type, settings->codec)) return false;
  return check_output_settings(*settings, media_type, movie_.file_type).is_ok();
}

Status WriterCore::check_can_add(const std::shared_ptr<AssetWriterInput>& input) const {
  if (!input) return Status(ErrorCode::kInvalidArgument, "no input");
  std::lock_guard lock(mutex_);
  AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "adding an input"));
  for (const auto& existing : inputs_) {
    if (existing == input) return Status(ErrorCode::kInvalidArgument, "the input was already added");
  }
  if (!input->core_.expired()) return Status(ErrorCode::kInvalidArgument, "the input belongs to another writer");
  if (movie_.file_type == FileType::kAppleM4A && input->media_type() != MediaType::kAudio) {
    return Status(ErrorCode::kUnsupported,
                  std::string("an .m4a file holds audio only, not ") + to_string(input->media_type()));
  }
  if (is_sparse(input->media_type()) && !layout_holds_sparse_tracks(layout())) {
    return Status(ErrorCode::kUnsupported, std::string("segment output holds audio and video only, not ") +
                                               to_string(input->media_type()));
  }
  if (media_type_of(input->source_format().codec) != input->media_type()) {
    return Status(ErrorCode::kInvalidArgument, std::string("a ") + to_string(input->source_format().codec) +
                                                   " format on a " + to_string(input->media_type()) + " input");
  }
  AW_RETURN_IF_ERROR(check_codec_allowed(movie_.file_type, input->source_format()));
  if (input->output_settings() && !can_apply(input->output_settings(), input->media_type())) {
    return Status(ErrorCode::kUnsupported, "the output settings do not fit this file type");
  }
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
  std::vector<TrackState>& tracks = movie_.tracks;
  for (size_t i = 0; i < tracks.size(); ++i) tracks[i].enabled = inputs_[i]->marks_output_track_as_enabled;
  for (size_t g = 0; g < groups_.size(); ++g) {
    for (const auto& input : groups_[g]->inputs()) {
      TrackState& track = tracks[*index_of(input.get())];
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
      tracks[i].references.emplace_back(track_reference_type(type), static_cast<uint32_t>(*j + 1));
    }
  }
  return Status::ok();
}

Status WriterCore::check_chapters_fit(std::span<const Chapter> chapters) const {
  if (chapters.empty() || layout_holds_chapters(layout())) return Status::ok();
  return Status(ErrorCode::kUnsupported, "chapters need a movie that is not fragmented");
}

Status WriterCore::set_chapters(std::vector<Chapter> chapters) {
  std::lock_guard lock(mutex_);
  if (status_ != WriterStatus::kWriting) {
    AW_RETURN_IF_ERROR(refuse_unless(WriterStatus::kUnknown, "set_chapters"));
  }
  AW_RETURN_IF_ERROR(check_chapters_fit(chapters));
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
  movie_.chapters = std::move(chapters);
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

}  // namespace aw
