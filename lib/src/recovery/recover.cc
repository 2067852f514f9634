#include "recovery/recover.h"

#include <sys/stat.h>

#include <algorithm>
#include <limits>
#include <optional>

#include "aw/time.h"
#include "boxes/box_writer.h"
#include "boxes/free_space.h"
#include "boxes/movie_boxes.h"
#include "boxes/sample_table_boxes.h"
#include "io/output_file.h"
#include "recovery/input_file.h"
#include "recovery/shown_prefix.h"

namespace aw {
namespace recovery {
namespace {

// Far above any real moov or moof of a recording (a moof indexes a few seconds of samples); a larger
// claim is damage, and is refused rather than allocated.
constexpr uint64_t kMaxHeaderBoxSize = 64u << 20;

Status malformed(const std::string& message) { return Status(ErrorCode::kInvalidArgument, message); }

struct Fragment {
  TopLevelBox moof;
  TopLevelBox mdat;
};

struct Layout {
  std::optional<TopLevelBox> moov;  // the first one
  // Further moovs in front of the first fragment: a format change replacing the header was killed between
  // typing the new moov 'moov' and the old one 'free'. Both describe every fragment; the first is read.
  std::vector<TopLevelBox> header_moovs;
  std::vector<Fragment> fragments;
  bool later_moov = false;  // a plain moov written at finish
  bool mfra = false;        // a finished fragmented movie
  std::optional<uint64_t> mdat_before_moov;
};

std::string quoted(const std::string& path) { return "\"" + path + "\""; }

// Whether a moov is a recording's header (with mvex) rather than a finished movie's index.
bool is_header_moov(const InputFile& in, const TopLevelBox& box) {
  if (box.size > kMaxHeaderBoxSize) return false;
  auto bytes = in.read_vector(box.offset + box.header_size, box.size - box.header_size);
  if (!bytes) return false;
  auto movie = parse_moov(*bytes, box.offset + box.header_size);
  return movie && movie->has_mvex;
}

Result<Layout> scan(const InputFile& in) {
  Layout layout;
  uint64_t offset = 0;
  Status stopped;
  while (true) {
    auto next = read_top_level_box(in, offset);
    if (!next) {
      stopped = next.status();
      break;
    }
    if (!next->has_value()) break;
    TopLevelBox box = **next;
    if (box.truncated) break;  // the torn tail
    if (box.type == FourCC("moov")) {
      if (layout.moov && layout.fragments.empty() && is_header_moov(in, box)) {
        layout.header_moovs.push_back(box);
      } else if (layout.moov) {
        layout.later_moov = true;
      } else {
        layout.moov = box;
      }
    } else if (box.type == FourCC("mfra")) {
      layout.mfra = true;
    } else if (box.type == FourCC("moof")) {
      if (!layout.moov)
        return malformed(quoted(in.path()) + ": the moof at offset " + std::to_string(offset) +
                         " comes before any moov");
      auto after = read_top_level_box(in, box.end());
      if (!after) return after.status();
      if (!after->has_value() || (*after)->truncated) break;  // its mdat never made it: torn
      if ((*after)->type != FourCC("mdat")) {
        return malformed(quoted(in.path()) + ": the moof at offset " + std::to_string(offset) + " is followed by '" +
                         (*after)->type.to_string() + "', not by its mdat");
      }
      layout.fragments.push_back({box, **after});
      offset = (*after)->end();
      continue;
    } else if (box.type == FourCC("mdat") && !layout.moov && !layout.mdat_before_moov) {
      layout.mdat_before_moov = offset;
    }
    offset = box.end();
  }
  if (!layout.moov && layout.mdat_before_moov) {
    return Status(ErrorCode::kUnsupported,
                  quoted(in.path()) +
                      " has media but no moov: it was recorded as a plain movie with crash recovery "
                      "off, whose index is only written at finish; it cannot be recovered");
  }
  if (!stopped.is_ok()) return stopped;
  if (!layout.moov) {
    return malformed(quoted(in.path()) + " has no moov: not an MP4/MOV recording (or nothing was recorded yet)");
  }
  return layout;
}

Status already_finished(const std::string& path, const std::string& why, RecoveryReport* report) {
  if (report) report->already_finished = true;
  return Status(ErrorCode::kInvalidState,
                quoted(path) + " is already a finished movie (" + why + "): nothing to recover, play it as it is");
}

// Per track, while the fragments are read.
struct Building {
  SampleTable table;
  ShownPrefix shown;
  // Samples to index; the ones after are read (their decode times still checked) but left out.
  uint32_t limit = std::numeric_limits<uint32_t>::max();
  bool any = false;
  int64_t next_dts = 0;
  int64_t last_dts = 0;
  uint32_t last_duration = 0;  // of the last sample indexed
};

// Refuses a fragment whose runs leave its mdat or whose decode times are out of range, before any of it
// is indexed.
Status check_fragment(const InputFile& in, const Fragment& f, const MovieFragment& fragment) {
  uint64_t moof_offset = f.moof.offset;
  uint64_t payload_begin = f.mdat.offset + f.mdat.header_size;
  uint64_t payload_end = f.mdat.end();
  for (const auto& traf : fragment.tracks) {
    for (const auto& run : traf.runs) {
      if (run.data_size == 0) continue;
      if (run.data_offset < payload_begin || run.data_offset > payload_end ||
          run.data_size > payload_end - run.data_offset) {
        return malformed(quoted(in.path()) + ": the moof at offset " + std::to_string(moof_offset) +
                         " has a run of track " + std::to_string(traf.track_id) + " at bytes [" +
                         std::to_string(run.data_offset) + ", " + std::to_string(run.data_offset + run.data_size) +
                         "), outside its mdat [" + std::to_string(payload_begin) + ", " + std::to_string(payload_end) +
                         ")");
      }
    }
    if (traf.base_decode_time && *traf.base_decode_time > (uint64_t{1} << 62)) {
      return malformed(quoted(in.path()) + ": the moof at offset " + std::to_string(moof_offset) +
                       " has a decode time out of range for track " + std::to_string(traf.track_id));
    }
  }
  return Status::ok();
}

Status add_traf(const InputFile& in, uint64_t moof_offset, const TrackFragmentRuns& traf, Building& b) {
  int64_t dts = traf.base_decode_time ? static_cast<int64_t>(*traf.base_decode_time) : b.next_dts;
  for (const auto& run : traf.runs) {
    if (run.samples.empty()) continue;
    uint32_t room = b.limit - b.table.sample_count();
    auto indexed = static_cast<uint32_t>(std::min<size_t>(run.samples.size(), room));
    if (indexed > 0) b.table.add_chunk(run.data_offset, indexed, traf.description_index);
    for (const auto& s : run.samples) {
      if (b.any && (dts < b.last_dts || dts - b.last_dts > std::numeric_limits<uint32_t>::max())) {
        return malformed(quoted(in.path()) + ": track " + std::to_string(traf.track_id) + " in the moof at offset " +
                         std::to_string(moof_offset) + " decodes at " + std::to_string(dts) +
                         ", not after its previous sample at " + std::to_string(b.last_dts));
      }
      b.shown.add(dts, dts + s.composition_offset);
      if (b.table.sample_count() < b.limit) {
        b.table.add_sample(dts, dts + s.composition_offset, s.size, s.sync);
        b.last_duration = s.duration;
      }
      b.any = true;
      b.last_dts = dts;
      dts += s.duration;
    }
  }
  b.next_dts = dts;
  return Status::ok();
}

Status add_fragment(const InputFile& in, const Fragment& f, const RecordedMovie& movie, std::vector<Building>& tracks) {
  const TopLevelBox& moof = f.moof;
  if (moof.size > kMaxHeaderBoxSize) {
    return malformed(quoted(in.path()) + ": the moof at offset " + std::to_string(moof.offset) + " claims " +
                     std::to_string(moof.size) + " bytes");
  }
  AW_ASSIGN_OR_RETURN(auto bytes, in.read_vector(moof.offset + moof.header_size, moof.size - moof.header_size));
  AW_ASSIGN_OR_RETURN(MovieFragment fragment, parse_moof(bytes, moof.offset, moof.offset + moof.header_size, movie));
  AW_RETURN_IF_ERROR(check_fragment(in, f, fragment));
  for (const auto& traf : fragment.tracks) {
    size_t index = 0;
    while (movie.tracks[index].track_id != traf.track_id) ++index;  // parse_moof checked it exists
    AW_RETURN_IF_ERROR(add_traf(in, moof.offset, traf, tracks[index]));
  }
  return Status::ok();
}

uint64_t to_movie(int64_t ticks, uint32_t media_timescale, uint32_t movie_timescale) {
  if (ticks <= 0) return 0;
  auto v = Time(ticks, static_cast<int32_t>(media_timescale)).rescaled(static_cast<int32_t>(movie_timescale));
  return v && *v > 0 ? static_cast<uint64_t>(*v) : 0;
}

std::string language_of(uint16_t packed) {
  std::string code;
  for (int shift : {10, 5, 0}) code += static_cast<char>(((packed >> shift) & 0x1f) + 0x60);
  return code;  // write_mdhd turns anything but a-z into "und"
}

void write_trak(BoxWriter& w, const RecordedTrack& track, const SampleTable& table, const TrackTimeline& timeline) {
  w.box(FourCC("trak"), [&] {
    TrackHeader tkhd;
    tkhd.creation_time = track.creation_time;
    tkhd.modification_time = track.modification_time;
    tkhd.track_id = track.track_id;
    tkhd.duration = timeline.duration;
    tkhd.enabled = (track.tkhd_flags & 1) != 0;
    tkhd.layer = track.layer;
    tkhd.alternate_group = track.alternate_group;
    tkhd.volume = track.volume / 256.0;  // 8.8 fixed point
    for (size_t i = 0; i < 9; ++i) {
      tkhd.matrix[i] = track.matrix[i] / (i % 3 == 2 ? 1073741824.0 : 65536.0);
    }
    tkhd.width = track.width / 65536.0;
    tkhd.height = track.height / 65536.0;
    write_tkhd(w, tkhd);
    write_edts(w, timeline.edits);
    w.box(FourCC("mdia"), [&] {
      MediaHeader mdhd;
      mdhd.creation_time = track.media_creation_time;
      mdhd.modification_time = track.media_modification_time;
      mdhd.timescale = track.timescale;
      mdhd.duration = table.media_duration();
      mdhd.language = language_of(track.language);
      write_mdhd(w, mdhd);
      w.bytes(track.hdlr);
      w.bytes(track.mdia_extra);
      w.box(FourCC("minf"), [&] {
        w.bytes(track.minf_before_stbl);
        w.box(FourCC("stbl"), [&] {
          w.bytes(track.stsd);  // the recording's sample entries, verbatim
          write_stts(w, table);
          write_ctts(w, table);
          write_stss(w, table);
          write_stsc(w, table);
          write_stsz(w, table);
          write_chunk_offsets(w, table, 0, needs_co64(table, 0));
        });
      });
    });
    w.bytes(track.trak_extra);
  });
}

Status write_output(const InputFile& in, const std::string& out, const Layout& layout, uint64_t copy_end,
                    std::span<const uint8_t> moov) {
  AW_ASSIGN_OR_RETURN(OutputFile file, OutputFile::create(out));
  auto body = [&]() -> Status {
    AW_RETURN_IF_ERROR(file.append_range_of(in.descriptor(), in.path(), 0, copy_end));
    // The recording's headers become padding: the moov appended below indexes the same bytes.
    AW_RETURN_IF_ERROR(hide_box(file, layout.moov->offset));
    for (const TopLevelBox& m : layout.header_moovs) AW_RETURN_IF_ERROR(hide_box(file, m.offset));
    for (const Fragment& f : layout.fragments) AW_RETURN_IF_ERROR(hide_box(file, f.moof.offset));
    AW_RETURN_IF_ERROR(file.append(moov));
    AW_RETURN_IF_ERROR(file.flush_to_disk());
    return file.close();
  };
  Status s = body();
  if (!s) file.remove();
  return s;
}

}  // namespace

TrackTimeline recovered_timeline(const RecordedTrack& track, const SampleTable& table, uint32_t movie_timescale) {
  TrackTimeline timeline;
  if (table.empty()) return timeline;
  // The recording's media edit started at composition time `media_time` on the fragments' decode
  // timeline (signed offsets, no shift); the plain table starts decoding at 0 and shifts its offsets to be
  // non-negative.
  int64_t begin = std::max(track.media_time, table.min_pts());
  int64_t end = table.max_pts_end();
  if (end <= begin) return timeline;
  int64_t media_time = begin + table.composition_shift() - table.first_dts();
  uint64_t media_edit = to_movie(end - begin, track.timescale, movie_timescale);
  timeline.duration = track.empty_edit + media_edit;
  if (track.empty_edit == 0 && media_time == 0) return timeline;
  if (track.empty_edit > 0) timeline.edits.push_back({track.empty_edit, -1});
  timeline.edits.push_back({media_edit, media_time});
  return timeline;
}

std::vector<uint8_t> build_recovered_moov(const RecordedMovie& movie, const std::vector<SampleTable>& tables) {
  std::vector<TrackTimeline> timelines;
  uint64_t duration = 0;
  for (size_t i = 0; i < movie.tracks.size(); ++i) {
    timelines.push_back(recovered_timeline(movie.tracks[i], tables[i], movie.timescale));
    duration = std::max(duration, timelines.back().duration);
  }
  BoxWriter w;
  w.box(FourCC("moov"), [&] {
    MovieHeader mvhd;
    mvhd.creation_time = movie.creation_time;
    mvhd.modification_time = movie.modification_time;
    mvhd.timescale = movie.timescale;
    mvhd.duration = duration;
    mvhd.next_track_id = movie.next_track_id;
    write_mvhd(w, mvhd);
    for (size_t i = 0; i < movie.tracks.size(); ++i) write_trak(w, movie.tracks[i], tables[i], timelines[i]);
    w.bytes(movie.moov_extra);
  });
  return w.take();
}

}  // namespace recovery

namespace {

using namespace recovery;

// The output must be another file than the input, and the input must hold something.
Status check_paths(const InputFile& in, const std::string& input, const std::string& output) {
  struct stat st {};
  if (input == output || (::stat(output.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_dev) == in.device() &&
                          static_cast<uint64_t>(st.st_ino) == in.inode())) {
    return Status(ErrorCode::kInvalidArgument,
                  quoted(output) + " is the input file itself: the recovered movie must go to another file");
  }
  if (in.size() == 0) {
    return malformed(quoted(input) +
                     " is empty: nothing was recorded (a moov-first recording writes its file only "
                     "at finish and cannot be recovered)");
  }
  return Status::ok();
}

// The movie the recording's header moov declares; an error when the file is finished or not a recording.
Result<RecordedMovie> read_recorded_movie(const InputFile& in, const Layout& layout, RecoveryReport* report) {
  const std::string& input = in.path();
  if (layout.mfra) return already_finished(input, "it ends with a fragment index, mfra", report);
  if (layout.later_moov) return already_finished(input, "a complete moov follows its fragments", report);
  const TopLevelBox& moov_box = *layout.moov;
  if (moov_box.size > kMaxHeaderBoxSize) {
    return malformed(quoted(input) + ": the moov at offset " + std::to_string(moov_box.offset) + " claims " +
                     std::to_string(moov_box.size) + " bytes");
  }
  AW_ASSIGN_OR_RETURN(auto moov_bytes,
                      in.read_vector(moov_box.offset + moov_box.header_size, moov_box.size - moov_box.header_size));
  auto parsed = parse_moov(moov_bytes, moov_box.offset + moov_box.header_size);
  if (!parsed && parsed.status().code() == ErrorCode::kUnsupported) {
    return already_finished(input, "its moov indexes samples", report);
  }
  if (!parsed) return parsed.status().with_context(quoted(input));
  if (!parsed->has_mvex) return already_finished(input, "its moov is a plain movie's, without mvex", report);
  if (parsed->tracks.empty()) return malformed(quoted(input) + ": its moov declares no track");
  return parsed;
}

// The recovered tracks: each one's sample table over every complete fragment, and how many samples of
// it were read but left out.
struct Indexed {
  std::vector<SampleTable> tables;
  std::vector<uint32_t> dropped;
};

// Every complete fragment read; each track indexed up to its entry of `limits` (all when empty).
Result<std::vector<Building>> read_fragments(const InputFile& in, const Layout& layout, const RecordedMovie& movie,
                                             std::span<const uint32_t> limits) {
  std::vector<Building> building(movie.tracks.size());
  for (size_t i = 0; i < limits.size(); ++i) building[i].limit = limits[i];
  for (const Fragment& f : layout.fragments) AW_RETURN_IF_ERROR(add_fragment(in, f, movie, building));
  return building;
}

// The last sample lasts what its run says, else as long as the one before it.
uint32_t last_duration_of(const Building& b) {
  uint32_t last = b.last_duration;
  if (last == 0 && !b.table.time_to_sample().empty()) last = b.table.time_to_sample().back().delta;
  return std::max<uint32_t>(last, 1);
}

Result<Indexed> index_fragments(const InputFile& in, const Layout& layout, const RecordedMovie& movie) {
  AW_ASSIGN_OR_RETURN(std::vector<Building> building, read_fragments(in, layout, movie, {}));
  // Samples presented after a hole the kill left are read again and left out: the tables cannot shrink,
  // and reading the moofs twice costs little next to copying the mdats, only after such a kill.
  std::vector<uint32_t> limits;
  Indexed indexed;
  for (const Building& b : building) {
    limits.push_back(b.shown.count(last_duration_of(b)));
    indexed.dropped.push_back(b.table.sample_count() - limits.back());
  }
  if (std::any_of(indexed.dropped.begin(), indexed.dropped.end(), [](uint32_t n) { return n > 0; })) {
    AW_ASSIGN_OR_RETURN(building, read_fragments(in, layout, movie, limits));
  }
  for (Building& b : building) {
    b.table.finish(last_duration_of(b));
    indexed.tables.push_back(std::move(b.table));
  }
  return indexed;
}

void fill_report(RecoveryReport& report, const InputFile& in, const Layout& layout, const RecordedMovie& movie,
                 const Indexed& indexed, uint64_t copy_end) {
  report.fragments = static_cast<uint32_t>(layout.fragments.size());
  report.bytes_kept = copy_end;
  report.bytes_dropped = in.size() - copy_end;
  uint64_t duration = 0;
  for (size_t i = 0; i < movie.tracks.size(); ++i) {
    const RecordedTrack& t = movie.tracks[i];
    const SampleTable& table = indexed.tables[i];
    report.tracks.push_back({t.track_id, t.handler, table.sample_count(),
                             static_cast<double>(table.media_duration()) / t.timescale, indexed.dropped[i]});
    duration = std::max(duration, recovered_timeline(t, table, movie.timescale).duration);
  }
  report.duration_seconds = static_cast<double>(duration) / movie.timescale;
}

}  // namespace

Status recover_movie(const std::string& input, const std::string& output, RecoveryReport* report) {
  if (report) *report = RecoveryReport{};
  if (output.empty()) return Status(ErrorCode::kInvalidArgument, "no output path given");
  AW_ASSIGN_OR_RETURN(recovery::InputFile in, recovery::InputFile::open(input));
  AW_RETURN_IF_ERROR(check_paths(in, input, output));
  AW_ASSIGN_OR_RETURN(Layout layout, scan(in));
  AW_ASSIGN_OR_RETURN(RecordedMovie movie, read_recorded_movie(in, layout, report));
  if (layout.fragments.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  quoted(input) +
                      " holds no complete fragment: the recording stopped before its first fragment was "
                      "written, so there is no media to recover");
  }
  AW_ASSIGN_OR_RETURN(Indexed indexed, index_fragments(in, layout, movie));
  std::vector<uint8_t> moov = build_recovered_moov(movie, indexed.tables);
  uint64_t copy_end = layout.fragments.back().mdat.end();
  AW_RETURN_IF_ERROR(write_output(in, output, layout, copy_end, moov));
  if (report) fill_report(*report, in, layout, movie, indexed, copy_end);
  return Status::ok();
}

}  // namespace aw
