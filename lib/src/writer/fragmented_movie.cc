#include "writer/fragmented_movie.h"

#include "boxes/box_writer.h"
#include "boxes/fragment_boxes.h"

namespace aw {

Status FragmentedMovie::start() {
  const WriterSettings& settings = movie_.settings;
  FragmentSettings fs;
  fs.interval = settings.movie_fragment_interval;
  fs.initial_interval = settings.initial_movie_fragment_interval;
  fs.first_sequence_number = settings.initial_movie_fragment_sequence_number;
  fs.combinable = settings.produces_combinable_fragments;
  fs.sync_to_disk = settings.sync_fragments_to_disk;
  return open(fs);
}

std::vector<uint8_t> FragmentedMovie::final_moov() {
  std::vector<TrackSummary> summaries;
  for (size_t i = 0; i < movie_.tracks.size(); ++i) {
    MediaExtent e = fragments_->extents()[i];
    e.priming = movie_.tracks[i].format.priming_samples;
    summaries.push_back({e, fragments_->media_durations()[i]});
  }
  MovieContext context = movie_.context();
  context.fragmented = true;
  // mehd carries the whole presentation's duration: the longest track's.
  context.fragment_duration = movie_.duration(summaries);
  movie_.final_duration = *context.fragment_duration;
  return build_moov(movie_.tracks, summaries, context, 0);
}

Status FragmentedMovie::finish() {
  AW_RETURN_IF_ERROR(write_rest());
  std::vector<uint8_t> moov = final_moov();
  if (movie_.settings.produces_combinable_fragments) {
    // Combinable output ends with its last fragment: an mfra or a rewritten duration would describe this
    // file alone and be wrong once several files are joined.
    return output_->close();
  }
  BoxWriter mfra;
  write_mfra(mfra, fragments_->random_access());
  AW_RETURN_IF_ERROR(output_->append(mfra.data()));
  AW_RETURN_IF_ERROR(header_.rewrite(*output_, moov));
  return output_->close();
}

}  // namespace aw
