// FragmentedHeader: what goes in front of the first fragment of a fragmented movie or a crash-safe
// recording — ftyp, a moov with mvex listing every sample description the tracks have, and a 'free'
// reserve — and the moov's later replacements there (a format change, the real durations at finish).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "aw/status.h"
#include "io/byte_sink.h"
#include "writer/header_space.h"
#include "writer/movie_state.h"

namespace aw {

class FragmentedHeader {
 public:
  // `stays_fragmented`: the fragments are what readers play (a fragmented movie), not a recording that
  // becomes a plain movie at finish.
  FragmentedHeader(const MovieState& movie, bool stays_fragmented) : movie_(movie), stays_fragmented_(stays_fragmented) {}

  // The header bytes, given each track's media in the first fragment (its edit lists start there).
  std::vector<uint8_t> build(std::span<const MediaExtent> extents);
  // A track got a further sample description: the moov in front of the fragments is replaced by one that
  // lists it (HeaderSpace::replace_moov; kUnsupported with the file untouched when it has no room).
  Status add_description(ByteSink& file, bool sync);
  // Writes `moov` over the whole space, wherever a format change left the current one, if it fits;
  // otherwise leaves the current moov (still a valid movie: open-ended edits, no duration).
  Status rewrite(ByteSink& file, std::span<const uint8_t> moov);

  const HeaderSpace& space() const { return space_; }

 private:
  // The moov with every sample description the tracks have now.
  std::vector<uint8_t> moov() const;

  const MovieState& movie_;
  bool stays_fragmented_;
  HeaderSpace space_;
  std::vector<MediaExtent> extents_;  // what the edit lists were built from
};

}  // namespace aw
