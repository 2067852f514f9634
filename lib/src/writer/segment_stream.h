// SegmentStream: no file — initialization segments (ftyp + moov) and media segments ([styp] moof + mdat)
// handed to a SegmentDelegate with their reports (AVAssetWriter's segment output, for HLS / CMAF
// packagers). A segment starts on a sync sample of the first video track at each preferred interval, or
// where flush_segment() asks; a format change starts a new initialization segment. With a part interval
// each segment is a run of parts (one fragment each), handed out one by one as they are written and then
// together as the segment.
#pragma once

#include <memory>
#include <vector>

#include "boxes/brands.h"
#include "io/byte_sink.h"
#include "writer/fragment_writer.h"
#include "writer/output_mode.h"
#include "writer/segment_assembly.h"

namespace aw {

class SegmentStream : public OutputMode {
 public:
  SegmentStream(MovieState& movie, SegmentDelegate& delegate) : movie_(movie), delegate_(delegate) {}

  Status start() override;
  Status write_chunk(size_t track, std::span<PendingSample> samples) override;
  Status write_ready() override;
  void track_finished() override { fragments_->note_track_finished(); }
  Result<bool> cut_segment() override;
  Status finish() override;
  void cancel() override {}
  bool keeps_full_index() const override { return false; }
  Time interleave_interval(const Time& configured) const override;

 private:
  FragmentWriter::HeaderBuilder header_builder();
  // Delivers the initialization segments for `descriptions` (per track, the one sample description each
  // header names): one for all tracks, or with one track per header one per track that changed.
  Result<std::vector<uint8_t>> deliver_headers(std::span<const uint32_t> descriptions);
  Status deliver_header(std::optional<size_t> only_track, std::span<const uint32_t> descriptions);
  // A fragment the FragmentWriter wrote: the next part of its track's segment (the whole segment without
  // parts).
  Status add_part(const WrittenFragment& fragment);
  // The segments in progress are complete: each goes to the delegate.
  Status deliver_segments();
  bool has_parts() const { return movie_.settings.preferred_output_part_interval.is_numeric(); }

  MovieState& movie_;
  SegmentDelegate& delegate_;
  SegmentBrands brands_;  // decided at start, by the profile and how many tracks a header holds
  MemorySink sink_;
  std::unique_ptr<FragmentWriter> fragments_;
  std::vector<uint32_t> delivered_descriptions_;  // per track, in the last initialization segments
  // The segments being assembled: one, or with one track per header one per track (by track index).
  std::vector<SegmentAssembly> segments_;
};

}  // namespace aw
