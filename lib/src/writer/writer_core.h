// WriterCore: the state machine and data path behind AssetWriter and AssetWriterInput. One mutex guards
// it, so inputs may append from different threads.
#pragma once

#include <memory>
#include <atomic>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <vector>

#include "aw/asset_writer.h"
#include "io/output_file.h"
#include "boxes/movie_boxes.h"
#include "writer/movie_box.h"
#include "writer/fragment_writer.h"
#include "writer/header_space.h"
#include "writer/interleaver.h"
#include "writer/track_state.h"

namespace aw {

struct WriterSettings {
  Metadata metadata;
  bool optimize_for_network_use = false;
  std::string temporary_directory;  // empty: the output's directory
  int32_t movie_timescale = 0;
  Time interleave_interval = Time(500, 1000);
  std::optional<int64_t> creation_time_unix;
  // Movie fragments (AVAssetWriter's movieFragmentInterval and friends); invalid interval: none.
  Time movie_fragment_interval;
  Time initial_movie_fragment_interval;
  uint32_t initial_movie_fragment_sequence_number = 1;
  Time overall_duration_hint;
  bool produces_combinable_fragments = false;
  bool sync_fragments_to_disk = true;
  // Moov-first: bytes reserved in front of the media for the moov (0: estimated from
  // overall_duration_hint when that is set, else none and the media is copied once at finish).
  uint64_t reserved_moov_size = 0;
  // Plain movies: signed composition offsets (ctts version 1 + cslg) instead of an edit-list shift.
  bool signed_composition_offsets = false;
  // Segment output.
  Time preferred_output_segment_interval = Time(6, 1);
  Time initial_segment_start_time;
  FileTypeProfile output_file_type_profile = FileTypeProfile::kMpeg4AppleHls;
  bool one_track_per_header = false;
  Time maximum_segment_duration;  // invalid: three preferred intervals
  // Plain movies are recorded as fragments of this interval and rewritten as a plain movie at finish,
  // so a killed recording is still a playable (fragmented) file. Invalid: one plain mdat, not crash-safe.
  Time crash_recovery_interval = Time(2, 1);
};

class WriterCore : public std::enable_shared_from_this<WriterCore> {
 public:
  WriterCore(std::string path, FileType type) : path_(std::move(path)), file_type_(type) {}
  // Segment output: no file; segments go to `delegate`.
  WriterCore(FileType type, SegmentDelegate& delegate) : file_type_(type), segment_delegate_(&delegate) {}
  ~WriterCore();

  const std::string& path() const { return path_; }
  FileType file_type() const { return file_type_; }

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
  Status fail(Status error);
  Status resolve_groups_and_references();
  Status validate_and_record(TrackState& track, const Sample& sample, int64_t& dts, int64_t& pts);
  // Records a validated sample in the track's table and queues its payload for the interleaver.
  void record_and_queue(size_t index, Sample& sample, int64_t dts, int64_t pts, int64_t duration_hint);
  // Sparse tracks cover their timeline without holes: an empty sample fills the time before `dts` that no
  // sample covers (since the previous sample's end, or the session start).
  void fill_sparse_gap(size_t index, int64_t dts);
  // The chapter text track, added at finish when chapters were set (plain and moov-first movies); its
  // samples go after the media.
  Status add_chapter_track();
  void create_interleaver();
  Status write_chunk(size_t track, std::span<PendingSample> samples);
  Status finish_tracks_and_write_index();
  Status finish_fragmented();
  bool fragmented() const { return fragments_ != nullptr; }
  // Plain and moov-first movies index every sample; only a movie that stays fragmented does not.
  bool keeps_full_index() const { return !fragments_ || recording_as_fragments_; }
  Status finish_recorded_fragments_as_plain_movie();
  Status start_segment_output();
  // `descriptions`: the one sample description of each track this initialization segment declares.
  Result<std::vector<uint8_t>> segment_header(std::span<const MediaExtent> extents,
                                              std::span<const uint32_t> descriptions);
  Status deliver_segment(std::span<const uint8_t> data, SegmentType type, const SegmentReport& report);
  Status emit_segment(const WrittenFragment& fragment);
  Status finish_segments();
  FragmentWriter::HeaderBuilder header_builder();
  void close_sample_tables();
  MovieContext movie_context() const;
  // ftyp for this file type and the tracks' codecs.
  FileTypeBox file_type_box() const;
  // Bytes to reserve for the moov of a moov-first movie (0: none, write it with one copy at finish).
  uint64_t moov_reservation() const;
  // ftyp + moov + mdat header into `destination`, then the payload from `media` at `media_offset`.
  Status write_moov_first(OutputFile& destination, OutputFile& media, uint64_t media_offset,
                          std::span<const TrackSummary> summaries, const MovieContext& movie);
  // ftyp + initial moov (with mvex) + a free reserve, in front of the first fragment.
  std::vector<uint8_t> fragmented_header(std::span<const MediaExtent> extents);
  // The moov of that header, with every sample description the tracks have now.
  std::vector<uint8_t> fragmented_moov() const;
  // A format change in a fragmented movie or crash-safe recording whose header is out: the moov in front
  // of the fragments is replaced by one listing the new description (format_change.cc).
  Status rewrite_fragmented_header();
  Status after_drain();
  uint64_t creation_time_1904() const;

  mutable std::mutex mutex_;
  std::string path_;
  FileType file_type_;
  WriterSettings settings_;
  std::vector<std::shared_ptr<AssetWriterInput>> inputs_;
  std::vector<std::shared_ptr<AssetWriterInputGroup>> groups_;
  std::vector<Chapter> chapters_;
  std::vector<Chapter> written_chapters_;  // the chapters inside the movie, once the chapter track exists

  WriterStatus status_ = WriterStatus::kUnknown;
  Status error_;
  std::vector<TrackState> tracks_;
  std::unique_ptr<Interleaver> interleaver_;
  Time session_start_;
  Time session_end_;

  // Where payload bytes go: the output itself (plain) or a temporary file (moov-first).
  std::optional<OutputFile> output_;
  std::optional<OutputFile> media_file_;  // moov-first only
  uint64_t mdat_header_offset_ = 0;       // plain only
  uint64_t payload_start_ = 0;            // file position of the first payload byte (plain)
  uint64_t payload_written_ = 0;
  uint64_t moov_reserve_offset_ = 0;  // moov-first into a reservation: where the 'free' box starts
  uint64_t moov_reserved_ = 0;        // and its size (0: no reservation)

  std::unique_ptr<FragmentWriter> fragments_;  // fragmented and crash-safe plain modes
  bool recording_as_fragments_ = false;         // crash-safe plain mode
  SegmentDelegate* segment_delegate_ = nullptr;  // segment output only
  // The thread inside a delegate callback (which holds mutex_): its calls back into the writer are refused
  // instead of deadlocking.
  std::atomic<std::thread::id> delegate_thread_{};
  Status refuse_from_delegate(const char* call) const;
  std::unique_ptr<MemorySink> segment_sink_;
  std::vector<uint32_t> delivered_descriptions_;  // per track, in the last initialization segments
  // Fragmented and crash-safe: the moov in front of the fragments and its reserve, and the extents its
  // edit lists were built from.
  HeaderSpace header_space_;
  std::vector<MediaExtent> header_extents_;
};

}  // namespace aw
