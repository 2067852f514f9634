#include "writer/moov_first_movie.h"

#include <algorithm>
#include <limits>

#include "writer/moov_reserve.h"

namespace aw {

MoovFirstMovie::~MoovFirstMovie() {
  // A writer dropped while writing leaves no half-written temporary file behind; the output itself is
  // the caller's (finish or cancel decide its fate).
  if (media_file_) media_file_->remove();
}

uint64_t MoovFirstMovie::reservation() const {
  if (movie_.settings.reserved_moov_size > 0) return std::max<uint64_t>(movie_.settings.reserved_moov_size, 8);
  uint64_t estimate = estimated_moov_size(movie_.tracks, movie_.settings.overall_duration_hint);
  // A 'free' box header holds 32 bits; a hint that large is better served by the copy.
  return estimate <= std::numeric_limits<uint32_t>::max() ? estimate : 0;
}

Status MoovFirstMovie::start() {
  reserved_ = reservation();
  if (reserved_ > 0) return open(reserved_);
  AW_RETURN_IF_ERROR(open_empty());
  auto media = OutputFile::create_temporary(movie_.temporary_directory(), "assetwriter-media");
  if (!media) {
    output_->remove();
    return media.status();
  }
  media_file_.emplace(std::move(media).value());
  media_.emplace(*media_file_);
  return Status::ok();
}

Status MoovFirstMovie::finish() {
  AW_ASSIGN_OR_RETURN(auto summaries, finish_index());
  if (!media_file_) return finish_into_reservation(summaries);
  AW_RETURN_IF_ERROR(write_moov_first(*output_, *media_file_, 0, media_->size(), movie_, summaries));
  media_file_->remove();
  media_file_.reset();
  return output_->close();
}

Status MoovFirstMovie::finish_into_reservation(std::span<const TrackSummary> summaries) {
  AW_RETURN_IF_ERROR(close_single_mdat(*output_, head_, media_->size()));
  auto moov = build_moov(movie_.tracks, summaries, movie_.context(), head_.payload_start);
  if (auto filled = fill_reservation(moov, reserved_)) {
    AW_RETURN_IF_ERROR(output_->write_at(head_.reserve_offset, *filled));
    return output_->close();
  }
  return finish_by_copy(summaries);
}

Status MoovFirstMovie::finish_by_copy(std::span<const TrackSummary> summaries) {
  auto copy = OutputFile::create_temporary(movie_.temporary_directory(), "assetwriter-moov-first");
  if (!copy) return copy.status();
  if (Status s = write_moov_first(*copy, *output_, head_.payload_start, media_->size(), movie_, summaries); !s) {
    copy->remove();
    return s;
  }
  AW_RETURN_IF_ERROR(output_->close());
  return copy->close_and_rename_to(movie_.path);
}

void MoovFirstMovie::cancel() {
  if (media_file_) media_file_->remove();
  media_file_.reset();
  SingleMdatMovie::cancel();
}

}  // namespace aw
