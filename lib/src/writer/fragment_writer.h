// FragmentWriter: turns the interleaver's chunks into movie fragments (moof + mdat). It collects chunks,
// cuts a fragment at the first sync sample of the sync track (the first video track) at or after each
// interval, keeps tracks interleaved inside the fragment (a trun per run of a track's chunks that lie
// together in the mdat), and writes the
// fragment crash-safely: the moof goes out typed 'free' together with its mdat, and only once those bytes
// are written (and, by default, on disk) is the type patched to 'moof'. A torn last fragment is therefore
// a 'free' box and a truncated mdat that no reader interprets.
// A format change (a sample of another stsd entry) always ends the fragment before it: a traf names one
// sample description (tfhd), so a fragment holds one per track.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "aw/segments.h"
#include "boxes/fragment_boxes.h"
#include "io/byte_sink.h"
#include "writer/edit_list.h"
#include "writer/interleaver.h"
#include "writer/track_state.h"

namespace aw {

struct FragmentSettings {
  Time interval;          // a positive time
  Time initial_interval;  // the first fragment's; invalid: same as `interval`
  uint32_t first_sequence_number = 1;
  // Decode times on the source timeline (tfdt = dts), so fragments of several writers line up.
  bool combinable = false;
  // fdatasync each fragment before marking it complete: survives power loss, not just a killed process.
  bool sync_to_disk = true;
  // How long a fragment may grow while waiting for a sync sample: a stream with rare (or no) keyframes
  // is cut anyway after this many intervals, starting the next fragment mid-GOP (still decodable in
  // sequence), so memory and the media lost in a crash stay bounded. 1: cut at every interval.
  int intervals_before_cut_without_sync = 4;
  // When valid, replaces the rule above: a fragment that reached this duration without a sync sample is
  // cut at the last sample of the sync track that keeps it within it (segments: EXTINF never exceeds it).
  Time max_duration;
  // One moof + mdat per track at each cut, each handed to FragmentDone on its own (one track per header).
  bool one_track_per_fragment = false;
  // One decode-time origin for every track (segments: players line tracks up by tfdt alone, with no edit
  // list): `origin` if set, else the earliest first decode time of any track.
  bool common_origin = false;
  std::optional<Time> origin;
  // A header per format (segments): each names one sample description per track, so fragments keep trex's
  // default index and a fragment in another format than the last header's is preceded by a new header.
  bool header_per_description = false;
  // Every tfhd names its sample description, trex's default included (CMAF cmf2, 23000-19 7.7.3).
  bool description_in_every_tfhd = false;
  // Parts (segments for LL-HLS, CMAF chunks): between the cuts the interval asks for, a fragment is also
  // cut before it outlasts this, at the last sample of the sync track (of any track without one) that keeps
  // it within. Each fragment is then a part, and SegmentDone follows the last part before each of the
  // interval's cuts. Invalid: no parts (SegmentDone follows every fragment).
  Time part_interval;
};

// What a written fragment holds, for segment reports.
struct WrittenFragment {
  uint32_t sequence_number = 0;
  uint64_t moof_offset = 0;  // in the sink
  uint64_t end_offset = 0;   // one past the mdat
  bool synced = false;       // flushed to disk before the moof was typed 'moof'
  std::vector<SegmentTrackReport> tracks;  // data ranges relative to moof_offset
};

class FragmentWriter {
 public:
  // Builds what goes in front of the first fragment (ftyp, moov, reserve), given each track's extent in
  // the first fragment and, with header_per_description, the sample description (1-based) each track's
  // samples use from this header on.
  using HeaderBuilder = std::function<Result<std::vector<uint8_t>>(std::span<const MediaExtent>,
                                                                   std::span<const uint32_t> descriptions)>;
  // Told where each run's samples landed in the file (a movie that is defragmented at finish indexes
  // them as chunks of that sample description).
  using RunWritten =
      std::function<void(size_t track, uint64_t file_offset, uint32_t sample_count, uint32_t description_index)>;
  using FragmentDone = std::function<Status(const WrittenFragment&)>;
  // After the last fragment of a segment (see FragmentSettings::part_interval).
  using SegmentDone = std::function<Status()>;

  FragmentWriter(FragmentSettings settings, const std::vector<TrackState>& tracks, ByteSink& output,
                 std::optional<size_t> sync_track, RunWritten on_run_written = {});

  void add_chunk(size_t track, std::span<PendingSample> samples);
  // Called after every fragment is written (segment output hands it on; files tell their observer).
  void set_fragment_done(FragmentDone done) { fragment_done_ = std::move(done); }
  void set_segment_done(SegmentDone done) { segment_done_ = std::move(done); }
  // Ends the current fragment at the first sync sample of the sync track decoding after `after` (at
  // `after` itself without a sync track): AVAssetWriter.flushSegment().
  void request_cut_after(Time after) {
    cut_after_ = after;
    changed_ = true;
  }
  // A track finished: the fragment end may no longer need to wait for it.
  void note_track_finished() { changed_ = true; }
  // Writes every fragment whose end is known.
  Status write_ready(const HeaderBuilder& header);
  // Writes everything collected (at finish).
  Status write_rest(const HeaderBuilder& header);

