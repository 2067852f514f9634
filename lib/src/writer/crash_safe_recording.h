// CrashSafeRecording: a plain movie recorded so that a kill, a power loss or a full disk never leaves an
// unplayable file. While recording, the file is a fragmented movie (ftyp, moov, moof+mdat every crash
// recovery interval, each synced before it counts): a killed recording plays up to its last fragment, and
// aw-recover makes it a finished movie. At finish the complete index goes after the last fragment, then
// the fragment headers and the first moov become 'free': a plain movie whose mdats are the fragments'
// (chunk offsets are file offsets), with no byte of media moved.
#pragma once

#include "writer/fragment_file.h"

namespace aw {

class CrashSafeRecording : public FragmentFile {
 public:
  explicit CrashSafeRecording(MovieState& movie) : FragmentFile(movie, false) {}

  Status start() override;
  Status finish() override;

 private:
  // The chapter titles, in an mdat of their own after the last fragment; returns their file offset.
  Result<uint64_t> append_chapter_samples(std::span<const uint8_t> samples);
};

}  // namespace aw
