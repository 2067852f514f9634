// RotatingWriter: records one stream into a sequence of complete, independently playable movies
// (video00000.mp4, video00001.mp4, ...), as GStreamer's splitmuxsink does, each written by an ordinary
// AssetWriter configured like `file_settings()`.
//
//   aw::RotationSettings rotation;
//   rotation.location_pattern = "/rec/video%05d.mp4";
//   rotation.max_file_duration = aw::Time(60, 1);
//   auto writer = aw::RotatingWriter::create(rotation, aw::FileType::kMpeg4).value();
//   auto video = aw::AssetWriterInput::create(aw::MediaType::kVideo, {aw::Codec::kH264, avcc});
//   writer->file_settings().add(video);  // every AssetWriter setting applies to each file
//   writer->start_writing();
//   writer->start_session(first_pts);
//   writer->append(*video, sample); ...
//   writer->finish_writing();
//
// Cuts: once a limit is reached (or after split_now() / at split_at()), the next file starts at the next sync
// sample of the first video track (without video: the first input's next sample). The first video track is
// cut in decode order; every other track by presentation time: its samples presented at or after the cut go
// to the next file, so no sample is in two files and none is lost. Each file's session starts at its cut
// (edit lists keep the tracks in sync within it), and ends at the next file's start.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aw/asset_writer.h"
#include "aw/sample.h"
#include "aw/status.h"
#include "aw/time.h"

namespace aw {

// One file of the sequence.
struct RotatedFile {
  std::string path;
  uint64_t index = 0;
  // Its time range on the source timeline (the times samples were appended with): from its session start (the
  // session start, or the cut) to the next file's start; the last file ends where its movie ends. `end` is
  // invalid while the file is open.
  Time start;
  Time end;
  // Samples per input, in the order of file_settings().inputs().
  std::vector<uint64_t> sample_counts;
  uint64_t bytes = 0;  // the finished file's size; 0 while open
};

class RotationDelegate {
 public:
  virtual ~RotationDelegate() = default;
  // Called with the rotating writer's lock held, from the call that caused them (append(), mark_as_finished(),
  // finish_writing()): they may call split_now() and split_at(), nothing else of the rotating writer.
  virtual void did_open_file(const RotatedFile& file) { (void)file; }
  // The file is finished and closed (counts, end and bytes are final).
  virtual void did_close_file(const RotatedFile& file) { (void)file; }
  // A finished file was deleted to keep max_files.
  virtual void did_delete_file(const RotatedFile& file) { (void)file; }
};

struct RotationSettings {
  // Where each file goes: printf style with one integer conversion (%d, %u, %i, optionally 0-padded with a
  // width; %% for a percent sign), formatted with the file's index: "video%05d.mp4".
  std::string location_pattern;
  // Instead of the pattern (when set): the path of the file numbered `index` whose first sample is presented at
  // `start` on the source timeline; an empty path: the pattern's (which may then be empty only if the callback
  // always names the file). An error value fails the writer like a file that cannot be created.
  std::function<Result<std::string>(uint64_t index, Time start)> location_for;
  uint64_t first_index = 0;  // splitmuxsink numbers from 0 too
  // Limits; the file is cut at the next sync sample once one is reached. Invalid / 0: none.
  Time max_file_duration;
  // Bytes of the finished file, estimated from the media appended and an index estimate; a file exceeds it by
  // what arrives before the next sync sample (up to one GOP).
  uint64_t max_file_size = 0;
  // Files kept on disk, the one being written included: once a new file opens, the oldest finished ones beyond
  // this many are deleted. 0: every file is kept.
  uint32_t max_files = 0;
};

struct RotationState;

class RotatingWriter {
 public:
  // `file_settings` is a configured AssetWriter that is never started: its file type, settings, metadata,
  // inputs and groups are what every file gets (its output path is not used). The inputs' track associations
  // are copied as well; chapters and an observer are not.
  static Result<std::unique_ptr<RotatingWriter>> create(RotationSettings settings,
                                                        std::unique_ptr<AssetWriter> file_settings);
  // Whether `pattern` is a location pattern create() accepts (one integer conversion), naming it in the error.
  static Status check_location_pattern(const std::string& pattern);
  // The same with a fresh AssetWriter of `file_type` to configure through file_settings().
  static Result<std::unique_ptr<RotatingWriter>> create(RotationSettings settings, FileType file_type);
  ~RotatingWriter();
  RotatingWriter(const RotatingWriter&) = delete;
  RotatingWriter& operator=(const RotatingWriter&) = delete;

  // Configure before start_writing(): every file is written with these settings and copies of these inputs.
  // Metadata set on it while writing applies to the files opened afterwards.
  AssetWriter& file_settings();
  // Before start_writing(); `delegate` must outlive the writer (null: none).
  Status set_delegate(RotationDelegate* delegate);

  // Checks the configuration (the pattern, at least one input). No file exists before the first sample.
  Status start_writing();
  // The first file's session start (required before the first append, as with AssetWriter).
  Status start_session(Time source_time);
  // The last file's session end, applied at finish_writing().
  Status end_session(Time source_time);

  // `input` is one of file_settings().inputs(). A refused sample is an error value and leaves the writer
  // writing; a file that cannot be created or written fails it, after finishing the files it has open with
  // every sample they were given.
  Status append(const AssetWriterInput& input, Sample sample);
  Status mark_as_finished(const AssetWriterInput& input);

  // Ends the current file at the next sync sample (thread-safe; callable from the delegate).
  Status split_now();
  // Ends the current file at the first sync sample presented at or after `source_time`.
  Status split_at(Time source_time);
  // The next time a limit or a split_at() asks for a cut (for asking an encoder for a keyframe there);
  // invalid when none is planned.
  Time next_planned_cut() const;

  // Finishes every open file.
  Status finish_writing();
  // Cancels the open files (AssetWriter::cancel_writing()); the finished ones stay.
  Status cancel_writing();

  WriterStatus status() const;
  Status error() const;

 private:
  explicit RotatingWriter(std::unique_ptr<RotationState> state);
  std::unique_ptr<RotationState> state_;
};

}  // namespace aw
