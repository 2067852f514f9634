// Replacing a whole file so that a reader sees the old content or the new, never half of either: what a
// web server serving segments and playlists, or an uploader watching them, needs.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "aw/status.h"

namespace aw {

// Writes `data` to `path.tmp` (through OutputFile), fdatasyncs it when `sync`, renames it over `path`, and
// then fsyncs the directory (a rename survives power loss only once its directory is synced). On failure
// the temporary file is removed and `path` is left as it was; the error names the file that failed.
Status write_file_atomically(const std::string& path, std::span<const uint8_t> data, bool sync);

}  // namespace aw
