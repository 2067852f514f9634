// OutputMode: how a movie is laid out — one class per layout, chosen once at start_writing():
//
//   PlainMovie          ftyp, one mdat, moov at the end                        plain_movie.cc
//   MoovFirstMovie      ftyp, moov, mdat (a reserved header or one copy)       moov_first_movie.cc
//   CrashSafeRecording  fragments while recording, a plain movie at finish     crash_safe_recording.cc
//   FragmentedMovie     ftyp, moov, moof+mdat fragments, mfra                  fragmented_movie.cc
//   SegmentStream       initialization + media segments to a delegate         segment_stream.cc
//
// The core (writer_core.cc) validates and records samples, interleaves them and hands each chunk to the
// mode; the mode decides where the bytes go and what the index looks like.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "aw/segments.h"
#include "aw/status.h"
#include "writer/interleaver.h"
#include "writer/movie_state.h"

namespace aw {

class OutputMode {
 public:
  virtual ~OutputMode() = default;

  // Creates the output (a file and its first bytes); the tracks and settings are final by now.
  virtual Status start() = 0;
  // One interleaved chunk of a track's samples, in decode order.
  virtual Status write_chunk(size_t track, std::span<PendingSample> samples) = 0;
  // After each round of chunks: fragments whose end is now known go out.
  virtual Status write_ready() { return Status::ok(); }
  // A track was marked finished: a fragment end may no longer wait for it.
  virtual void track_finished() {}
  // A track got a further sample description (its TrackState already lists it). kUnsupported refuses the
  // change with the output untouched; any other error fails the writer.
  virtual Status format_added() { return Status::ok(); }
  // flush_segment(): end the current segment after everything appended so far, then the core writes out
  // what is queued.
  // Returns whether a cut was requested (nothing appended yet: the first segment starts anyway).
  virtual Result<bool> cut_segment();
  // Every chunk has been written: complete the output.
  virtual Status finish() = 0;
  // Removes what was written (the writer was cancelled or failed).
  virtual void cancel() = 0;
  // The interleaver's window for the configured one: a mode that hands out media at a finer grain than
  // the window would otherwise wait for it.
  virtual Time interleave_interval(const Time& configured) const { return configured; }
  // Whether the tracks' sample tables must hold every sample (a moov indexing the whole movie is written),
  // or only the fragment being written does.
  virtual bool keeps_full_index() const { return true; }
};

enum class OutputLayout { kPlain, kMoovFirst, kCrashSafe, kFragmented, kSegments };

// The layout the settings ask for. `segments`: the writer was made for a segment delegate.
OutputLayout choose_output_layout(const WriterSettings& settings, bool segments);
// Chapters are a track of a movie indexed as a whole; sparse tracks have no place in segments.
bool layout_holds_chapters(OutputLayout layout);
bool layout_holds_sparse_tracks(OutputLayout layout);

// The mode for `layout`, writing `movie` (which outlives it). `delegate` receives segments.
std::unique_ptr<OutputMode> make_output_mode(OutputLayout layout, MovieState& movie, SegmentDelegate* delegate);

}  // namespace aw
