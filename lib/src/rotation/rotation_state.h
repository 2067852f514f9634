// RotatingWriter's state: the prototype, the open files (two at most: while the tracks other than the one that
// decides the cut still bring samples presented before it, the previous file stays open), the samples held
// until the cut they fall on either side of is known, and the finished files kept for max_files.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "aw/rotating_writer.h"
#include "rotation/cut_policy.h"
#include "rotation/file_retention.h"
#include "rotation/rotated_file.h"

namespace aw {

struct HeldSample {
  size_t track = 0;
  Sample sample;
};

struct RotationState {
  RotationState(RotationSettings s, std::unique_ptr<AssetWriter> p)
      : settings(std::move(s)),
        prototype(std::move(p)),
        cuts(settings.max_file_duration, settings.max_file_size),
        retention(settings.max_files),
        next_index(settings.first_index) {}

  mutable std::mutex mutex;
  RotationSettings settings;
  std::unique_ptr<AssetWriter> prototype;
  RotationDelegate* delegate = nullptr;
  WriterStatus status = WriterStatus::kUnknown;
  Status error;
  CutPolicy cuts;
  FileRetention retention;
  uint64_t next_index;

  // The track whose sync samples decide the cuts (the first video input, else the first input), cut in decode
  // order; every other track follows by presentation time.
  size_t lead = 0;
  std::vector<bool> finished;  // per input: mark_as_finished() was called
  std::vector<Time> last_dts;  // per input: refuses decode times going back before they are held
  Time lead_dts;               // the lead's latest decode time: no later cut can be presented before it
  Time session_start;
  Time session_end;
  std::deque<std::unique_ptr<RotatedFileWriter>> open;  // oldest first; back() takes the lead's samples
  std::deque<HeldSample> held;
};

}  // namespace aw
