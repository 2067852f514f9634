// PlainMovie: ftyp, one mdat, the moov at the end — what every muxer writes. Not crash-safe: a recording
// that dies before finish has no index (CrashSafeRecording is the element's default for live sources).
#pragma once

#include <optional>

#include "writer/output_mode.h"
#include "writer/single_mdat.h"

namespace aw {

class PlainMovie : public OutputMode {
 public:
  explicit PlainMovie(MovieState& movie) : movie_(movie) {}

  Status start() override;
  Status write_chunk(size_t track, std::span<PendingSample> samples) override;
  Status finish() override;
  void cancel() override;

 private:
  MovieState& movie_;
  std::optional<OutputFile> output_;
  std::optional<MediaData> media_;
  SingleMdatHead head_;
};

}  // namespace aw
