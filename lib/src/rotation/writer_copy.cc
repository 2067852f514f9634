#include "rotation/writer_copy.h"

#include <map>
#include <utility>

#include "writer/writer_core.h"

namespace aw {
namespace {

std::shared_ptr<AssetWriterInput> copy_input(const AssetWriterInput& input) {
  auto copy = AssetWriterInput::create(input.media_type(), input.source_format(), input.output_settings());
  copy->media_time_scale = input.media_time_scale;
  copy->language_code = input.language_code;
  copy->natural_size = input.natural_size;
  copy->transform = input.transform;
  copy->expects_media_data_in_real_time = input.expects_media_data_in_real_time;
  copy->metadata = input.metadata;
  copy->marks_output_track_as_enabled = input.marks_output_track_as_enabled;
  copy->preferred_volume = input.preferred_volume;
  copy->extended_language_tag = input.extended_language_tag;
  copy->name = input.name;
  return copy;
}

}  // namespace

bool WriterConfigurationCopy::writes_segments(const AssetWriter& prototype) { return prototype.output_path().empty(); }

Result<std::unique_ptr<AssetWriter>> WriterConfigurationCopy::make(const AssetWriter& prototype, std::string path) {
  AW_ASSIGN_OR_RETURN(auto writer, AssetWriter::create(std::move(path), prototype.output_file_type()));
  const WriterSettings settings = prototype.core_->settings();
  AW_RETURN_IF_ERROR(writer->core_->configure([&](WriterSettings& s) { s = settings; }));
  std::map<const AssetWriterInput*, std::shared_ptr<AssetWriterInput>> copies;
  for (const auto& input : prototype.inputs()) {
    auto copy = copy_input(*input);
    AW_RETURN_IF_ERROR(writer->add(copy));
    copies[input.get()] = std::move(copy);
  }
  for (const auto& input : prototype.inputs()) {
    for (const auto& [type, weak_other] : input->associations_) {
      auto other = weak_other.lock();
      if (!other || !copies.contains(other.get())) continue;  // checked by start_writing() in the prototype's terms
      AW_RETURN_IF_ERROR(copies[input.get()]->add_track_association(copies[other.get()], type));
    }
  }
  for (const auto& group : prototype.input_groups()) {
    std::vector<std::shared_ptr<AssetWriterInput>> members;
    for (const auto& input : group->inputs()) members.push_back(copies[input.get()]);
    auto default_input = group->default_input() ? copies[group->default_input().get()] : nullptr;
    AW_RETURN_IF_ERROR(writer->add(AssetWriterInputGroup::create(std::move(members), std::move(default_input))));
  }
  return writer;
}

}  // namespace aw
