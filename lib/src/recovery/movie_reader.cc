#include "recovery/movie_reader.h"

#include <algorithm>
#include <limits>

namespace aw::recovery {
namespace {

Status malformed(const std::string& message) { return Status(ErrorCode::kInvalidArgument, message); }

std::string box_at(const RawBox& box) { return box_name(box.type, box.offset); }

// A box of which the caller read only the payload (at `payload_offset`), for read_children and messages.
RawBox payload_only(FourCC type, uint64_t offset, uint64_t payload_offset, std::span<const uint8_t> payload) {
  RawBox box;
  box.type = type;
  box.offset = offset;
  box.header_size = static_cast<uint32_t>(payload_offset - offset);
  box.size = box.header_size + payload.size();
  box.payload = payload;
  return box;
}

Status truncated(const RawBox& box) { return malformed(box_at(box) + " is shorter than its fields"); }

std::vector<uint8_t> copy_of(std::span<const uint8_t> bytes) { return {bytes.begin(), bytes.end()}; }

void append(std::vector<uint8_t>& to, std::span<const uint8_t> bytes) {
  to.insert(to.end(), bytes.begin(), bytes.end());
}

const RawBox* find(const std::vector<RawBox>& boxes, FourCC type) {
  for (const auto& b : boxes) {
    if (b.type == type) return &b;
  }
  return nullptr;
}

// Every box here may appear once: a second one is hostile or not ours.
Result<const RawBox*> find_one(const std::vector<RawBox>& boxes, FourCC type, const std::string& where, bool required) {
  const RawBox* found = nullptr;
  for (const auto& b : boxes) {
    if (b.type != type) continue;
    if (found) return malformed(where + " holds two " + box_at(b));
    found = &b;
  }
  if (!found && required) return malformed(where + " has no '" + type.to_string() + "' box");
  return found;
}

Status parse_tkhd(const RawBox& box, RecordedTrack& t) {
  Cursor c(box.payload);
  uint8_t version = c.u8();
  t.tkhd_flags = c.u24();
  if (version > 1) return malformed(box_at(box) + " has unknown version " + std::to_string(version));
  t.creation_time = version == 1 ? c.u64() : c.u32();
  t.modification_time = version == 1 ? c.u64() : c.u32();
  t.track_id = c.u32();
  c.skip(4);
  c.skip(version == 1 ? 8 : 4);  // duration: recomputed from the samples
  c.skip(8);
  t.layer = static_cast<int16_t>(c.u16());
  t.alternate_group = c.u16();
  t.volume = c.u16();
  c.skip(2);
  for (int32_t& m : t.matrix) m = static_cast<int32_t>(c.u32());
  t.width = c.u32();
  t.height = c.u32();
  if (c.failed()) return truncated(box);
  if (t.track_id == 0) return malformed(box_at(box) + " declares track id 0");
  return Status::ok();
}

Status parse_elst(const RawBox& box, RecordedTrack& t) {
  Cursor c(box.payload);
  uint8_t version = c.u8();
  c.u24();
  if (version > 1) return malformed(box_at(box) + " has unknown version " + std::to_string(version));
  uint32_t count = c.u32();
  size_t entry_size = version == 1 ? 20 : 12;
  if (c.failed() || count > c.remaining() / entry_size) return truncated(box);
  // The writer's open-ended timeline: empty edits first, then the media edit; only where the media
  // starts matters, the durations are recomputed from the samples.
  bool media_edit = false;
  for (uint32_t i = 0; i < count && !media_edit; ++i) {
    uint64_t duration = version == 1 ? c.u64() : c.u32();
    int64_t media_time = version == 1 ? static_cast<int64_t>(c.u64()) : static_cast<int32_t>(c.u32());
    c.skip(4);  // rate
    if (media_time == -1) {
      if (duration > std::numeric_limits<uint64_t>::max() - t.empty_edit) return malformed(box_at(box) + " overflows");
      t.empty_edit += duration;
    } else if (media_time < 0) {
      return malformed(box_at(box) + " has media time " + std::to_string(media_time));
    } else {
      t.media_time = media_time;
      media_edit = true;
    }
  }
  if (c.failed()) return truncated(box);
  return Status::ok();
}

Status parse_mdhd(const RawBox& box, RecordedTrack& t) {
  Cursor c(box.payload);
  uint8_t version = c.u8();
  c.u24();
  if (version > 1) return malformed(box_at(box) + " has unknown version " + std::to_string(version));
  t.media_creation_time = version == 1 ? c.u64() : c.u32();
  t.media_modification_time = version == 1 ? c.u64() : c.u32();
  t.timescale = c.u32();
  c.skip(version == 1 ? 8 : 4);
  t.language = c.u16();
  if (c.failed()) return truncated(box);
  if (t.timescale == 0 || t.timescale > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
    return malformed(box_at(box) + " has timescale " + std::to_string(t.timescale));
  }
  return Status::ok();
}

// stsd is copied verbatim; what is checked is that the moov indexes no samples itself (a recording's
// first moov has empty tables: every sample is in a fragment).
Status parse_stbl(const RawBox& stbl, RecordedTrack& t) {
  AW_ASSIGN_OR_RETURN(auto children, read_children(stbl));
  AW_ASSIGN_OR_RETURN(const RawBox* stsd, find_one(children, FourCC("stsd"), box_at(stbl), true));
  Cursor c(stsd->payload);
  c.u32();
  uint32_t entries = c.u32();
  if (c.failed()) return truncated(*stsd);
  if (entries == 0) return malformed(box_at(*stsd) + " has no sample entry");
  t.stsd = copy_of(stsd->whole);
  t.description_count = entries;
  for (FourCC sizes : {FourCC("stsz"), FourCC("stz2")}) {
    const RawBox* b = find(children, sizes);
    if (!b) continue;
    Cursor s(b->payload);
    s.skip(8);
    uint32_t count = s.u32();
    if (s.failed()) return truncated(*b);
    if (count != 0) {
      return Status(ErrorCode::kUnsupported,
                    box_at(*b) + " indexes " + std::to_string(count) +
                        " samples: the moov is a finished index, not the header of a recording in fragments");
    }
  }
  return Status::ok();
}

Status parse_minf(const RawBox& minf, RecordedTrack& t) {
  AW_ASSIGN_OR_RETURN(auto children, read_children(minf));
  AW_ASSIGN_OR_RETURN(const RawBox* stbl, find_one(children, FourCC("stbl"), box_at(minf), true));
  for (const auto& b : children) {
    if (&b != stbl) append(t.minf_before_stbl, b.whole);
  }
  return parse_stbl(*stbl, t);
}

Status parse_mdia(const RawBox& mdia, RecordedTrack& t) {
  AW_ASSIGN_OR_RETURN(auto children, read_children(mdia));
  std::string where = box_at(mdia);
  AW_ASSIGN_OR_RETURN(const RawBox* mdhd, find_one(children, FourCC("mdhd"), where, true));
  AW_ASSIGN_OR_RETURN(const RawBox* hdlr, find_one(children, FourCC("hdlr"), where, true));
  AW_ASSIGN_OR_RETURN(const RawBox* minf, find_one(children, FourCC("minf"), where, true));
  AW_RETURN_IF_ERROR(parse_mdhd(*mdhd, t));
  Cursor c(hdlr->payload);
  c.skip(8);
  t.handler = FourCC(c.u32());
  if (c.failed()) return truncated(*hdlr);
  t.hdlr = copy_of(hdlr->whole);
  for (const auto& b : children) {
    if (&b != mdhd && &b != hdlr && &b != minf) append(t.mdia_extra, b.whole);
  }
  return parse_minf(*minf, t);
}

Status parse_trak(const RawBox& trak, RecordedTrack& t) {
  AW_ASSIGN_OR_RETURN(auto children, read_children(trak));
  std::string where = box_at(trak);
  AW_ASSIGN_OR_RETURN(const RawBox* tkhd, find_one(children, FourCC("tkhd"), where, true));
  AW_ASSIGN_OR_RETURN(const RawBox* mdia, find_one(children, FourCC("mdia"), where, true));
  AW_ASSIGN_OR_RETURN(const RawBox* edts, find_one(children, FourCC("edts"), where, false));
  AW_RETURN_IF_ERROR(parse_tkhd(*tkhd, t));
  if (edts) {
    AW_ASSIGN_OR_RETURN(auto edits, read_children(*edts));
    AW_ASSIGN_OR_RETURN(const RawBox* elst, find_one(edits, FourCC("elst"), box_at(*edts), false));
    if (elst) AW_RETURN_IF_ERROR(parse_elst(*elst, t));
  }
  AW_RETURN_IF_ERROR(parse_mdia(*mdia, t));
  for (const auto& b : children) {
    if (&b != tkhd && &b != mdia && &b != edts) append(t.trak_extra, b.whole);
  }
  return Status::ok();
}

Status parse_mvex(const RawBox& mvex, RecordedMovie& movie) {
  AW_ASSIGN_OR_RETURN(auto children, read_children(mvex));
  for (const auto& b : children) {
    if (b.type != FourCC("trex")) continue;
    Cursor c(b.payload);
    c.u32();
    uint32_t id = c.u32();
    TrackDefaults d;
    d.description_index = c.u32();
    d.duration = c.u32();
    d.size = c.u32();
    d.flags = c.u32();
    if (c.failed()) return truncated(b);
    auto track =
        std::find_if(movie.tracks.begin(), movie.tracks.end(), [&](const auto& t) { return t.track_id == id; });
    if (track == movie.tracks.end())
      return malformed(box_at(b) + " is for track " + std::to_string(id) + ", which has no trak");
    track->defaults = d;
  }
  return Status::ok();
}

// sample_flags (8.8.3.1): sample_is_non_sync_sample.
constexpr uint32_t kNonSync = 0x00010000;

// tfhd flags (8.8.7.1)
constexpr uint32_t kBaseDataOffset = 0x000001;
constexpr uint32_t kDescriptionIndex = 0x000002;
constexpr uint32_t kDefaultDuration = 0x000008;
constexpr uint32_t kDefaultSize = 0x000010;
constexpr uint32_t kDefaultFlags = 0x000020;
constexpr uint32_t kDefaultBaseIsMoof = 0x020000;
// trun flags (8.8.8.1)
constexpr uint32_t kDataOffset = 0x000001;
constexpr uint32_t kFirstSampleFlags = 0x000004;
constexpr uint32_t kSampleDuration = 0x000100;
constexpr uint32_t kSampleSize = 0x000200;
constexpr uint32_t kSampleFlags = 0x000400;
constexpr uint32_t kCompositionOffset = 0x000800;

// No real fragment holds this many samples in one run; a larger count is hostile (and would allocate
// without bound when every field comes from defaults).
constexpr uint32_t kMaxRunSamples = 1u << 24;

Status parse_traf(const RawBox& traf, uint64_t moof_offset, bool first_traf, uint64_t& previous_data_end,
                  const RecordedMovie& movie, TrackFragmentRuns& out) {
  AW_ASSIGN_OR_RETURN(auto children, read_children(traf));
  AW_ASSIGN_OR_RETURN(const RawBox* tfhd, find_one(children, FourCC("tfhd"), box_at(traf), true));
  AW_ASSIGN_OR_RETURN(const RawBox* tfdt, find_one(children, FourCC("tfdt"), box_at(traf), false));

  Cursor h(tfhd->payload);
  h.u8();
  uint32_t flags = h.u24();
  out.track_id = h.u32();
  const RecordedTrack* track = movie.track(out.track_id);
  if (!track && !h.failed()) {
    return malformed(box_at(*tfhd) + " is for track " + std::to_string(out.track_id) +
                     ", which the moov does not declare");
  }
  TrackDefaults d = track ? track->defaults : TrackDefaults{};
  // Without a base offset or default-base-is-moof, the first traf's data starts at the moof and each
  // later traf's where the previous one's ended (8.8.7.1).
  uint64_t base = first_traf ? moof_offset : previous_data_end;
  if (flags & kBaseDataOffset) {
    base = h.u64();
  } else if (flags & kDefaultBaseIsMoof) {
    base = moof_offset;
  }
  if (flags & kDescriptionIndex) d.description_index = h.u32();
  if (flags & kDefaultDuration) d.duration = h.u32();
  if (flags & kDefaultSize) d.size = h.u32();
  if (flags & kDefaultFlags) d.flags = h.u32();
  if (h.failed()) return truncated(*tfhd);
  // After a format change the fragments name a later stsd entry, which the moov (rewritten by the writer
  // at the change) must declare.
  if (track && (d.description_index == 0 || d.description_index > track->description_count)) {
    return malformed(box_at(*tfhd) + " uses sample description " + std::to_string(d.description_index) +
                     ", but track " + std::to_string(out.track_id) + "'s stsd has " +
                     std::to_string(track->description_count));
  }
  out.description_index = d.description_index;

  if (tfdt) {
    Cursor c(tfdt->payload);
    uint8_t version = c.u8();
    c.u24();
    if (version > 1) return malformed(box_at(*tfdt) + " has unknown version " + std::to_string(version));
    out.base_decode_time = version == 1 ? c.u64() : c.u32();
    if (c.failed()) return truncated(*tfdt);
  }

  uint64_t next = base;  // a trun without a data offset continues where the previous one ended
  for (const auto& b : children) {
    if (b.type != FourCC("trun")) continue;
    Cursor c(b.payload);
    c.u8();
    uint32_t tflags = c.u24();
    uint32_t count = c.u32();
    FragmentRun run;
    run.data_offset = next;
    if (tflags & kDataOffset) {
      auto offset = static_cast<int32_t>(c.u32());
      if (offset < 0 && static_cast<uint64_t>(-static_cast<int64_t>(offset)) > base) {
        return malformed(box_at(b) + " has a data offset before the start of the file");
      }
      run.data_offset = static_cast<uint64_t>(static_cast<int64_t>(base) + offset);
    }
    uint32_t first_flags = (tflags & kFirstSampleFlags) ? c.u32() : d.flags;
    size_t per_sample = 4 * (((tflags & kSampleDuration) != 0) + ((tflags & kSampleSize) != 0) +
                             ((tflags & kSampleFlags) != 0) + ((tflags & kCompositionOffset) != 0));
    if (c.failed()) return truncated(b);
    if (count > kMaxRunSamples || (per_sample > 0 && count > c.remaining() / per_sample)) {
      return malformed(box_at(b) + " claims " + std::to_string(count) + " samples, more than it holds");
    }
    run.samples.resize(count);
    for (uint32_t i = 0; i < count; ++i) {
      RunSample& s = run.samples[i];
      s.duration = (tflags & kSampleDuration) ? c.u32() : d.duration;
      s.size = (tflags & kSampleSize) ? c.u32() : d.size;
      uint32_t sample_flags = (tflags & kSampleFlags) ? c.u32() : (i == 0 ? first_flags : d.flags);
      // Version 0 offsets are unsigned in the spec, but writers put signed values there too.
      s.composition_offset = (tflags & kCompositionOffset) ? static_cast<int32_t>(c.u32()) : 0;
      s.sync = (sample_flags & kNonSync) == 0;
      run.data_size += s.size;
    }
    if (c.failed()) return truncated(b);
    if (run.data_size > std::numeric_limits<uint64_t>::max() - run.data_offset)
      return malformed(box_at(b) + " overflows");
    next = run.data_offset + run.data_size;
    out.runs.push_back(std::move(run));
  }
  previous_data_end = next;
  return Status::ok();
}

}  // namespace

Result<std::optional<TopLevelBox>> read_top_level_box(const InputFile& file, uint64_t offset) {
  if (offset >= file.size()) return std::optional<TopLevelBox>();
  const uint64_t left = file.size() - offset;
  uint8_t head[16] = {};
  std::span<uint8_t> available(head, static_cast<size_t>(std::min<uint64_t>(left, sizeof head)));
  AW_RETURN_IF_ERROR(file.read_at(offset, available));
  auto box = read_box_header(available, offset, left);
  if (!box) {
    return malformed("\"" + file.path() + "\": " + box.status().message() + ": not an MP4/MOV file, or damaged");
  }
  return std::optional<TopLevelBox>(*box);
}

const RecordedTrack* RecordedMovie::track(uint32_t id) const {
  for (const auto& t : tracks) {
    if (t.track_id == id) return &t;
  }
  return nullptr;
}

Result<RecordedMovie> parse_moov(std::span<const uint8_t> payload, uint64_t payload_offset) {
  RecordedMovie movie;
  const RawBox moov = payload_only(FourCC("moov"), payload_offset - 8, payload_offset, payload);
  const std::string where = box_at(moov);
  AW_ASSIGN_OR_RETURN(auto children, read_children(moov));
  AW_ASSIGN_OR_RETURN(const RawBox* mvhd, find_one(children, FourCC("mvhd"), where, true));
  AW_ASSIGN_OR_RETURN(const RawBox* mvex, find_one(children, FourCC("mvex"), where, false));
  {
    Cursor c(mvhd->payload);
    uint8_t version = c.u8();
    c.u24();
    if (version > 1) return malformed(box_at(*mvhd) + " has unknown version " + std::to_string(version));
    movie.creation_time = version == 1 ? c.u64() : c.u32();
    movie.modification_time = version == 1 ? c.u64() : c.u32();
    movie.timescale = c.u32();
    c.skip(version == 1 ? 8 : 4);
    c.skip(4 + 2 + 10 + 36 + 24);  // rate, volume, reserved, matrix, pre_defined
    movie.next_track_id = c.u32();
    if (c.failed()) return truncated(*mvhd);
    if (movie.timescale == 0 || movie.timescale > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
      return malformed(box_at(*mvhd) + " has timescale " + std::to_string(movie.timescale));
    }
  }
  for (const auto& b : children) {
    if (b.type == FourCC("trak")) {
      RecordedTrack track;
      AW_RETURN_IF_ERROR(parse_trak(b, track));
      if (movie.track(track.track_id)) {
        return malformed(box_at(b) + " repeats track id " + std::to_string(track.track_id));
      }
      movie.tracks.push_back(std::move(track));
    } else if (&b != mvhd && &b != mvex) {
      append(movie.moov_extra, b.whole);
    }
  }
  movie.has_mvex = mvex != nullptr;
  if (mvex) AW_RETURN_IF_ERROR(parse_mvex(*mvex, movie));
  return movie;
}

Result<MovieFragment> parse_moof(std::span<const uint8_t> payload, uint64_t moof_offset, uint64_t payload_offset,
                                 const RecordedMovie& movie) {
  MovieFragment fragment;
  const RawBox moof = payload_only(FourCC("moof"), moof_offset, payload_offset, payload);
  const std::string where = box_at(moof);
  AW_ASSIGN_OR_RETURN(auto children, read_children(moof));
  AW_ASSIGN_OR_RETURN(const RawBox* mfhd, find_one(children, FourCC("mfhd"), where, true));
  Cursor c(mfhd->payload);
  c.u32();
  fragment.sequence_number = c.u32();
  if (c.failed()) return truncated(*mfhd);
  bool first = true;
  uint64_t previous_end = moof_offset;
  for (const auto& b : children) {
    if (b.type != FourCC("traf")) continue;
    TrackFragmentRuns traf;
    AW_RETURN_IF_ERROR(parse_traf(b, moof_offset, first, previous_end, movie, traf));
    for (const auto& other : fragment.tracks) {
      if (other.track_id == traf.track_id) {
        return malformed(box_at(b) + " is a second traf for track " + std::to_string(traf.track_id));
      }
    }
    fragment.tracks.push_back(std::move(traf));
    first = false;
  }
  return fragment;
}

}  // namespace aw::recovery
