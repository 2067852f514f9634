#include "writer/fragment_writer.h"

#include <algorithm>
#include <limits>

#include "boxes/free_space.h"
#include "boxes/movie_boxes.h"

namespace aw {
namespace {

// How far before its target a sync sample may decode and still end a fragment there (see sync_cut).
const Time kCutTolerance(1, 1000);
// How far past the part interval a part may end: timestamps rounded to nanoseconds (a frame at 1/3 s
// against an interval of 333333333 ns) must not push a sample into the next part.
const Time kPartTolerance(1, 1000000);

}  // namespace

FragmentWriter::FragmentWriter(FragmentSettings settings, const std::vector<TrackState>& tracks, ByteSink& output,
                               std::optional<size_t> sync_track, RunWritten on_run_written)
    : settings_(std::move(settings)),
      tracks_(tracks),
      output_(output),
      sync_track_(sync_track),
      on_run_written_(std::move(on_run_written)),
      last_collected_(tracks.size()),
      sequence_number_(settings_.first_sequence_number),
      header_descriptions_(tracks.size(), 1),
      first_dts_(tracks.size()),
      extents_(tracks.size()),
      media_durations_(tracks.size(), 0),
      random_access_(tracks.size()) {
  for (size_t i = 0; i < tracks.size(); ++i) random_access_[i].track_id = static_cast<uint32_t>(i + 1);
}

void FragmentWriter::add_chunk(size_t track, std::span<PendingSample> samples) {
  if (samples.empty()) return;
  last_collected_[track] = samples.back().decode_time;
  changed_ = true;
  if (!first_dts_[track]) first_dts_[track] = samples.front().decode_time.value();
  // The first fragment starts at the earliest sample of any track; later ones at the previous cut.
  const Time& front = samples.front().decode_time;
  if (fragments_written_ == 0 && (!fragment_start_ || front < *fragment_start_)) {
    fragment_start_ = front;
    interval_start_ = front;
  }
  // A collected chunk holds one sample description: a format change inside the chunk splits it.
  (void)for_each_description_run(samples, [&](std::span<PendingSample> run) {
    Collected chunk{track, {}};
    chunk.samples.reserve(run.size());
    for (auto& s : run) chunk.samples.push_back(std::move(s));
    collected_.push_back(std::move(chunk));
    return Status::ok();
  });
}

int64_t FragmentWriter::origin_of(size_t track) const {
  // Combinable fragments keep decode times on the source timeline, so the next writer's continue them.
  if (settings_.combinable) return 0;
  if (common_origin_) return common_origin_->rescaled_floor(tracks_[track].timescale).value_or(0);
  return first_dts_[track].value_or(0);
}

const Time& FragmentWriter::current_interval() const {
  return first_interval_ && settings_.initial_interval.is_numeric() ? settings_.initial_interval : settings_.interval;
}

// The cut the interval asks for: the first sync sample of the sync track at or after `target` (at
// `target` itself without a sync track), or, once the fragment grew too long without one, a cut anyway.
std::optional<Time> FragmentWriter::sync_cut(const Time& target) const {
  const Time& interval = current_interval();
  if (!sync_track_) {
    for (const Collected& chunk : collected_) {
      if (!chunk.samples.empty() && chunk.samples.back().decode_time >= target) return target;
    }
    return std::nullopt;
  }
  const bool bounded = settings_.max_duration.is_numeric();
  Time latest = bounded ? *interval_start_ + settings_.max_duration : target;
  if (!bounded) {
    for (int i = 1; i < settings_.intervals_before_cut_without_sync; ++i) latest = latest + interval;
  }
  // A sync sample a hair before the target still starts the next fragment: the keyframe an encoder was asked
  // for at the boundary decodes up to a rounding early (reordering encoders give it the pts of a frame two
  // before, each rounded to nanoseconds, then to the track's timescale), and cutting one GOP later for that
  // would double the fragment.
  // Only where the interval is longer than the tolerance: a cut must stay after the fragment's (the part's)
  // start.
  Time sync_target = target - kCutTolerance;
  if (!(*fragment_start_ < sync_target)) sync_target = target;
  std::optional<Time> last_within;  // the latest sample decoding after the start and by `latest`
  for (const Collected& chunk : collected_) {
    if (chunk.track != *sync_track_) continue;
    for (const PendingSample& s : chunk.samples) {
      if (s.decode_time >= sync_target && s.sync && s.decode_time <= latest) return s.decode_time;
      if (bounded && s.decode_time > latest) return last_within ? *last_within : s.decode_time;
      if (!bounded && s.decode_time >= target && s.decode_time >= latest) return s.decode_time;
      if (s.decode_time > *fragment_start_) last_within = s.decode_time;
    }
  }
  return std::nullopt;
}

std::optional<Time> FragmentWriter::description_cut() const {
  std::optional<Time> cut;
  std::vector<const PendingSample*> first(tracks_.size(), nullptr);
  for (const Collected& chunk : collected_) {
    const PendingSample& front = chunk.samples.front();
    const PendingSample*& track_first = first[chunk.track];
    if (!track_first) {
      track_first = &front;
    } else if (front.description_index != track_first->description_index &&
               track_first->decode_time < front.decode_time && (!cut || front.decode_time < *cut)) {
      // Only after a sample of the old description, so the cut always places something.
      cut = front.decode_time;
    }
  }
  return cut;
}

std::optional<Time> FragmentWriter::interval_cut() const {
  std::optional<Time> cut = sync_cut(*interval_start_ + current_interval());
  if (auto change = description_cut(); change && (!cut || *change < *cut)) cut = change;
  if (cut_after_) {
    // A requested flush ends the fragment earlier than the interval would.
    std::optional<Time> flush;
    for (const Collected& chunk : collected_) {
      if (sync_track_ && chunk.track != *sync_track_) continue;
      for (const PendingSample& s : chunk.samples) {
        if (s.decode_time > *cut_after_ && (!sync_track_ || s.sync)) {
          flush = sync_track_ ? s.decode_time : *cut_after_ + Time(1, 1000000);
          break;
        }
      }
      if (flush) break;
    }
    if (flush && (!cut || *flush < *cut)) cut = flush;
  }
  return cut;
}

bool FragmentWriter::cutting_finished(const std::optional<size_t>& cutter) const {
  if (cutter) return tracks_[*cutter].finished;
  for (const TrackState& track : tracks_) {
    if (!track.finished && !is_sparse(track.format.media_type)) return false;
  }
  return true;
}

// Which track's samples end parts: the sync track's while it writes. Once it has finished, one track per
// header cuts the remaining samples by every track, so an audio rendition's trailing parts stay within its
// PART-TARGET; a muxed fragment keeps them in its last part, whose stated duration is its video's.
std::optional<size_t> FragmentWriter::part_cutting_track() const {
  if (!sync_track_) return std::nullopt;
  if (tracks_[*sync_track_].finished && settings_.one_track_per_fragment) return std::nullopt;
  return sync_track_;
}

// Where the current part's duration counts from: its start, or in a muxed fragment whose other tracks lead
// the cutting track (a live source's audio before its first keyframe) that track's first sample in the part.
// A playlist states a muxed part's duration by its video, so a part of audio alone would count time its
// segment's EXTINF does not. Unknown until that sample arrives.
std::optional<Time> FragmentWriter::part_anchor(const std::optional<size_t>& cutter) const {
  if (!cutter || settings_.one_track_per_fragment) return fragment_start_;
  std::optional<Time> first;
  for (const Collected& chunk : collected_) {
    if (chunk.track != *cutter) continue;
    for (const PendingSample& s : chunk.samples) {
      if (s.decode_time >= *fragment_start_ && (!first || s.decode_time < *first)) first = s.decode_time;
    }
  }
  return first;
}

// A sample's end as its fragment will state it: its own duration, else the gap from the sample before it.
std::optional<Time> FragmentWriter::estimated_end(const PendingSample& s, const PendingSample* previous) {
  if (s.duration_hint > 0) return s.decode_time + Time(s.duration_hint, s.decode_time.timescale());
  if (previous) return s.decode_time + (s.decode_time - previous->decode_time);
  return std::nullopt;
}

// A part ends at the last sample of the cutting track that keeps it within the part interval of its anchor,
// so no part outlasts the playlist's PART-TARGET (unless a single sample does: then it ends after that one).
// Only a sample past the limit shows that no closer one is to come; the interval's cut, when it comes first,
// ends the part and the segment together.
FragmentWriter::PartEnd FragmentWriter::part_end(const std::optional<Time>& at_interval) const {
  const std::optional<size_t> cutter = part_cutting_track();
  const std::optional<Time> anchor = part_anchor(cutter);
  if (!anchor) return {!cutting_finished(cutter), std::nullopt};
  const Time limit = *anchor + settings_.part_interval + kPartTolerance;
  if (at_interval && *at_interval <= limit) return {};
  std::optional<Time> last_within;
  std::optional<Time> last_within_end;  // where the sample at last_within ends
  std::optional<Time> first_past;
  // The cutting track's sample before the current one, across its chunks (only its end is ever asked for).
  const PendingSample* previous = nullptr;
  for (const Collected& chunk : collected_) {
    if (cutter && chunk.track != *cutter) continue;
    for (const PendingSample& s : chunk.samples) {
      if (s.decode_time > *anchor && s.decode_time <= limit && (!last_within || *last_within < s.decode_time)) {
        last_within = s.decode_time;
        last_within_end = estimated_end(s, previous);
      } else if (s.decode_time > limit && (!first_past || s.decode_time < *first_past)) {
        first_past = s.decode_time;
      }
      previous = &s;
    }
  }
  if (!first_past) {
    // Nothing past the limit yet: wait for it, unless none will come. Then the rest is this part, unless the
    // cutting track's final frame starts within the limit and runs past it: that one starts another part.
    // (Cut by every track, a frame past the limit is the audio overshoot PART-TARGET allows for.)
    if (!cutting_finished(cutter)) return {true, std::nullopt};
    if (!cutter || !last_within || !last_within_end || !(limit < *last_within_end)) return {};
  }
  const Time at = last_within ? *last_within : *first_past;
  if (at_interval && *at_interval <= at) return {};
  return {false, at};
}

std::optional<FragmentWriter::Cut> FragmentWriter::next_cut() const {
  if (!fragment_start_ || collected_.empty()) return std::nullopt;
  const std::optional<Time> at_interval = interval_cut();
  Cut cut;
  if (settings_.part_interval.is_numeric()) {
    const PartEnd part = part_end(at_interval);
    if (part.wait) return std::nullopt;
    if (part.at) cut = {*part.at, false};
  }
  if (!cut.at.is_valid()) {
    if (!at_interval) return std::nullopt;
    cut.at = *at_interval;
  }
  // Wait until every track still writing has delivered past the cut: only then are the durations of
  // the fragment's last samples known.
  // Sparse tracks (text, timed metadata) are not waited for: their samples carry their own durations, and one
  // that arrives after its cut goes into the next fragment.
  for (size_t t = 0; t < tracks_.size(); ++t) {
    if (tracks_[t].finished || is_sparse(tracks_[t].format.media_type)) continue;
    if (!last_collected_[t].is_valid() || last_collected_[t] < cut.at) return std::nullopt;
  }
  return cut;
}

Status FragmentWriter::write_ready(const HeaderBuilder& header) {
  if (!changed_) return Status::ok();
  changed_ = false;
  while (auto cut = next_cut()) AW_RETURN_IF_ERROR(write_fragment(*cut, header));
  return Status::ok();
}

Status FragmentWriter::write_rest(const HeaderBuilder& header) {
  changed_ = true;
  AW_RETURN_IF_ERROR(write_ready(header));
  if (!collected_.empty()) AW_RETURN_IF_ERROR(write_fragment({Time::positive_infinity(), true}, header));
  AW_RETURN_IF_ERROR(end_segment());
  if (!header_written_) {
    // No media at all: still a valid (empty) movie.
    std::vector<MediaExtent> none(tracks_.size());
    AW_ASSIGN_OR_RETURN(auto bytes, header(none, header_descriptions_));
    AW_RETURN_IF_ERROR(output_.append(bytes));
    header_written_ = true;
  }
  return Status::ok();
}

namespace {

uint32_t clamp_duration(int64_t ticks) {
  return static_cast<uint32_t>(std::clamp<int64_t>(ticks, 0, std::numeric_limits<uint32_t>::max()));
}

// How long a sample lasts: until `following` (the next sample's decode time) where known.
int64_t sample_duration(const PendingSample& s, std::optional<int64_t> following, int64_t previous,
                        int32_t timescale) {
  if (s.sample_count > 1) return s.sample_count;  // PCM: one tick per frame
  if (following) return *following - s.decode_time.value();
  return last_sample_duration(s.duration_hint, previous, timescale);
}

void add_to_run(TrackRun& run, const PendingSample& s, int64_t duration) {
  if (s.sample_count > 1) {
    uint32_t frame_size = static_cast<uint32_t>(s.data.size() / s.sample_count);
    for (uint32_t f = 0; f < s.sample_count; ++f) run.samples.push_back({1, frame_size, 0, true});
  } else {
    run.samples.push_back({clamp_duration(duration), static_cast<uint32_t>(s.data.size()), s.composition_offset, s.sync});
  }
}

void extend(MediaExtent& e, int64_t origin, int64_t pts, int64_t duration) {
  if (e.empty) {
    e.empty = false;
    e.first_dts = origin;
    e.min_pts = pts;
    e.max_pts_end = pts + duration;
  } else {
    e.min_pts = std::min(e.min_pts, pts);
    e.max_pts_end = std::max(e.max_pts_end, pts + duration);
  }
}

}  // namespace

std::vector<FragmentWriter::Placed> FragmentWriter::take_before(const Time& cut, uint64_t& mdat_size) {
  std::vector<Placed> placed;
  std::deque<Collected> rest;
  mdat_size = 0;
  for (Collected& chunk : collected_) {
    auto split = std::find_if(chunk.samples.begin(), chunk.samples.end(),
                              [&](const PendingSample& s) { return s.decode_time >= cut; });
    if (split != chunk.samples.begin()) {
      Placed p{chunk.track, {std::make_move_iterator(chunk.samples.begin()), std::make_move_iterator(split)}, mdat_size};
      for (const auto& s : p.samples) mdat_size += s.data.size();
      placed.push_back(std::move(p));
    }
    if (split != chunk.samples.end()) {
      rest.push_back({chunk.track, {std::make_move_iterator(split), std::make_move_iterator(chunk.samples.end())}});
    }
  }
  collected_ = std::move(rest);
  return placed;
}

void FragmentWriter::skip_gap_at(const Cut& cut) {
  Time earliest = Time::positive_infinity();
  for (const Collected& chunk : collected_) {
    if (chunk.samples.front().decode_time < earliest) earliest = chunk.samples.front().decode_time;
  }
  fragment_start_ = earliest.is_positive_infinity() ? cut.at : std::max(cut.at, earliest);
  if (cut.ends_segment) interval_start_ = fragment_start_;
}

Status FragmentWriter::end_segment() {
  if (!segment_open_) return Status::ok();
  segment_open_ = false;
  return segment_done_ ? segment_done_() : Status::ok();
}

std::vector<std::optional<int64_t>> FragmentWriter::next_decode_times() const {
  std::vector<std::optional<int64_t>> next(tracks_.size());
  for (const Collected& chunk : collected_) {
    if (!next[chunk.track]) next[chunk.track] = chunk.samples.front().decode_time.value();
  }
  return next;
}

void FragmentWriter::settle_common_origin() {
  if (fragments_written_ != 0 || !settings_.common_origin) return;
  if (settings_.origin && settings_.origin->is_numeric()) {
    common_origin_ = *settings_.origin;
    return;
  }
  for (size_t t = 0; t < tracks_.size(); ++t) {
    if (!first_dts_[t]) continue;
    Time first(*first_dts_[t], tracks_[t].timescale);
    if (!common_origin_ || first < *common_origin_) common_origin_ = first;
  }
}

Result<TrackFragment> FragmentWriter::track_fragment(size_t t, std::span<const PlacedSample> order,
                                                     std::optional<int64_t> next_dts, MediaExtent& fragment_extent) {
  TrackFragment traf;
  traf.track_id = static_cast<uint32_t>(t + 1);
  // One description per track and fragment (description_cut).
  traf.sample_description_index = order.front().sample->description_index;
  traf.states_description = settings_.description_in_every_tfhd;
  int64_t origin = origin_of(t);
  int64_t first = order.front().sample->decode_time.value();
  if (first < origin) {
    return Status(ErrorCode::kInvalidArgument,
                  tracks_[t].name + ": decode time " + Time(first, tracks_[t].timescale).to_string() +
                      " is before the fragments' time origin (negative times with combinable fragments, or "
                      "before the initial segment start time)");
  }
  traf.base_media_decode_time = static_cast<uint64_t>(first - origin);
  const Placed* current = nullptr;
  int64_t previous = -1;
  for (size_t k = 0; k < order.size(); ++k) {
    const PendingSample& s = *order[k].sample;
    if (order[k].run != current) {
      current = order[k].run;
      traf.runs.push_back({{}, current->mdat_offset});
    }
    auto following = k + 1 < order.size() ? std::optional(order[k + 1].sample->decode_time.value()) : next_dts;
    int64_t duration = sample_duration(s, following, previous, tracks_[t].timescale);
    previous = duration;
    add_to_run(traf.runs.back(), s, duration);
    media_durations_[t] += static_cast<uint64_t>(duration);
    int64_t pts = s.decode_time.value() + s.composition_offset;
    extend(extents_[t], origin, pts, duration);
    extend(fragment_extent, origin, pts, duration);
  }
  return traf;
}

Status FragmentWriter::write_header_if_needed(std::span<TrackFragment> trafs, std::span<MediaExtent> extents,
                                              const HeaderBuilder& header) {
  bool new_format = false;
  if (settings_.header_per_description) {
    for (const TrackFragment& traf : trafs) {
      uint32_t& named = header_descriptions_[traf.track_id - 1];
      new_format |= named != traf.sample_description_index;
      named = traf.sample_description_index;
    }
  }
  if (!header_written_ || new_format) {
    for (auto& e : extents) e.open_ended = true;
    AW_ASSIGN_OR_RETURN(auto bytes, header(extents, header_descriptions_));
    AW_RETURN_IF_ERROR(output_.append(bytes));
    header_written_ = true;
  }
  if (settings_.header_per_description) {
    for (TrackFragment& traf : trafs) traf.sample_description_index = 1;  // the header's only entry
  }
  return Status::ok();
}

Status FragmentWriter::write_placed(std::span<const Placed> placed, std::span<TrackFragment> trafs,
                                    std::span<const size_t> traf_tracks, uint64_t mdat_size) {
  if (!settings_.one_track_per_fragment) {
    std::vector<const Placed*> runs;
    for (const Placed& p : placed) runs.push_back(&p);
    // A track's chunks with no other track's between them lie together: one trun.
    for (TrackFragment& traf : trafs) join_contiguous_runs(traf);
    return write_moof_and_mdat(traf_tracks, trafs, runs, mdat_size);
  }
  // Each track's runs move to an mdat of their own, in the same order.
  for (size_t k = 0; k < trafs.size(); ++k) {
    std::vector<const Placed*> runs;
    uint64_t offset = 0;
    for (const Placed& p : placed) {
      if (p.track != traf_tracks[k]) continue;
      trafs[k].runs[runs.size()].mdat_offset = offset;
      runs.push_back(&p);
      for (const auto& sample : p.samples) offset += sample.data.size();
    }
    // Alone in its mdat, the track's samples are one contiguous run: one trun.
    join_contiguous_runs(trafs[k]);
    AW_RETURN_IF_ERROR(write_moof_and_mdat(traf_tracks.subspan(k, 1), trafs.subspan(k, 1), runs, offset));
  }
  return Status::ok();
}

Status FragmentWriter::write_fragment(const Cut& cut, const HeaderBuilder& header) {
  // Split the collected chunks at the cut: what decodes before it is this fragment.
  uint64_t mdat_size = 0;
  std::vector<Placed> placed = take_before(cut.at, mdat_size);
  if (placed.empty()) {
    // Nothing decodes before the cut (every track has a gap across it): the next fragment starts at the
    // first sample after the gap, so the same cut is not asked for again.
    skip_gap_at(cut);
    return cut.ends_segment ? end_segment() : Status::ok();
  }
  std::vector<std::optional<int64_t>> next_dts = next_decode_times();
  settle_common_origin();

  std::vector<TrackFragment> trafs;
  std::vector<size_t> traf_tracks;
  std::vector<MediaExtent> first_extents(tracks_.size());
  for (size_t t = 0; t < tracks_.size(); ++t) {
    // Every placed sample of track t, in order, so each sample's duration is the gap to the next.
    std::vector<PlacedSample> order;
    for (const Placed& p : placed) {
      if (p.track != t) continue;
      for (const PendingSample& s : p.samples) order.push_back({&p, &s});
    }
    if (order.empty()) continue;
    AW_ASSIGN_OR_RETURN(TrackFragment traf, track_fragment(t, order, next_dts[t], first_extents[t]));
    trafs.push_back(std::move(traf));
    traf_tracks.push_back(t);
  }
  AW_RETURN_IF_ERROR(write_header_if_needed(trafs, first_extents, header));
  AW_RETURN_IF_ERROR(write_placed(placed, trafs, traf_tracks, mdat_size));

  segment_open_ = true;
  ++sequence_number_;
  ++fragments_written_;
  fragment_start_ = cut.at;
  if (!cut.ends_segment) return Status::ok();
  interval_start_ = cut.at;
  first_interval_ = false;
  // A part's cut never answers a flush: only the segment's end does.
  if (cut_after_ && cut.at > *cut_after_) cut_after_.reset();
  return end_segment();
}

Status FragmentWriter::write_moof_and_mdat(std::span<const size_t> tracks, std::span<const TrackFragment> trafs,
                                           std::span<const Placed* const> runs, uint64_t mdat_size) {
  // Random access: each track's first sync sample in this fragment.
  uint64_t moof_offset = output_.position();
  for (size_t k = 0; k < trafs.size(); ++k) {
    const TrackFragment& traf = trafs[k];
    int64_t decode = static_cast<int64_t>(traf.base_media_decode_time);
    bool found = false;
    for (size_t r = 0; r < traf.runs.size() && !found; ++r) {
      for (size_t i = 0; i < traf.runs[r].samples.size(); ++i) {
        const FragmentSample& s = traf.runs[r].samples[i];
        if (s.sync) {
          random_access_[tracks[k]].entries.push_back(
              {static_cast<uint64_t>(std::max<int64_t>(0, decode + s.composition_offset)), moof_offset,
               static_cast<uint32_t>(k + 1), static_cast<uint32_t>(r + 1), static_cast<uint32_t>(i + 1)});
          found = true;
          break;
        }
        decode += s.duration;
      }
    }
  }

  bool large = mdat_needs_large_size(mdat_size);
  BoxWriter moof;
  write_moof(moof, sequence_number_, trafs, large ? 16 : 8);
  // Written as 'free' until the whole fragment is on disk (see the header comment).
  std::vector<uint8_t> moof_bytes = retyped_copy(moof.data(), FourCC("free"));
  BoxWriter mdat_header;
  write_mdat_header(mdat_header, mdat_size, large);

  std::vector<std::span<const uint8_t>> buffers;
  buffers.push_back(moof_bytes);
  buffers.push_back(mdat_header.data());
  for (const Placed* p : runs) {
    for (const auto& s : p->samples) buffers.push_back(s.data);
  }
  AW_RETURN_IF_ERROR(output_.append_vectored(buffers));
  if (settings_.sync_to_disk) AW_RETURN_IF_ERROR(output_.flush_to_disk());
  AW_RETURN_IF_ERROR(retype_box(output_, moof_offset, FourCC("moof")));
  moof_offsets_.push_back(moof_offset);
  if (on_run_written_) {
    uint64_t payload_start = moof_offset + moof_bytes.size() + mdat_header.size();
    for (const Placed* p : runs) {
      uint32_t count = 0;
      for (const auto& s : p->samples) count += std::max<uint32_t>(1, s.sample_count);
      on_run_written_(p->track, payload_start + p->mdat_offset, count, p->samples.front().description_index);
    }
  }

  WrittenFragment written;
  written.sequence_number = sequence_number_;
  written.moof_offset = moof_offset;
  written.end_offset = output_.position();
  written.synced = settings_.sync_to_disk;
  for (size_t k = 0; k < trafs.size(); ++k) {
    const TrackFragment& traf = trafs[k];
    const size_t t = tracks[k];
    SegmentTrackReport report;
    report.track_id = traf.track_id;
    report.media_type = tracks_[t].format.media_type;
    int64_t decode = static_cast<int64_t>(traf.base_media_decode_time) + origin_of(t);
    std::optional<int64_t> earliest;
    int64_t duration = 0;
    for (const TrackRun& run : traf.runs) {
      uint64_t run_bytes = 0;
      for (const FragmentSample& s : run.samples) {
        int64_t pts = decode + s.composition_offset;
        earliest = earliest ? std::min(*earliest, pts) : pts;
        decode += s.duration;
        duration += s.duration;
        run_bytes += s.size;
        ++report.sample_count;
      }
      report.data_ranges.emplace_back(moof_bytes.size() + mdat_header.size() + run.mdat_offset, run_bytes);
    }
    report.first_sample_is_sync = traf.runs.front().samples.front().sync;
    report.earliest_presentation_time = Time(earliest.value_or(0), tracks_[t].timescale);
    report.duration = Time(duration, tracks_[t].timescale);
    written.tracks.push_back(std::move(report));
  }
  if (fragment_done_) AW_RETURN_IF_ERROR(fragment_done_(written));
  return Status::ok();
}

}  // namespace aw
