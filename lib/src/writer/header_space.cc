// The order of the writes in replace_moov, and why each step leaves a readable file:
//
//   1. The free bytes on one side of the moov (one or more 'free' boxes) become one 'free' box: an 8-byte
//      header write that changes no byte a reader interprets.
//   2. Inside that box's payload go the new moov, typed 'free', and the header of the 'free' box that will
//      hold what is left: still payload of the one 'free' box.
//   3. The region's header is rewritten to split it: the new moov (typed 'free') and the rest ('free').
//   4. The new moov is retyped 'moov' (4 bytes). The file now has two moovs. ffmpeg reads the first and
//      skips a later one ("duplicated moov atom"), qtdemux keeps the first it got, aw-recover reads the
//      first: whichever that is, both describe every fragment written so far, because no fragment uses
//      the new description before this function returns (the new moov only adds an stsd entry).
//   5. The old moov is retyped 'free' (4 bytes).
//
// The other order of the two type writes (old moov 'free' first) would leave a moment with no moov at
// all: a recording killed then could not be read. Each step is a write of at most one region; with
// `sync` an fdatasync separates them, so a power loss cannot reorder them either.
//
// The new moov goes at the far end of the free side (behind the moov: flush with the end of the space; in
// front: at its start), so the moov alternates between the two ends and the whole free side is available
// to the next change.
#include "writer/header_space.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "boxes/box_writer.h"
#include "boxes/free_space.h"

namespace aw {
namespace {

// A free region [begin, end) and where in it the new moov goes.
struct Placement {
  uint64_t begin = 0;
  uint64_t end = 0;
  uint64_t at = 0;
};

// The rest beside the moov must be nothing or hold a box header.
bool fits(uint64_t region, uint64_t moov) {
  return region >= moov && (region == moov || region - moov >= kBoxHeaderSize);
}

}  // namespace

Status HeaderSpace::replace_moov(ByteSink& file, std::span<const uint8_t> moov, bool sync) {
  const uint64_t n = moov.size();
  const uint64_t behind = moov_offset_ + moov_size_, space_end = offset_ + size_;
  std::optional<Placement> place;
  if (fits(space_end - behind, n)) {
    place = Placement{behind, space_end, space_end - n};
  } else if (fits(moov_offset_ - offset_, n)) {
    place = Placement{offset_, moov_offset_, offset_};
  }
  if (!place) {
    return Status(ErrorCode::kUnsupported,
                  "the header in front of the fragments has no room for a moov of " + std::to_string(n) +
                      " bytes beside the current one of " + std::to_string(moov_size_) + " (" +
                      std::to_string(size_) + " bytes reserved)");
  }
  // One step: a write, then (with `sync`) an fdatasync before the next.
  auto step = [&](Status written) -> Status {
    AW_RETURN_IF_ERROR(written);
    return sync ? file.flush_to_disk() : Status::ok();
  };
  const uint64_t region = place->end - place->begin, rest = region - n;

  // 1. One 'free' box over the region.
  AW_RETURN_IF_ERROR(step(file.write_at(place->begin, free_header(region))));
  // 2. The new moov, typed 'free', and the header of the rest, inside it.
  std::vector<uint8_t> typed_free = retyped_copy(moov, FourCC("free"));
  if (place->at == place->begin) {
    // Its header is the region's own, written in step 3.
    AW_RETURN_IF_ERROR(file.write_at(place->at + kBoxHeaderSize, std::span(typed_free).subspan(kBoxHeaderSize)));
    if (rest > 0) AW_RETURN_IF_ERROR(file.write_at(place->at + n, free_header(rest)));
  } else {
    AW_RETURN_IF_ERROR(file.write_at(place->at, typed_free));
  }
  if (sync) AW_RETURN_IF_ERROR(file.flush_to_disk());
  // 3. Split the region: [new moov][rest] in front, [rest][new moov] behind.
  AW_RETURN_IF_ERROR(step(file.write_at(place->begin, free_header(place->at == place->begin ? n : rest))));
  // 4. Two moovs, both true to every fragment written so far.
  AW_RETURN_IF_ERROR(step(retype_box(file, place->at, FourCC("moov"))));
  // 5. One again.
  AW_RETURN_IF_ERROR(step(hide_box(file, moov_offset_)));
  moov_offset_ = place->at;
  moov_size_ = n;
  return Status::ok();
}

}  // namespace aw
