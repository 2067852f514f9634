// AssetWriter mirrors AVAssetWriter: writes media from concurrent inputs into one movie file.
//
//   auto writer = aw::AssetWriter::create("out.mp4", aw::FileType::kMpeg4);
//   auto video = aw::AssetWriterInput::create(aw::MediaType::kVideo, {aw::Codec::kH264, avcc});
//   writer->add(video);
//   writer->start_writing();
//   writer->start_session(aw::Time::zero());
//   video->append(sample); ...
//   writer->finish_writing();
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aw/asset_writer_input.h"
#include "aw/asset_writer_input_group.h"
#include "aw/media_types.h"
#include "aw/metadata.h"
#include "aw/output_settings.h"
#include "aw/segments.h"
#include "aw/status.h"
#include "aw/text_and_metadata.h"
#include "aw/time.h"
#include "aw/writer_observer.h"

namespace aw {

enum class WriterStatus { kUnknown, kWriting, kCompleted, kFailed, kCancelled };
const char* to_string(WriterStatus status);

class WriterCore;

class AssetWriter {
 public:
  // Fails for an empty path, a directory, or a missing parent directory. The file is created by
  // start_writing(), not here.
  static Result<std::unique_ptr<AssetWriter>> create(std::string output_path, FileType file_type);
  // A writer with no output file that emits fMP4 segments to `delegate` (which must outlive the writer).
  // Only the MPEG-4 file types (kMpeg4, kAppleM4V, kAppleM4A) are segmentable.
  static Result<std::unique_ptr<AssetWriter>> create_for_segments(FileType file_type, SegmentDelegate& delegate);
  ~AssetWriter();
  AssetWriter(const AssetWriter&) = delete;
  AssetWriter& operator=(const AssetWriter&) = delete;

  const std::string& output_path() const;
  FileType output_file_type() const;

  // Configuration (before start_writing()). Setters fail in any other status.
  std::vector<MediaType> available_media_types() const;
  bool can_apply(const std::optional<OutputSettings>& settings, MediaType media_type) const;
  bool can_add(const std::shared_ptr<AssetWriterInput>& input) const;
  // Why can_add() is false, as an error value (ok when it would be true).
  Status check_can_add(const std::shared_ptr<AssetWriterInput>& input) const;
  Status add(std::shared_ptr<AssetWriterInput> input);
  const std::vector<std::shared_ptr<AssetWriterInput>>& inputs() const;

  // Input groups (before start_writing): every input must already be added, of one media type, and in no
  // other group; the default must be one of them (or null).
  bool can_add(const std::shared_ptr<AssetWriterInputGroup>& group) const;
  Status check_can_add(const std::shared_ptr<AssetWriterInputGroup>& group) const;
  Status add(std::shared_ptr<AssetWriterInputGroup> group);
  const std::vector<std::shared_ptr<AssetWriterInputGroup>>& input_groups() const;

  // File metadata; unlike the other settings it may change while writing (it is written at finish).
  Status set_metadata(Metadata metadata);
  const Metadata& metadata() const;
  // The movie's chapters, in order of their start (times from the movie's start). Written at finish as a
  // chapter text track that every audio and video track references ('chap'), disabled as Apple's writer
  // does, and in mp4/m4v/m4a also as a Nero chapter list (udta/chpl) that ffmpeg and mediainfo read. May
  // change while writing; refused for fragmented movies and segments.
  Status set_chapters(std::vector<Chapter> chapters);
  Status set_should_optimize_for_network_use(bool value);
  bool should_optimize_for_network_use() const;
  // Moov-first without a second pass: this many bytes are reserved in front of the media and the moov is
  // written into them at finish (the rest becomes a 'free' box). Without it, a set overall_duration_hint
  // reserves an estimate (60 fps video, the audio's frame rate). When the moov does not fit, or with
  // neither, the media is copied once behind the moov at finish (never more, never through memory).
  Status set_reserved_moov_size(uint64_t bytes);
  Status set_directory_for_temporary_files(std::string directory);
  const std::string& directory_for_temporary_files() const;
  Status set_movie_time_scale(int32_t timescale);  // 0: the writer picks (1000, or 600 for mov)
  int32_t movie_time_scale() const;
  // Duration of the interleaving chunks (AVAssetWriter's automatic interleaving); default 0.5 s.
  Status set_interleave_interval(Time interval);
  Time interleave_interval() const;
  // Seconds since the Unix epoch written as creation/modification time; default: now. Set it for
  // reproducible output.
  Status set_creation_time(int64_t unix_seconds);

