// FragmentedMovie: ftyp, a moov with mvex, then moof+mdat fragments of the movie fragment interval, each
// complete and playable once written (AVAssetWriter's movieFragmentInterval). At finish an mfra indexes
// the sync samples and the moov is rewritten in place with the real durations — unless the fragments are
// combinable, whose file ends with its last fragment (docs/fragments.md).
#pragma once

#include <memory>
#include <optional>

#include "io/output_file.h"
#include "writer/fragment_writer.h"
#include "writer/fragmented_header.h"
#include "writer/output_mode.h"

namespace aw {

class FragmentedMovie : public OutputMode {
 public:
  explicit FragmentedMovie(MovieState& movie) : movie_(movie), header_(movie, true) {}

  Status start() override;
  Status write_chunk(size_t track, std::span<PendingSample> samples) override;
  Status write_ready() override;
  void track_finished() override { fragments_->note_track_finished(); }
  Status format_added() override;
  Status finish() override;
  void cancel() override;
  // Each fragment indexes itself (trun); the moov indexes no sample.
  bool keeps_full_index() const override { return false; }

 private:
  FragmentWriter::HeaderBuilder header_builder();
  // The moov rewritten at finish: every track's extent and duration over all fragments.
  std::vector<uint8_t> final_moov() const;

  MovieState& movie_;
  FragmentedHeader header_;
  std::optional<OutputFile> output_;
  std::unique_ptr<FragmentWriter> fragments_;
};

}  // namespace aw
