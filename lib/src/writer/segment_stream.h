// SegmentStream: no file — initialization segments (ftyp + moov) and media segments ([styp] moof + mdat)
// handed to a SegmentDelegate with their reports (AVAssetWriter's segment output, for HLS / CMAF
// packagers). A segment starts on a sync sample of the first video track at each preferred interval, or
// where flush_segment() asks; a format change starts a new initialization segment.
#pragma once

#include <memory>
#include <vector>

#include "io/byte_sink.h"
#include "writer/fragment_writer.h"
#include "writer/output_mode.h"

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

 private:
  FragmentWriter::HeaderBuilder header_builder();
  // Delivers the initialization segments for `descriptions` (per track, the one sample description each
  // header names): one for all tracks, or with one track per header one per track that changed.
  Result<std::vector<uint8_t>> deliver_headers(std::span<const uint32_t> descriptions);
  Status deliver_header(std::optional<size_t> only_track, std::span<const uint32_t> descriptions);
  Status deliver_media_segment(const WrittenFragment& fragment);

  MovieState& movie_;
  SegmentDelegate& delegate_;
  MemorySink sink_;
  std::unique_ptr<FragmentWriter> fragments_;
  std::vector<uint32_t> delivered_descriptions_;  // per track, in the last initialization segments
};

}  // namespace aw
