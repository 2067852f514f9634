// The element's properties as one value: written by set_property under the object lock, copied whole at
// start() so a running writer never sees a half-changed configuration.
#pragma once

#include <gst/gst.h>

#include <optional>
#include <string>

#include "aw/media_types.h"

namespace gstaw {

// The file-type property; kAuto picks from the location's extension.
enum class FileTypeChoice : int { kAuto, kMov, kMp4, kM4v, kM4a, k3gp };
GType file_type_choice_get_type();

constexpr GstClockTime kDefaultInterleaveInterval = 500 * GST_MSECOND;

struct Settings {
  std::string location;
  FileTypeChoice file_type = FileTypeChoice::kAuto;
  bool optimize_for_network_use = false;
  guint movie_timescale = 0;
  GstClockTime interleave_interval = kDefaultInterleaveInterval;
};

// The library's file type for `settings`: the explicit choice, else the extension's, else MP4 (what
// mp4mux users expect from a file named without a movie extension).
aw::FileType resolve_file_type(const Settings& settings);

}  // namespace gstaw
