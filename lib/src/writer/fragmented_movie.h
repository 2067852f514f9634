// FragmentedMovie: ftyp, a moov with mvex, then moof+mdat fragments of the movie fragment interval, each
// complete and playable once written (AVAssetWriter's movieFragmentInterval). At finish an mfra indexes
// the sync samples and the moov is rewritten in place with the real durations — unless the fragments are
// combinable, whose file ends with its last fragment (docs/fragments.md).
#pragma once

#include <vector>

#include "writer/fragment_file.h"

namespace aw {

class FragmentedMovie : public FragmentFile {
 public:
  explicit FragmentedMovie(MovieState& movie) : FragmentFile(movie, true) {}

  Status start() override;
  Status finish() override;
  // Each fragment indexes itself (trun); the moov indexes no sample.
  bool keeps_full_index() const override { return false; }

 private:
  // The moov rewritten at finish: every track's extent and duration over all fragments.
  // Records the duration it declares in movie_.final_duration.
  std::vector<uint8_t> final_moov();
};

}  // namespace aw
