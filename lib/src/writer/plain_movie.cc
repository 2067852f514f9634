#include "writer/plain_movie.h"

#include "writer/movie_index.h"

namespace aw {

Status PlainMovie::start() {
  AW_ASSIGN_OR_RETURN(OutputFile output, OutputFile::create(movie_.path));
  output_.emplace(std::move(output));
  auto head = write_single_mdat_head(*output_, movie_.file_type_box(), 0);
  if (!head) {
    output_->remove();
    return head.status();
  }
  head_ = *head;
  media_.emplace(*output_);
  return Status::ok();
}

Status PlainMovie::write_chunk(size_t track, std::span<PendingSample> samples) {
  return media_->write_chunk(movie_.tracks[track], samples);
}

Status PlainMovie::finish() {
  // The chapter titles go after the media, inside the mdat.
  AW_ASSIGN_OR_RETURN(auto summaries,
                      finish_movie_index(movie_, [&](std::span<const uint8_t> s) { return media_->append(s); }));
  AW_RETURN_IF_ERROR(close_single_mdat(*output_, head_, media_->size()));
  AW_RETURN_IF_ERROR(output_->append(build_moov(movie_.tracks, summaries, movie_.context(), head_.payload_start)));
  return output_->close();
}

void PlainMovie::cancel() {
  if (output_) output_->remove();
  output_.reset();
}

}  // namespace aw
