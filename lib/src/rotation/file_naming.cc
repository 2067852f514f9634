#include "rotation/file_naming.h"

#include "manifest/segment_naming.h"

namespace aw {

Status check_rotation_location(const RotationSettings& settings) {
  if (settings.location_for && settings.location_pattern.empty()) return Status::ok();
  return check_segment_pattern(settings.location_pattern, "file location");
}

Result<std::string> rotated_file_path(const RotationSettings& settings, uint64_t index, Time start) {
  std::string path;
  if (settings.location_for) {
    AW_ASSIGN_OR_RETURN(path, settings.location_for(index, start));
  }
  if (path.empty() && !settings.location_pattern.empty()) return format_segment_name(settings.location_pattern, index);
  if (path.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "the location callback gave an empty path for file " + std::to_string(index));
  }
  return path;
}

}  // namespace aw
