// The element's properties as one value: written by set_property under the object lock, copied whole at
// start() so a running writer never sees a half-changed configuration.
#pragma once

#include <gst/gst.h>

#include <memory>
#include <optional>
#include <string>

#include "aw/media_types.h"
#include "sink/segment_settings.h"

namespace gstaw {

// The file-type property; kAuto picks from the location's extension.
enum class FileTypeChoice : int { kAuto, kMov, kMp4, kM4v, kM4a, k3gp };
GType file_type_choice_get_type();

constexpr GstClockTime kDefaultInterleaveInterval = 500 * GST_MSECOND;
// crash-recovery-interval: GST_CLOCK_TIME_NONE (the default) means "automatic": this interval when
// something upstream is live (a recording, whose media exists nowhere else), off when not (a remux or
// transcode can run again from its input).
constexpr GstClockTime kLiveCrashRecoveryInterval = 2 * GST_SECOND;

// sync-fragments. The values 0 and 1 are FALSE and TRUE, so code that sets the property as a gboolean and
// gst-launch's "sync-fragments=false" keep working. Automatic: on when something upstream is live (what was
// recorded exists nowhere else), off for a remux, whose input is still there.
enum class SyncFragments : gint { kOff = 0, kOn = 1, kAuto = 2 };
GType sync_fragments_get_type();

struct Settings {
  std::string location;
  FileTypeChoice file_type = FileTypeChoice::kAuto;
  bool optimize_for_network_use = false;
  guint movie_timescale = 0;
  GstClockTime interleave_interval = kDefaultInterleaveInterval;
  // Movie fragments; 0 means none (GstClockTime durations, AVAssetWriter's fragment settings).
  GstClockTime fragment_interval = 0;
  GstClockTime initial_fragment_interval = 0;
  guint initial_fragment_sequence_number = 1;
  GstClockTime overall_duration_hint = 0;
  bool combinable_fragments = false;
  GstClockTime crash_recovery_interval = GST_CLOCK_TIME_NONE;
  SyncFragments sync_fragments = SyncFragments::kAuto;
  bool signed_composition_offsets = false;
  guint reserved_moov_size = 0;  // moov-first: bytes reserved for the index (0: from the duration hint, or none)  // plain movies: ctts version 1 + cslg instead of an edit list
  SegmentSettings segments;  // segment mode (sink_segments.cc)
  // File rotation (sink_rotation.cc): a new file at the next keyframe past either limit; 0: no limit.
  GstClockTime max_file_duration = 0;
  guint64 max_file_size = 0;
  // AVAssetWriter's startSession(atSourceTime:) / endSession(atSourceTime:) in running time. NONE: the
  // session starts at the earliest first buffer (never before running time 0) and ends at EOS.
  GstClockTime session_start_time = GST_CLOCK_TIME_NONE;
  GstClockTime session_end_time = GST_CLOCK_TIME_NONE;
  // The metadata property (file metadata that wins over tags); null when unset. Shared, never modified.
  std::shared_ptr<const GstStructure> metadata;
};

// Wraps a copy of `structure` (may be null) for Settings::metadata.
std::shared_ptr<const GstStructure> share_structure(const GstStructure* structure);

// The library's file type for `settings`: the explicit choice, else the extension's, else MP4 (what
// mp4mux users expect from a file named without a movie extension).
aw::FileType resolve_file_type(const Settings& settings);

}  // namespace gstaw
