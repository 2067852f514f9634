// FragmentFile: what a fragmented movie and a crash-safe recording share — a file that holds a header
// (FragmentedHeader: ftyp, moov, reserve) and then moof+mdat fragments written by a FragmentWriter as
// chunks arrive. The two differ in their fragments' settings and in how they finish.
#pragma once

#include <memory>
#include <optional>

#include "io/output_file.h"
#include "writer/fragment_writer.h"
#include "writer/fragmented_header.h"
#include "writer/output_mode.h"

namespace aw {

class FragmentFile : public OutputMode {
 public:
  Status write_chunk(size_t track, std::span<PendingSample> samples) override;
  Status write_ready() override;
  void track_finished() override { fragments_->note_track_finished(); }
  // The moov out in front of the fragments is replaced by one that lists the new description.
  Status format_added() override;
  void cancel() override;

 protected:
  FragmentFile(MovieState& movie, bool stays_fragmented) : movie_(movie), header_(movie, stays_fragmented) {}

  // Creates the file and the fragment writer; `on_run_written` is told where each run landed.
  Status open(const FragmentSettings& settings, FragmentWriter::RunWritten on_run_written = {});
  // Writes every fragment still collected (at finish).
  Status write_rest();

  MovieState& movie_;
  FragmentedHeader header_;
  std::optional<OutputFile> output_;
  std::unique_ptr<FragmentWriter> fragments_;

 private:
  FragmentWriter::HeaderBuilder header_builder();
  // Tells the observer, if any, that a fragment is complete in the file.
  void report_fragment(const WrittenFragment& fragment);
};

}  // namespace aw
