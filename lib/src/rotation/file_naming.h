// Where each file of a rotation goes: the location pattern formatted with the file's index, or the
// application's callback.
#pragma once

#include <cstdint>
#include <string>

#include "aw/rotating_writer.h"

namespace aw {

// Checks the settings' pattern (unless only a callback names the files), naming the pattern in the error.
Status check_rotation_location(const RotationSettings& settings);
// The path of file `index` starting at `start`: the callback's, else the pattern's; the callback's error, or
// one for an empty path.
Result<std::string> rotated_file_path(const RotationSettings& settings, uint64_t index, Time start);

}  // namespace aw
