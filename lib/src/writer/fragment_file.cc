#include "writer/fragment_file.h"

namespace aw {

Status FragmentFile::open(const FragmentSettings& settings, FragmentWriter::RunWritten on_run_written) {
  AW_ASSIGN_OR_RETURN(OutputFile output, OutputFile::create(movie_.path));
  output_.emplace(std::move(output));
  // The header goes out with the first fragment, once the first samples are known.
  fragments_ = std::make_unique<FragmentWriter>(settings, movie_.tracks, *output_, movie_.first_video_track(),
                                                std::move(on_run_written));
  fragments_->set_fragment_done([this](const WrittenFragment& f) {
    report_fragment(f);
    return Status::ok();
  });
  return Status::ok();
}

void FragmentFile::report_fragment(const WrittenFragment& fragment) {
  if (!movie_.observer) return;
  FragmentReport report;
  report.sequence_number = fragment.sequence_number;
  report.offset = fragment.moof_offset;
  report.size = fragment.end_offset - fragment.moof_offset;
  report.synced = fragment.synced;
  report.tracks = fragment.tracks;
  movie_.observer->did_write_fragment(report);
}

FragmentWriter::HeaderBuilder FragmentFile::header_builder() {
  return [this](std::span<const MediaExtent> e, std::span<const uint32_t>) { return header_.build(e); };
}

Status FragmentFile::write_chunk(size_t track, std::span<PendingSample> samples) {
  fragments_->add_chunk(track, samples);
  return Status::ok();
}

Status FragmentFile::write_ready() { return fragments_->write_ready(header_builder()); }

Status FragmentFile::write_rest() { return fragments_->write_rest(header_builder()); }

Status FragmentFile::format_added() {
  if (!fragments_->header_written()) return Status::ok();  // the first header will list it
  return header_.add_description(*output_, movie_.settings.sync_fragments_to_disk);
}

void FragmentFile::cancel() {
  if (output_) output_->remove();
  output_.reset();
}

}  // namespace aw