  bool header_written() const { return header_written_; }
  // Each track's media over all fragments written, for the moov rewritten at finish.
  const std::vector<MediaExtent>& extents() const { return extents_; }
  const std::vector<uint64_t>& media_durations() const { return media_durations_; }
  const std::vector<TrackRandomAccess>& random_access() const { return random_access_; }
  uint32_t fragments_written() const { return fragments_written_; }
  const std::vector<uint64_t>& moof_offsets() const { return moof_offsets_; }

 private:
  struct Collected {
    size_t track;
    std::vector<PendingSample> samples;
  };

  // A run of one track's samples placed in a fragment's mdat.
  struct Placed {
    size_t track;
    std::vector<PendingSample> samples;
    uint64_t mdat_offset = 0;
  };

  // A placed sample, for walking one track's samples across its runs.
  struct PlacedSample {
    const Placed* run;
    const PendingSample* sample;
  };

  // Where the next fragment ends, and whether that also ends a segment (always, without parts).
  struct Cut {
    Time at;
    bool ends_segment = true;
  };
  // With parts: the current part ends at `at`, or at the interval's cut (neither set), or cannot be told
  // until more samples arrive (`wait`).
  struct PartEnd {
    bool wait = false;
    std::optional<Time> at;
  };

  std::optional<Cut> next_cut() const;
  // The cut the interval, a format change or a flush ask for (the fragment's end without parts).
  std::optional<Time> interval_cut() const;
  PartEnd part_end(const std::optional<Time>& at_interval) const;
  std::optional<size_t> part_cutting_track() const;
  std::optional<Time> part_anchor(const std::optional<size_t>& cutter) const;
  static std::optional<Time> estimated_end(const PendingSample& s, const PendingSample* previous);
  // Whether the cutting track (every track without one) has finished: no later sample will come.
  bool cutting_finished(const std::optional<size_t>& cutter) const;
  const Time& current_interval() const;
  // The first sample in another sample description than its track's first collected one.
  std::optional<Time> description_cut() const;
  std::optional<Time> sync_cut(const Time& target) const;
  Status write_fragment(const Cut& cut, const HeaderBuilder& header);
  // The collected samples that decode before `cut`, as runs placed in one mdat of `mdat_size` bytes;
  // the rest stays collected.
  std::vector<Placed> take_before(const Time& cut, uint64_t& mdat_size);
  // Nothing decodes before `cut`: the next fragment starts after the gap.
  void skip_gap_at(const Cut& cut);
  // Tells SegmentDone when a fragment was written since it last did.
  Status end_segment();
  // The decode time that follows each track's last sample in this fragment, where already collected.
  std::vector<std::optional<int64_t>> next_decode_times() const;
  // Segments: the one decode-time origin of every track, fixed by the first fragment.
  void settle_common_origin();
  // Track `t`'s traf over its samples `order`; extends its extent and `fragment_extent`.
  Result<TrackFragment> track_fragment(size_t t, std::span<const PlacedSample> order, std::optional<int64_t> next_dts,
                                       MediaExtent& fragment_extent);
  // The first header, or a new one when a track's sample description changed (header_per_description).
  Status write_header_if_needed(std::span<TrackFragment> trafs, std::span<MediaExtent> extents,
                                const HeaderBuilder& header);
  // The moof(s) and mdat(s) of the placed runs: one for all tracks, or one per track.
  Status write_placed(std::span<const Placed> placed, std::span<TrackFragment> trafs,
                      std::span<const size_t> traf_tracks, uint64_t mdat_size);
  // Writes one moof (one traf per entry of `tracks`) and its mdat holding `runs`, in order.
  Status write_moof_and_mdat(std::span<const size_t> tracks, std::span<const TrackFragment> trafs,
                             std::span<const Placed* const> runs, uint64_t mdat_size);
  int64_t origin_of(size_t track) const;

  FragmentSettings settings_;
  const std::vector<TrackState>& tracks_;
  ByteSink& output_;
  std::optional<size_t> sync_track_;
  RunWritten on_run_written_;
  FragmentDone fragment_done_;
  SegmentDone segment_done_;
  bool segment_open_ = false;  // a fragment was written since the last SegmentDone
  std::optional<Time> cut_after_;
  // Whether anything that decides a cut changed since write_ready() last looked: it runs after every
  // append, and looking costs a scan of the fragment so far.
  bool changed_ = false;
  std::optional<Time> common_origin_;
  std::vector<uint64_t> moof_offsets_;

  std::deque<Collected> collected_;
  std::vector<Time> last_collected_;  // per track, decode time of the newest collected sample
  std::optional<Time> fragment_start_;
  // Where the interval (and the maximum duration) count from: the fragment's start, or with parts its
  // segment's.
  std::optional<Time> interval_start_;
  bool first_interval_ = true;  // initial_interval applies until the first cut of an interval
  uint32_t sequence_number_;
  uint32_t fragments_written_ = 0;
  bool header_written_ = false;
  std::vector<uint32_t> header_descriptions_;  // per track, what the last header named (header_per_description)

  std::vector<std::optional<int64_t>> first_dts_;  // per track, the first decode time ever seen
  std::vector<MediaExtent> extents_;
  std::vector<uint64_t> media_durations_;
  std::vector<TrackRandomAccess> random_access_;
};

}  // namespace aw
