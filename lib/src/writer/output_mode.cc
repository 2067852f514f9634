#include "writer/output_mode.h"

#include "writer/crash_safe_recording.h"
#include "writer/fragmented_movie.h"
#include "writer/moov_first_movie.h"
#include "writer/plain_movie.h"
#include "writer/segment_stream.h"

namespace aw {

Result<bool> OutputMode::cut_segment() {
  return Status(ErrorCode::kInvalidState, "flush_segment needs a writer made for segments");
}

OutputLayout choose_output_layout(const WriterSettings& settings, bool segments) {
  if (segments) return OutputLayout::kSegments;
  if (settings.movie_fragment_interval.is_numeric()) return OutputLayout::kFragmented;
  if (settings.optimize_for_network_use) return OutputLayout::kMoovFirst;
  if (settings.crash_recovery_interval.is_numeric()) return OutputLayout::kCrashSafe;
  return OutputLayout::kPlain;
}

bool layout_holds_chapters(OutputLayout layout) {
  return layout != OutputLayout::kFragmented && layout != OutputLayout::kSegments;
}

bool layout_holds_sparse_tracks(OutputLayout layout) { return layout != OutputLayout::kSegments; }

std::unique_ptr<OutputMode> make_output_mode(OutputLayout layout, MovieState& movie, SegmentDelegate* delegate) {
  switch (layout) {
    case OutputLayout::kPlain: return std::make_unique<PlainMovie>(movie);
    case OutputLayout::kMoovFirst: return std::make_unique<MoovFirstMovie>(movie);
    case OutputLayout::kCrashSafe: return std::make_unique<CrashSafeRecording>(movie);
    case OutputLayout::kFragmented: return std::make_unique<FragmentedMovie>(movie);
    case OutputLayout::kSegments: return std::make_unique<SegmentStream>(movie, *delegate);
  }
  return nullptr;
}

}  // namespace aw
