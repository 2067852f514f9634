// WriterCore: the state machine and data path behind AssetWriter and AssetWriterInput, the same for every
// output mode: it checks the configuration, validates and records each appended sample in its track's
// table, interleaves the tracks and hands the chunks to the OutputMode chosen at start_writing()
// (output_mode.h), which lays them out. One mutex guards it, so inputs may append from different threads.
#pragma once

#include <memory>
#include <atomic>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <vector>

#include "aw/asset_writer.h"
#include "writer/callback_guard.h"
#include "writer/interleaver.h"
#include "writer/movie_state.h"
#include "writer/output_mode.h"

namespace aw {

class WriterCore : public std::enable_shared_from_this<WriterCore> {
 public:
  WriterCore(std::string path, FileType type);
  // Segment output: no file; segments go to `delegate`.
  WriterCore(FileType type, SegmentDelegate& delegate);
  ~WriterCore();

  const std::string& path() const { return movie_.path; }
  FileType file_type() const { return movie_.file_type; }

  // Configuration, only while the status is unknown.
  Status configure(const std::function<void(WriterSettings&)>& change);
  WriterSettings settings() const;
  // Metadata is written with the index at finish, so it may change until then.
  Status set_metadata(Metadata metadata);
  // Chapters are written at finish too (a chapter track and, in mp4, a Nero chpl).
  Status set_chapters(std::vector<Chapter> chapters);
  Status check_can_add(const std::shared_ptr<AssetWriterInput>& input) const;
  Status add(std::shared_ptr<AssetWriterInput> input);
  const std::vector<std::shared_ptr<AssetWriterInput>>& inputs() const { return inputs_; }
  Status check_can_add_group(const std::shared_ptr<AssetWriterInputGroup>& group) const;
  Status add_group(std::shared_ptr<AssetWriterInputGroup> group);
  const std::vector<std::shared_ptr<AssetWriterInputGroup>>& input_groups() const { return groups_; }
  bool can_apply(const std::optional<OutputSettings>& settings, MediaType media_type) const;
  // Before start_writing(); null removes it. Not for segment output (its delegate hears everything).
  Status set_observer(WriterObserver* observer);

  Status start_writing();
  Status flush_segment();
  Status start_session(Time source_time);
  Status end_session(Time source_time);
  Status finish_writing();
  Status cancel_writing();
  WriterStatus status() const;
  Status error() const;

  // Called by AssetWriterInput.
  Status append(size_t track, Sample sample);
  Status mark_as_finished(size_t track);
  // A new format for the samples appended from now on: a further sample description of the track
  // (format_change.cc).
  Status change_format(size_t track, FormatDescription format);
  bool is_ready_for_more_media_data(size_t track) const;
  // Runs `change` on an input's track details under the writer's lock, unless the file is finished.
  Status update_input(const std::function<void()>& change);

 private:
  Status refuse_unless(WriterStatus expected, const char* call) const;
  // A call from inside a user callback (segment delegate, observer: they run with mutex_ held) is
  // refused, not deadlocked.
  Status refuse_from_callback(const char* call) const { return callbacks_.refuse_inside_callback(call); }
  // Tells the observer, if any, about the finished file.
  void report_finished();
  Status fail(Status error);
  // The output layout the settings ask for (final once writing starts).
  OutputLayout layout() const { return choose_output_layout(movie_.settings, delegate_.has_value()); }
  Status check_chapters_fit(std::span<const Chapter> chapters) const;
  Status create_tracks();
  Status resolve_groups_and_references();
  Status validate_and_record(TrackState& track, const Sample& sample, int64_t& dts, int64_t& pts);
  static Status check_sample_data(const TrackState& track, const Sample& sample);
  static int64_t pcm_decode_time(const TrackState& track, int64_t dts);
  // Records a validated sample in the track's table and queues its payload for the interleaver.
  void record_and_queue(size_t index, Sample& sample, int64_t dts, int64_t pts, int64_t duration_hint);
  // Sparse tracks cover their timeline without holes: an empty sample fills the time before `dts` that no
  // sample covers (since the previous sample's end, or the session start).
  void fill_sparse_gap(size_t index, int64_t dts);
  void create_interleaver();
  // Hands the interleaver's chunks to the mode (every queued one when `everything`).
  Status drain(bool everything);
  // drain(), then lets the mode write what became ready; an error fails the writer.
  Status write_out(bool everything);

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<AssetWriterInput>> inputs_;
  std::vector<std::shared_ptr<AssetWriterInputGroup>> groups_;
  WriterStatus status_ = WriterStatus::kUnknown;
  Status error_;
  MovieState movie_;
  std::unique_ptr<Interleaver> interleaver_;
  CallbackGuard callbacks_;
  std::optional<DelegateGuard> delegate_;  // segment output only
  std::optional<ObserverGuard> observer_;  // set_observer(); movie_.observer points at it while writing
  std::unique_ptr<OutputMode> mode_;       // from start_writing()
};

}  // namespace aw
