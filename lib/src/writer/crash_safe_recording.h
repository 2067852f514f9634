// CrashSafeRecording: a plain movie recorded so that a kill, a power loss or a full disk never leaves an
// unplayable file. While recording, the file is a fragmented movie (ftyp, moov, moof+mdat every crash
// recovery interval, each synced before it counts): a killed recording plays up to its last fragment, and
// aw-recover makes it a finished movie. At finish the complete index goes after the last fragment, then
// the fragment headers and the first moov become 'free': a plain movie whose mdats are the fragments'
// (chunk offsets are file offsets), with no byte of media moved.
#pragma once

#include <memory>
#include <optional>

#include "io/output_file.h"
#include "writer/fragment_writer.h"
#include "writer/fragmented_header.h"
#include "writer/output_mode.h"

namespace aw {

class CrashSafeRecording : public OutputMode {
 public:
  explicit CrashSafeRecording(MovieState& movie) : movie_(movie), header_(movie, false) {}

  Status start() override;
  Status write_chunk(size_t track, std::span<PendingSample> samples) override;
  Status write_ready() override;
  void track_finished() override { fragments_->note_track_finished(); }
  Status format_added() override;
  Status finish() override;
  void cancel() override;

 private:
  FragmentWriter::HeaderBuilder header_builder();
  // The chapter titles, in an mdat of their own after the last fragment; returns their file offset.
  Result<uint64_t> append_chapter_samples(std::span<const uint8_t> samples);

  MovieState& movie_;
  FragmentedHeader header_;
  std::optional<OutputFile> output_;
  std::unique_ptr<FragmentWriter> fragments_;
};

}  // namespace aw
