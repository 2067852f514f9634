#include "writer/movie_box.h"

#include <algorithm>
#include <limits>
#include <optional>

#include "boxes/box_writer.h"
#include "boxes/fragment_boxes.h"
#include "boxes/metadata_boxes.h"
#include "boxes/movie_boxes.h"
#include "boxes/sample_entries.h"
#include "boxes/sample_table_boxes.h"
#include "boxes/text_boxes.h"
#include "boxes/track_reference_boxes.h"
#include "writer/edit_list.h"

namespace aw {
namespace {

// The size subtitles are laid out in when their input names none: the first video track's.
Size default_text_size(const std::vector<TrackState>& tracks) {
  for (const TrackState& t : tracks) {
    if (t.format.media_type != MediaType::kVideo) continue;
    uint32_t width = t.input->natural_size.width ? t.input->natural_size.width : t.format.width;
    uint32_t height = t.input->natural_size.height ? t.input->natural_size.height : t.format.height;
    return {width, height};
  }
  return {};
}

void write_trak(BoxWriter& w, const TrackState& track, uint32_t track_id, const TrackTimeline& timeline,
                const TrackSummary& summary, const MovieContext& movie, uint64_t payload_base, Size text_size) {
  const AssetWriterInput& input = *track.input;
  std::optional<uint32_t> only_description;
  if (track_id - 1 < movie.only_descriptions.size()) {
    uint32_t d = movie.only_descriptions[track_id - 1];
    if (d >= 1 && d <= 1 + track.later_formats.size()) only_description = d;
  }
  const TrackFormat& format = track.format;
  // What tkhd presents: a header of one later description presents its size.
  const TrackFormat& shown =
      only_description && *only_description > 1 ? track.later_formats[*only_description - 2] : format;
  bool video = format.media_type == MediaType::kVideo;
  bool subtitles = format.media_type == MediaType::kText && !track.chapter_track;
  uint32_t width = input.natural_size.width ? input.natural_size.width : shown.width;
  uint32_t height = input.natural_size.height ? input.natural_size.height : shown.height;
  if (subtitles && (width == 0 || height == 0)) {
    width = text_size.width;
    height = text_size.height;
  }
  MediaHandler handler = media_handler_for(format.media_type, movie.file_type, track.chapter_track);

  w.box(FourCC("trak"), [&] {
    TrackHeader tkhd;
    tkhd.creation_time = tkhd.modification_time = movie.creation_time;
    tkhd.track_id = track_id;
    tkhd.duration = timeline.duration;
    tkhd.volume = format.media_type == MediaType::kAudio ? input.preferred_volume : 0.0;
    // A chapter track is never played itself: Apple's writer marks it disabled.
    tkhd.enabled = track.enabled && !track.chapter_track;
    tkhd.alternate_group = track.alternate_group;
    tkhd.matrix = input.transform;
    // Text is drawn in its own box, in front of the video (3GPP TS 26.245 5.16: layer and size in tkhd).
    tkhd.layer = subtitles ? -1 : 0;
    tkhd.width = video || subtitles ? width : 0;
    tkhd.height = video || subtitles ? height : 0;
    tkhd.force_version_1 = movie.fragmented;
    write_tkhd(w, tkhd);
    if (!movie.only_track) write_tref(w, track.references);
    write_edts(w, timeline.edits, movie.fragmented);
    w.box(FourCC("mdia"), [&] {
      MediaHeader mdhd;
      mdhd.creation_time = mdhd.modification_time = movie.creation_time;
      mdhd.timescale = static_cast<uint32_t>(track.timescale);
      mdhd.duration = summary.media_duration;
      mdhd.language = input.language_code;
      mdhd.force_version_1 = movie.fragmented;
      write_mdhd(w, mdhd);
      write_media_hdlr(w, handler, movie.file_type);
      // elng is ISO's; QuickTime readers know only mdhd's language.
      if (movie.file_type != FileType::kQuickTimeMovie) write_elng(w, input.extended_language_tag);
      w.box(FourCC("minf"), [&] {
        write_media_information_header(w, handler.type, movie.file_type);
        if (movie.file_type == FileType::kQuickTimeMovie) write_data_hdlr(w);
        write_dinf(w, movie.file_type);
        // A fragmented movie's samples are all in its fragments: its moov indexes none.
        static const SampleTable kNoSamples;
        const SampleTable& table = movie.fragmented ? kNoSamples : track.table;
        bool co64 = needs_co64(table, payload_base);
        write_stbl(
            w, table,
            [&] {
              // The first description, then those of format changes mid-stream.
              auto write_entry = [&](const TrackFormat& described) {
                // The sample entry declares the coded size; tkhd the presentation size.
                uint32_t coded_width = described.width ? described.width : width;
                uint32_t coded_height = described.height ? described.height : height;
                SampleEntryContext entry;
                entry.width = static_cast<uint16_t>(std::min<uint32_t>(coded_width, 0xffff));
                entry.height = static_cast<uint16_t>(std::min<uint32_t>(coded_height, 0xffff));
                entry.bitrates = compute_bitrates(table, track.timescale);
                write_sample_entry(w, described, movie.file_type, entry);
              };
              if (only_description) {
                write_entry(shown);
                return;
              }
              write_entry(format);
              for (const TrackFormat& later : track.later_formats) write_entry(later);
            },
            payload_base, co64, {summary.extent.composition_shift, summary.signed_composition_offsets},
            movie.file_type, only_description ? 1 : static_cast<uint32_t>(1 + track.later_formats.size()));
      });
    });
    write_udta(w, input.metadata, movie.file_type);
  });
}

}  // namespace

namespace {

// The shift that makes the first presented sample's composition time equal its track's first decode
// time (media time 0), so no edit list is needed for reordering; nullopt when an offset would then not
// fit the box's 32 bits (the caller keeps non-negative offsets).
std::optional<int32_t> signed_composition_shift(const SampleTable& table) {
  if (!table.has_composition_offsets()) return std::nullopt;
  int64_t shift = table.first_dts() - table.min_pts();
  auto [least, greatest] = composition_offset_range(table);
  int64_t low = least + shift, high = greatest + shift;
  if (low < std::numeric_limits<int32_t>::min() || high > std::numeric_limits<int32_t>::max()) return std::nullopt;
  return static_cast<int32_t>(shift);
}

}  // namespace

std::vector<TrackSummary> summarize_tables(const std::vector<TrackState>& tracks, bool signed_composition_offsets) {
  std::vector<TrackSummary> summaries;
  for (const TrackState& track : tracks) {
    TrackSummary summary{extent_of(track.table), track.table.media_duration()};
    summary.extent.priming = track.format.priming_samples;
    if (signed_composition_offsets) {
      if (auto shift = signed_composition_shift(track.table)) {
        summary.extent.composition_shift = *shift;
        summary.signed_composition_offsets = true;
      }
    }
    summaries.push_back(summary);
  }
  return summaries;
}

namespace {

// iTunSMPB for .m4a: the first AAC track's encoder delay (what its edit skips), the audio it presents,
// and the padding decoded after it.
std::optional<GaplessInfo> gapless_info(const std::vector<TrackState>& tracks, std::span<const TrackSummary> summaries,
                                        const std::vector<TrackTimeline>& timelines) {
  for (size_t i = 0; i < tracks.size(); ++i) {
    if (tracks[i].format.codec != Codec::kAac || timelines[i].media_length <= 0) continue;
    const int64_t total = static_cast<int64_t>(summaries[i].media_duration);
    const int64_t priming = std::max<int64_t>(0, timelines[i].media_time);
    const int64_t padding = std::max<int64_t>(0, total - priming - timelines[i].media_length);
    return GaplessInfo{static_cast<uint32_t>(std::min<int64_t>(priming, UINT32_MAX)),
                       static_cast<uint32_t>(std::min<int64_t>(padding, UINT32_MAX)),
                       static_cast<uint64_t>(timelines[i].media_length)};
  }
  return std::nullopt;
}

}  // namespace

std::vector<uint8_t> build_moov(const std::vector<TrackState>& tracks, std::span<const TrackSummary> summaries,
                                const MovieContext& movie, uint64_t payload_base) {
  std::vector<TrackTimeline> timelines;
  uint64_t movie_duration = 0;
  for (size_t i = 0; i < tracks.size(); ++i) {
    timelines.push_back(compute_track_timeline(summaries[i].extent, tracks[i].timescale, movie.session_start,
                                               movie.session_end, movie.movie_timescale));
    movie_duration = std::max(movie_duration, timelines.back().duration);
  }
  if (movie.fragment_duration) movie_duration = std::max(movie_duration, *movie.fragment_duration);

  BoxWriter w;
  w.box(FourCC("moov"), [&] {
    MovieHeader mvhd;
    mvhd.creation_time = mvhd.modification_time = movie.creation_time;
    mvhd.timescale = static_cast<uint32_t>(movie.movie_timescale);
    mvhd.duration = movie_duration;
    mvhd.next_track_id = static_cast<uint32_t>(tracks.size() + 1);
    mvhd.force_version_1 = movie.fragmented;
    write_mvhd(w, mvhd);
    auto included = [&](size_t i) { return !movie.only_track || *movie.only_track == i; };
    Size text_size = default_text_size(tracks);
    for (size_t i = 0; i < tracks.size(); ++i) {
      if (!included(i)) continue;
      write_trak(w, tracks[i], static_cast<uint32_t>(i + 1), timelines[i], summaries[i], movie, payload_base,
                 text_size);
    }
    if (movie.fragmented) {
      std::vector<uint32_t> ids;
      for (size_t i = 0; i < tracks.size(); ++i) {
        if (included(i)) ids.push_back(static_cast<uint32_t>(i + 1));
      }
      write_mvex(w, ids, movie.fragment_duration);
    }
    // Fragmented movies rewrite this moov in place at finish, into the room the first one left: no
    // gapless item there, whose size the first moov could not know.
    const std::optional<GaplessInfo> gapless = movie.file_type == FileType::kAppleM4A && !movie.fragmented
                                                   ? gapless_info(tracks, summaries, timelines)
                                                   : std::nullopt;
    // QuickTime players read chapters from the chapter track alone; ffmpeg and mediainfo also from chpl.
    std::function<void(BoxWriter&)> nero_chapters;
    if (!movie.chapters.empty() && movie.file_type != FileType::kQuickTimeMovie && movie.file_type != FileType::k3Gpp) {
      nero_chapters = [&](BoxWriter& udta) { write_chpl(udta, movie.chapters); };
    }
    if (movie.metadata || gapless || nero_chapters) {
      write_udta(w, movie.metadata ? *movie.metadata : Metadata{}, movie.file_type, gapless, nero_chapters);
    }
  });
  return w.take();
}

}  // namespace aw
