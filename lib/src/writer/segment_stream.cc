#include "writer/segment_stream.h"

#include <limits>

#include "boxes/box_writer.h"
#include "boxes/brands.h"
#include "boxes/movie_boxes.h"

namespace aw {
namespace {

Time half_of(const Time& t) {
  if (t.timescale() <= std::numeric_limits<int32_t>::max() / 2) return Time(t.value(), t.timescale() * 2);
  return Time(t.value() / 2, t.timescale());
}

}  // namespace

Status SegmentStream::start() {
  const WriterSettings& settings = movie_.settings;
  FragmentSettings fs;
  fs.interval = settings.preferred_output_segment_interval;
  fs.first_sequence_number = settings.initial_movie_fragment_sequence_number;
  fs.sync_to_disk = false;
  // Every segment starts on a keyframe (HLS EXT-X-INDEPENDENT-SEGMENTS, CMAF) unless none came within the
  // maximum duration: then it is cut within it, so memory stays bounded and a playlist's target duration
  // holds every segment.
  if (settings.maximum_segment_duration.is_numeric()) {
    fs.max_duration = settings.maximum_segment_duration;
  } else if (fs.interval.is_numeric()) {
    fs.max_duration = fs.interval + fs.interval + fs.interval;
  }
  fs.one_track_per_fragment = settings.one_track_per_header;
  brands_ = segment_brands(settings.output_file_type_profile, settings.one_track_per_header ? 1 : movie_.tracks.size());
  fs.description_in_every_tfhd = brands_.cmaf;
  fs.common_origin = true;
  fs.header_per_description = true;
  if (settings.initial_segment_start_time.is_numeric()) fs.origin = settings.initial_segment_start_time;
  fs.part_interval = settings.preferred_output_part_interval;
  fragments_ = std::make_unique<FragmentWriter>(fs, movie_.tracks, sink_, movie_.first_video_track());
  fragments_->set_fragment_done([this](const WrittenFragment& f) { return add_part(f); });
  fragments_->set_segment_done([this] { return deliver_segments(); });
  segments_.resize(settings.one_track_per_header ? movie_.tracks.size() : 1);
  return Status::ok();
}

Time SegmentStream::interleave_interval(const Time& configured) const {
  if (!has_parts()) return configured;
  // A part goes out once the interleaver released the window holding its end: a window of a quarter part
  // delays it by at most that, where the default 500 ms window could hold a 333 ms part back longer than
  // the part lasts. Each window is a chunk per track: a trun of its own where tracks interleave in the mdat.
  const Time quarter = half_of(half_of(movie_.settings.preferred_output_part_interval));
  return quarter < configured ? quarter : configured;
}

FragmentWriter::HeaderBuilder SegmentStream::header_builder() {
  return [this](std::span<const MediaExtent>, std::span<const uint32_t> d) { return deliver_headers(d); };
}

Status SegmentStream::write_chunk(size_t track, std::span<PendingSample> samples) {
  fragments_->add_chunk(track, samples);
  return Status::ok();
}

Status SegmentStream::write_ready() { return fragments_->write_ready(header_builder()); }

Result<bool> SegmentStream::cut_segment() {
  // The cut goes after everything appended so far: at the next keyframe of the first video track.
  std::optional<Time> after;
  auto video = movie_.first_video_track();
  for (size_t i = 0; i < movie_.tracks.size(); ++i) {
    const TrackState& track = movie_.tracks[i];
    if (!track.has_samples || (video && i != *video)) continue;
    Time last(track.last_dts, track.timescale);
    if (!after || *after < last) after = last;
  }
  if (!after) return false;
  fragments_->request_cut_after(*after);
  return true;
}

Status SegmentStream::finish() { return fragments_->write_rest(header_builder()); }

Result<std::vector<uint8_t>> SegmentStream::deliver_headers(std::span<const uint32_t> descriptions) {
  // With one track per header each track gets its own (a CMAF header holds exactly one track, 23000-19
  // 7.3.2.1); otherwise one header describes them all.
  const bool again = !delivered_descriptions_.empty();
  if (movie_.settings.one_track_per_header) {
    for (size_t t = 0; t < movie_.tracks.size(); ++t) {
      // After a format change, a track with a header of its own gets a new one only if it changed.
      if (again && delivered_descriptions_[t] == descriptions[t]) continue;
      AW_RETURN_IF_ERROR(deliver_header(t, descriptions));
    }
  } else {
    AW_RETURN_IF_ERROR(deliver_header(std::nullopt, descriptions));
  }
  delivered_descriptions_.assign(descriptions.begin(), descriptions.end());
  // Nothing goes in front of the first fragment in the sink: the headers went to the delegate.
  return std::vector<uint8_t>{};
}

Status SegmentStream::deliver_header(std::optional<size_t> only_track, std::span<const uint32_t> descriptions) {
  // No edit lists: segment players line tracks up by tfdt alone (CMAF 7.5.13 restricts edits), so the
  // extents are left out. One sample entry per track (CMAF 7.3.2.1 allows no more): after a format change
  // a new header with the new one.
  std::vector<TrackSummary> summaries(movie_.tracks.size());
  MovieContext context = movie_.context();
  context.fragmented = true;
  context.only_descriptions = descriptions;
  context.only_track = only_track;
  std::vector<Codec> codecs;
  for (size_t t = 0; t < movie_.tracks.size(); ++t) {
    if (!only_track || *only_track == t) codecs.push_back(movie_.tracks[t].format.codec);
  }
  BoxWriter w;
  write_ftyp(w, with_codec_brands(brands_.header, codecs));
  w.bytes(build_moov(movie_.tracks, summaries, context, 0));
  SegmentReport report;
  report.type = SegmentType::kInitialization;
  for (size_t t = 0; t < movie_.tracks.size(); ++t) {
    if (only_track && *only_track != t) continue;
    SegmentTrackReport track;
    track.track_id = static_cast<uint32_t>(t + 1);
    track.media_type = movie_.tracks[t].format.media_type;
    track.duration = Time::zero();
    track.sample_count = 0;
    report.tracks.push_back(std::move(track));
  }
  // The delegate's error fails the writer: nothing more goes out.
  return delegate_.did_output_segment_data(w.data(), SegmentType::kInitialization, &report);
}

Status SegmentStream::add_part(const WrittenFragment& fragment) {
  // With one track per header a fragment holds one track, and belongs to that track's segment.
  SegmentAssembly& segment = movie_.settings.one_track_per_header && !fragment.tracks.empty()
                                 ? segments_[fragment.tracks.front().track_id - 1]
                                 : segments_.front();
  BoxWriter styp;
  if (segment.empty()) {
    if (brands_.segment) write_styp(styp, *brands_.segment);
  }
  const auto& bytes = sink_.bytes();
  PartReport part = segment.add_part(
      styp.data(), std::span(bytes).subspan(fragment.moof_offset, fragment.end_offset - fragment.moof_offset),
      fragment);
  sink_.clear();
  if (!has_parts()) return Status::ok();
  return delegate_.did_output_part_data(segment.last_part(), part);
}

Status SegmentStream::deliver_segments() {
  for (SegmentAssembly& segment : segments_) {
    if (segment.empty()) continue;
    const SegmentReport report = segment.report();
    Status delivered = delegate_.did_output_segment_data(segment.bytes(), SegmentType::kSeparable, &report);
    segment.clear();
    AW_RETURN_IF_ERROR(delivered);
  }
  return Status::ok();
}

}  // namespace aw
