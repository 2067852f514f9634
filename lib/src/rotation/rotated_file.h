// One file of a rotation while it is written: its AssetWriter (a copy of the prototype's configuration), what
// it holds per track, its estimated size, and which tracks are past its end.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "aw/asset_writer.h"
#include "aw/rotating_writer.h"

namespace aw {

class RotatedFileWriter {
 public:
  // Creates the file, starts writing and starts its session at `start`.
  static Result<std::unique_ptr<RotatedFileWriter>> open(const AssetWriter& prototype, std::string path, uint64_t index,
                                                         Time start);

  Status append(size_t track, Sample sample);
  // No more samples of `track` go to this file.
  Status end_track(size_t track);
  bool track_ended(size_t track) const { return ended_[track]; }
  bool has_samples(size_t track) const { return file_.sample_counts[track] > 0; }

  // Where the next file starts; the file keeps taking the samples presented before it.
  void set_end(Time end) { file_.end = end; }
  // Ends the session at `end` when it is valid, finishes the file and records its size; the file's end is then
  // `end`, or where the finished movie ends.
  Status close();
  Status cancel();

  const RotatedFile& info() const { return file_; }
  Time start() const { return file_.start; }
  Time end() const { return file_.end; }
  // The finished size, estimated: the media plus an index of a few bytes per sample.
  uint64_t estimated_size() const;

 private:
  RotatedFileWriter(std::unique_ptr<AssetWriter> writer, RotatedFile file);

  // Hears the finished movie's size and duration; declared before the writer it observes.
  struct FinishListener : WriterObserver {
    void did_finish_writing(const FinishReport& report) override { finished = report; }
    FinishReport finished;
  };
  FinishListener listener_;
  std::unique_ptr<AssetWriter> writer_;
  RotatedFile file_;
  std::vector<bool> ended_;
  uint64_t payload_bytes_ = 0;
  uint64_t samples_ = 0;
};

}  // namespace aw
