// MoovFirstMovie: ftyp, moov, then the mdat ("optimised for network use": a player can start before the
// whole file arrives). Two ways to get the index in front of media written before it is known:
//   - reserved: room for the moov is reserved in front of the mdat (a size given, or estimated from the
//     overall duration hint) and the moov is written into it at finish — no second pass. A moov that
//     outgrew the room falls back to one copy, as below.
//   - copied: the media goes to a temporary file beside the output, and at finish the head is written and
//     the media copied behind it in one sequential pass (never through memory).
#pragma once

#include <optional>

#include "writer/single_mdat.h"

namespace aw {

class MoovFirstMovie : public SingleMdatMovie {
 public:
  explicit MoovFirstMovie(MovieState& movie) : SingleMdatMovie(movie) {}
  ~MoovFirstMovie() override;

  Status start() override;
  Status finish() override;
  void cancel() override;

 private:
  // Bytes to reserve for the moov (0: none; the media is copied once at finish).
  uint64_t reservation() const;
  Status finish_into_reservation(std::span<const TrackSummary> summaries);
  // The moov did not fit: one sequential copy of the media behind a new head, in a new file that then
  // replaces the output.
  Status finish_by_copy(std::span<const TrackSummary> summaries);

  std::optional<OutputFile> media_file_;  // the copied variant's temporary file
  uint64_t reserved_ = 0;
};

}  // namespace aw