  // How B-frame reordering is stored in plain and network-optimised movies. Default false: non-negative
  // composition offsets (ctts version 0) and an edit list that skips the reordering delay, which every
  // reader plays. True: signed offsets (ctts version 1 and a cslg; QuickTime files keep version 0, read
  // as signed) chosen so the first presented frame is at media time 0 and no edit list is needed for the
  // delay (FFmpeg's negative_cts_offsets). Fragmented output always uses the first form.
  Status set_uses_signed_composition_offsets(bool value);
  bool uses_signed_composition_offsets() const;

  // Movie fragments (AVAssetWriter's fragment settings). With an interval the file is an initial moov
  // followed by moof+mdat fragments, each complete and playable as soon as it is written; at finish an
  // mfra is appended and the moov's durations are rewritten in place. Time::invalid(): not fragmented.
  Status set_movie_fragment_interval(Time interval);
  Time movie_fragment_interval() const;
  // The first fragment's interval; invalid: the same as movie_fragment_interval.
  Status set_initial_movie_fragment_interval(Time interval);
  Status set_initial_movie_fragment_sequence_number(uint32_t number);
  // A hint of the final duration, written as mehd (and mvhd) in the initial moov.
  Status set_overall_duration_hint(Time duration);
  // Fragments whose decode times stay on the source timeline (tfdt = decode time), with no mfra and no
  // rewritten moov, so the outputs of several writers (consecutive sequence numbers) concatenate after one
  // header into one movie. See docs/fragments.md.
  Status set_produces_combinable_fragments(bool value);
  // fdatasync each fragment before marking it complete (default true): survives power loss as well as a
  // killed process, at the cost of one sync per fragment.
  Status set_sync_fragments_to_disk(bool value);

  // Crash safety of plain movies (not fragmented, not optimised for network use): the movie is recorded
  // as fragments of this interval, so a killed recording stays playable up to its last fragment, and is
  // turned into a plain movie at finish (one moov at the end; fragment headers become 'free' boxes).
  // Default 2 s. Time::invalid(): a single mdat, as other muxers write, unplayable if interrupted.
  Status set_crash_recovery_interval(Time interval);

  // Segment output (create_for_segments only). A segment ends at the first sync sample at or after each
  // interval; Time::positive_infinity(): only flush_segment() ends one. Default 6 s.
  Status set_preferred_output_segment_interval(Time interval);
  // Parts (LL-HLS Partial Segments, CMAF chunks): each segment is cut further into moof+mdat parts of at
  // most this duration (on any sample; a part outlasts it only when a single sample does), each handed to
  // the delegate's did_output_part_data as soon as it is complete. Segment boundaries stay where the
  // segment interval puts them, and each is also a part boundary. Time::invalid() (the default): no parts.
  Status set_preferred_output_part_interval(Time interval);
  Time preferred_output_part_interval() const;
  // The start of the first segment's timeline (tfdt origin); invalid: the session start.
  Status set_initial_segment_start_time(Time time);
  Status set_output_file_type_profile(FileTypeProfile profile);
  // One track per header (CMAF tracks, HLS renditions): each input gets its own initialization segment
  // and its own segments (one traf each, cut at the same times as the others), and each report names the
  // one track. Default false: every track in the one header and in every segment (a muxed stream).
  Status set_one_track_per_header(bool value);
  // How long a segment may grow while the first video track brings no sync sample. Past it the segment
  // is cut at the last sample that keeps it within this duration, and the next segment starts on a
  // sync-less sample (its report says first_sample_is_sync = false): decodable in sequence, not on its
  // own. Invalid (the default): three preferred intervals; with an infinite interval, no limit.
  Status set_maximum_segment_duration(Time duration);
  // Ends the current segment at the next sync sample of the first video track (at once for audio only),
  // as AVAssetWriter.flushSegment() does; the segment is delivered when that sample is appended.
  Status flush_segment();

  // Progress and durability (file writers only, before start_writing): `observer` (which must outlive the
  // writer; null: none) hears of each fragment once it is in the file, and of the finished file.
  Status set_observer(WriterObserver* observer);

  // Lifecycle.
  Status start_writing();
  Status start_session(Time source_time);
  Status end_session(Time source_time);
  Status finish_writing();
  Status cancel_writing();

  WriterStatus status() const;
  // The first error that failed the writer (ok otherwise).
  Status error() const;

 private:
  explicit AssetWriter(std::shared_ptr<WriterCore> core);
  std::shared_ptr<WriterCore> core_;
  // The core keeps settings under its lock; references handed out point at these copies.
  mutable Metadata metadata_cache_;
  mutable std::string temporary_directory_cache_;
};

}  // namespace aw
