#include "writer/fragmented_header.h"

#include "boxes/box_writer.h"
#include "boxes/free_space.h"
#include "boxes/movie_boxes.h"

namespace aw {
namespace {

// Room left after the first moov, so the moov rewritten at finish (real durations, edit lists of tracks
// that started late, late metadata) fits in place. A format change writes the new moov beside the current
// one (HeaderSpace::replace_moov), so the reserve also holds a copy of the moov and room for its further
// sample entries: some 2 KiB, a dozen avcC entries of a resolution change.
constexpr uint64_t kMoovReserve = 1024;
constexpr uint64_t kMoovReservePerTrack = 256;
constexpr uint64_t kFormatChangeReserve = 2048;

}  // namespace

std::vector<uint8_t> FragmentedHeader::moov() const {
  std::vector<TrackSummary> summaries;
  for (size_t i = 0; i < extents_.size(); ++i) {
    MediaExtent e = extents_[i];
    e.priming = movie_.tracks[i].format.priming_samples;
    summaries.push_back({e, 0});
  }
  MovieContext context = movie_.context();
  context.fragmented = true;
  const WriterSettings& settings = movie_.settings;
  if (settings.overall_duration_hint.is_numeric()) {
    context.fragment_duration = settings.overall_duration_hint.rescaled(settings.movie_timescale).value_or(0);
  }
  return build_moov(movie_.tracks, summaries, context, 0);
}

std::vector<uint8_t> FragmentedHeader::build(std::span<const MediaExtent> extents) {
  BoxWriter w;
  write_ftyp(w, movie_.file_type_box(stays_fragmented_));
  extents_.assign(extents.begin(), extents.end());
  uint64_t moov_offset = w.size();
  auto first_moov = moov();
  w.bytes(first_moov);
  uint64_t reserve =
      kMoovReserve + kMoovReservePerTrack * movie_.tracks.size() + first_moov.size() + kFormatChangeReserve;
  write_free(w, reserve);
  space_ = HeaderSpace(moov_offset, first_moov.size() + reserve, first_moov.size());
  return w.take();
}

Status FragmentedHeader::add_description(ByteSink& file, bool sync) { return space_.replace_moov(file, moov(), sync); }

Status FragmentedHeader::rewrite(ByteSink& file, std::span<const uint8_t> moov) {
  const uint64_t space = space_.size();
  if (moov.size() + kBoxHeaderSize > space && moov.size() != space) return Status::ok();
  BoxWriter w;
  w.bytes(moov);
  if (moov.size() < space) write_free(w, space - moov.size());
  return file.write_at(space_.offset(), w.data());
}

}  // namespace aw
