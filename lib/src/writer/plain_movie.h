// PlainMovie: ftyp, one mdat, the moov at the end — what every muxer writes. Not crash-safe: a recording
// that dies before finish has no index (CrashSafeRecording is the element's default for live sources).
#pragma once

#include "writer/single_mdat.h"

namespace aw {

class PlainMovie : public SingleMdatMovie {
 public:
  explicit PlainMovie(MovieState& movie) : SingleMdatMovie(movie) {}

  Status start() override { return open(0); }
  Status finish() override;
};

}  // namespace aw
