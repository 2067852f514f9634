// Recovery of a killed recording: turns what a writer left behind when its process died into a finished,
// plain, seekable movie.
//
// Recoverable: files written in the default crash-safe plain mode (set_crash_recovery_interval, default
// 2 s) and in fragmented mode (set_movie_fragment_interval), which both start with a moov that indexes no
// samples, followed by moof+mdat fragments. Every complete fragment (a box typed 'moof' followed by its
// whole mdat) is kept; a torn last fragment (still typed 'free', or cut short) is dropped.
// Not recoverable: plain movies written with set_crash_recovery_interval(Time::invalid()) (one mdat, the
// index only written at finish) and moov-first movies (set_should_optimize_for_network_use: the output is
// written only at finish). A finished movie needs no recovery and is refused.
//
// The output is the input's bytes up to the end of the last complete fragment (copied by the kernel where
// the file systems allow), with the first moov and every moof turned into 'free' boxes, followed by a new
// complete moov: durations, edit lists and sample tables computed from the fragments' samples. The movie
// shows only what can be shown without a hole: a track's last frames that present after frames the kill
// lost are left out of its sample table (see RecoveredTrack::dropped_samples).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aw/fourcc.h"
#include "aw/status.h"

namespace aw {

struct RecoveredTrack {
  uint32_t track_id = 0;
  FourCC handler;  // 'vide', 'soun', ...
  uint32_t sample_count = 0;
  double media_seconds = 0;  // sum of the sample durations
  // Samples of the complete fragments left out: a reordered (B-frame) stream's last frames that present
  // after frames the kill lost (a P-frame whose B-frames were never written), and the frames decoded after
  // them that reference them. No edit could show them without showing the hole.
  uint32_t dropped_samples = 0;
};

struct RecoveryReport {
  // The input is a finished movie (a complete moov at its end, an mfra, or a moov with samples): nothing
  // was written.
  bool already_finished = false;
  uint32_t fragments = 0;       // complete fragments kept
  uint64_t bytes_kept = 0;      // of the input, copied to the output
  uint64_t bytes_dropped = 0;   // the torn tail of the input
  double duration_seconds = 0;  // of the recovered movie
  std::vector<RecoveredTrack> tracks;
};

// Writes the recovered movie of `input` to `output` (created or truncated; never the input itself).
// Errors name the file and the problem; on error no output file is left behind.
Status recover_movie(const std::string& input, const std::string& output, RecoveryReport* report = nullptr);

}  // namespace aw
