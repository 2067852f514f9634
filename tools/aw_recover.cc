// aw-recover: turns a recording that was killed (power loss, SIGKILL, a crash) into a finished, plain,
// seekable movie. See aw/recover.h for what can be recovered.
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "aw/recover.h"

namespace {

// Exit codes.
constexpr int kRecovered = 0;
constexpr int kFailed = 1;       // the input cannot be recovered, or reading/writing failed
constexpr int kUsage = 2;        // bad command line
constexpr int kNothingToDo = 3;  // the input is already a finished movie

void usage(FILE* to) {
  std::fputs(
      "Usage: aw-recover [-f] [-q] IN OUT\n"
      "\n"
      "Recovers a recording made with assetwritersink / libassetwriter that was interrupted (killed, power\n"
      "lost, crashed) before it finished. OUT becomes a finished, plain, seekable movie holding every complete\n"
      "fragment of IN; a torn last fragment is dropped, and so are a video track's last frames when they are\n"
      "presented after B-frames that were never written. IN is never modified.\n"
      "\n"
      "Recoverable: the default crash-safe plain mode (crash-recovery-interval) and fragmented mode\n"
      "(fragment-interval). Not recoverable: plain recordings with crash recovery off (crash-recovery-interval=0)\n"
      "and moov-first (faststart) recordings, which write their index only at the end.\n"
      "\n"
      "Options:\n"
      "  -f, --force   overwrite OUT if it exists\n"
      "  -q, --quiet   print nothing on success\n"
      "  -h, --help    show this help\n"
      "\n"
      "Exit status: 0 recovered, 1 cannot recover (the reason is printed), 2 usage error,\n"
      "3 IN is already a finished movie (nothing to do).\n",
      to);
}

const char* kind_of(aw::FourCC handler) {
  if (handler == aw::FourCC("vide")) return "video";
  if (handler == aw::FourCC("soun")) return "audio";
  if (handler == aw::FourCC("text") || handler == aw::FourCC("sbtl")) return "text";
  return "other";
}

}  // namespace

int main(int argc, char** argv) {
  bool force = false, quiet = false;
  std::vector<std::string> paths;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (!options_done && (arg == "-h" || arg == "--help")) {
      usage(stdout);
      return kRecovered;
    } else if (!options_done && (arg == "-f" || arg == "--force")) {
      force = true;
    } else if (!options_done && (arg == "-q" || arg == "--quiet")) {
      quiet = true;
    } else if (!options_done && arg == "--") {
      options_done = true;
    } else if (!options_done && arg.size() > 1 && arg[0] == '-') {
      std::fprintf(stderr, "aw-recover: unknown option '%s'\n", arg.c_str());
      usage(stderr);
      return kUsage;
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.size() != 2) {
    std::fprintf(stderr, "aw-recover: expected an input and an output file, got %zu argument%s\n", paths.size(),
                 paths.size() == 1 ? "" : "s");
    usage(stderr);
    return kUsage;
  }
  const std::string& in = paths[0];
  const std::string& out = paths[1];
  struct stat st {};
  if (!force && ::stat(out.c_str(), &st) == 0) {
    std::fprintf(stderr, "aw-recover: \"%s\" exists; pass -f to overwrite it\n", out.c_str());
    return kUsage;
  }

  aw::RecoveryReport report;
  aw::Status status = aw::recover_movie(in, out, &report);
  if (!status) {
    std::fprintf(stderr, "aw-recover: %s\n", status.message().c_str());
    return report.already_finished ? kNothingToDo : kFailed;
  }
  if (!quiet) {
    std::printf("recovered %u fragment%s, %.3f s, into \"%s\"\n", report.fragments, report.fragments == 1 ? "" : "s",
                report.duration_seconds, out.c_str());
    for (const auto& t : report.tracks) {
      std::printf("  track %u (%s): %u samples, %.3f s\n", t.track_id, kind_of(t.handler), t.sample_count,
                  t.media_seconds);
      if (t.dropped_samples > 0) {
        // Frames presented after a hole in the presentation cannot be shown without it: say what went.
        std::printf(
            "  track %u: left out its last %u sample%s in decode order, from a frame presented after frames\n"
            "    that were never written (a P-frame's lost B-frames): it ends at its last frame before that hole\n",
            t.track_id, t.dropped_samples, t.dropped_samples == 1 ? "" : "s");
      }
    }
    if (report.bytes_dropped > 0) {
      std::printf("dropped the last %llu bytes of \"%s\": a fragment that was still being written\n",
                  static_cast<unsigned long long>(report.bytes_dropped), in.c_str());
    }
  }
  return kRecovered;
}
