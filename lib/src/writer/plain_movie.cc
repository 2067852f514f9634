#include "writer/plain_movie.h"

namespace aw {

Status PlainMovie::finish() {
  AW_ASSIGN_OR_RETURN(auto summaries, finish_index());
  AW_RETURN_IF_ERROR(close_single_mdat(*output_, head_, media_->size()));
  AW_RETURN_IF_ERROR(output_->append(build_moov(movie_.tracks, summaries, movie_.context(), head_.payload_start)));
  return output_->close();
}

}  // namespace aw
