// The library alone, no GStreamer: appends synthetic H.264 (with B-frame reordering) and AAC or PCM samples
// in decode order, as the element does, and prints what the core costs per sample.
//
//   lib_bench OUTPUT [--seconds S] [--fps F] [--video-bytes N] [--audio aac|pcm|none] [--moov-first]
//             [--plain (one mdat, no crash-safe fragments)] [--no-sync (crash-safe fragments, no fdatasync)]
//             [--fragment-interval S (a fragmented movie)]
//             [--index-only (the same samples into the sample tables alone: index bytes per sample)]
//
// Payloads point into one shared arena (a sample's owner is a shared_ptr, as a GstBuffer's is), so the run
// measures the writer's bookkeeping and its writes, not the making of payloads. OUTPUT may be /dev/null to
// leave the disk out (long simulated recordings).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "aw/asset_writer.h"
#include "aw/asset_writer_input.h"
#include "tables/sample_table.h"

namespace {

struct Options {
  std::string output;
  double seconds = 300;
  int fps = 240;
  uint32_t video_bytes = 150;  // mean size; key frames are 8x
  std::string audio = "aac";
  bool moov_first = false;
  bool plain = false;    // one mdat (crash-recovery interval off)
  bool no_sync = false;  // crash-safe fragments without fdatasync
  double fragment_interval = 0;  // > 0: a fragmented movie (only the current fragment is indexed in memory)
  bool index_only = false;       // the sample tables alone, fed as the writer feeds them
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--seconds" && (v = next())) {
      o.seconds = std::atof(v);
    } else if (a == "--fps" && (v = next())) {
      o.fps = std::atoi(v);
    } else if (a == "--video-bytes" && (v = next())) {
      o.video_bytes = static_cast<uint32_t>(std::atoi(v));
    } else if (a == "--audio" && (v = next())) {
      o.audio = v;
    } else if (a == "--moov-first") {
      o.moov_first = true;
    } else if (a == "--plain") {
      o.plain = true;
    } else if (a == "--no-sync") {
      o.no_sync = true;
    } else if (a == "--index-only") {
      o.index_only = true;
    } else if (a == "--fragment-interval" && (v = next())) {
      o.fragment_interval = std::atof(v);
    } else if (a[0] != '-' && o.output.empty()) {
      o.output = a;
    } else {
      return false;
    }
  }
  return !o.output.empty() && o.fps > 0 && o.seconds > 0;
}

// avcC of a 160x90 Main-profile stream (x264), and AudioSpecificConfig of 48 kHz stereo AAC-LC.
const std::vector<uint8_t> kAvcC = {0x01, 0x4d, 0x40, 0x15, 0xff, 0xe1, 0x00, 0x17, 0x67, 0x4d, 0x40, 0x15, 0xec,
                                    0xa1, 0x46, 0xfc, 0x98, 0x08, 0x80, 0x00, 0x00, 0x03, 0x00, 0x80, 0x00, 0x00,
                                    0xf0, 0x07, 0x8b, 0x16, 0xcb, 0x01, 0x00, 0x04, 0x68, 0xce, 0x3c, 0x80};
const std::vector<uint8_t> kAsc = {0x11, 0x90};

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Resident memory now (VmRSS), KiB: what the recording holds before finish builds the moov.
long current_rss_kib() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  long kib = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, "VmRSS:", 6) == 0) kib = std::atol(line + 6);
  }
  std::fclose(f);
  return kib;
}

int fail(const char* where, const aw::Status& status) {
  std::fprintf(stderr, "%s: %s\n", where, status.message().c_str());
  return 1;
}

// The same video and audio samples as main() appends, added straight to one SampleTable per track in
// the track's media timescale (video 90 kHz, audio the sample rate) with a chunk every half second, as
// the plain writer indexes them: what the index alone costs per sample, by its own accounting.
int index_only(const Options& o) {
  const bool pcm = o.audio == "pcm";
  aw::SampleTable video, audio;
  const int64_t video_frames = static_cast<int64_t>(o.seconds * o.fps);
  const int64_t audio_frames = o.audio == "none" ? 0 : static_cast<int64_t>(o.seconds * 48000 / 1024);
  const int64_t tick = 90000 / o.fps;
  const int64_t video_chunk = std::max<int64_t>(1, o.fps / 2);
  uint32_t lcg = 12345;
  for (int64_t v = 0; v < video_frames; ++v) {
    const int64_t shown = v % 3 == 0 ? v + 2 : v - 1;
    const bool key = v % o.fps == 0;
    lcg = lcg * 1664525u + 1013904223u;
    uint32_t size = key ? o.video_bytes * 8 : o.video_bytes / 2 + lcg % o.video_bytes;
    video.add_sample(v * tick, (shown + 1) * tick, size, key);
    if (v % video_chunk == video_chunk - 1) video.add_chunk(static_cast<uint64_t>(v) * o.video_bytes, video_chunk);
  }
  for (int64_t a = 0; a < audio_frames; ++a) {
    if (pcm) {
      audio.add_sample_run(a * 1024, 1024, 4, 1);
    } else {
      audio.add_sample(a * 1024, a * 1024, 300 + (a * 7919) % 100, true);
    }
    if (a % 23 == 22) audio.add_chunk(static_cast<uint64_t>(a) * 4096, pcm ? 23 * 1024 : 23);
  }
  video.finish(static_cast<uint32_t>(tick));
  audio.finish(pcm ? 1 : 1024);
  std::printf("video_samples=%u\nvideo_index_bytes=%zu\naudio_samples=%u\naudio_index_bytes=%zu\n",
              video.sample_count(), video.memory_bytes(), audio.sample_count(), audio.memory_bytes());
  std::printf("peak_rss_kib=%ld\n", peak_rss_kib());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s OUTPUT [--seconds S] [--fps F] [--video-bytes N] [--audio aac|pcm|none] "
                 "[--moov-first] [--plain] [--no-sync] [--fragment-interval S] [--index-only]\n",
                 argv[0]);
    return 2;
  }
  if (o.index_only) return index_only(o);
  const long rss_before = peak_rss_kib();
  auto created = aw::AssetWriter::create(o.output, aw::FileType::kMpeg4);
  if (!created) return fail("create", created.status());
  auto writer = std::move(created).value();
  if (auto s = writer->set_should_optimize_for_network_use(o.moov_first); !s) return fail("moov-first", s);
  if (auto s = writer->set_creation_time(0); !s) return fail("creation time", s);
  if (o.plain) {
    if (auto s = writer->set_crash_recovery_interval(aw::Time::invalid()); !s) return fail("plain", s);
  }
  if (o.no_sync) {
    if (auto s = writer->set_sync_fragments_to_disk(false); !s) return fail("no sync", s);
  }
  if (o.fragment_interval > 0) {
    auto interval = aw::Time::from_seconds(o.fragment_interval, 1000);
    if (auto s = writer->set_movie_fragment_interval(interval); !s) return fail("fragments", s);
  }

  auto video = aw::AssetWriterInput::create(aw::MediaType::kVideo, {.codec = aw::Codec::kH264, .configuration = kAvcC});
  if (auto s = writer->add(video); !s) return fail("add video", s);
  std::shared_ptr<aw::AssetWriterInput> audio;
  const bool pcm = o.audio == "pcm";
  if (o.audio != "none") {
    aw::FormatDescription format;
    if (pcm) {
      format.codec = aw::Codec::kPcm;
      format.sample_rate = 48000;
      format.channels = 2;
    } else {
      format.codec = aw::Codec::kAac;
      format.configuration = kAsc;
    }
    audio = aw::AssetWriterInput::create(aw::MediaType::kAudio, format);
    if (auto s = writer->add(audio); !s) return fail("add audio", s);
  }
  if (auto s = writer->start_writing(); !s) return fail("start_writing", s);
  if (auto s = writer->start_session(aw::Time::zero()); !s) return fail("start_session", s);

  // One arena holds every payload; each sample borrows a slice and shares its owner.
  const uint32_t audio_bytes = pcm ? 1024 * 4 : 340;
  const uint32_t max_video = o.video_bytes * 8;
  auto arena = std::make_shared<std::vector<uint8_t>>(std::max(max_video, audio_bytes) + 4096, 0x5a);
  std::shared_ptr<const void> owner = arena;

  const int64_t video_frames = static_cast<int64_t>(o.seconds * o.fps);
  const int64_t audio_frames = o.audio == "none" ? 0 : static_cast<int64_t>(o.seconds * 48000 / 1024);
  const int64_t gop = o.fps;  // a key frame every second
  uint64_t payload = 0;
  uint32_t lcg = 12345;
  auto started = std::chrono::steady_clock::now();
  const double cpu_started = cpu_seconds();
  int64_t v = 0, a = 0;
  while (v < video_frames || a < audio_frames) {
    // Decode order across tracks: video frame v decodes at v/fps, audio frame a at a*1024/48000.
    const bool video_next = a >= audio_frames || (v < video_frames && v * 48000 <= a * 1024 * o.fps);
    if (video_next) {
      // I P B B P B B ...: decode 3k shows at 3k+2, 3k+1 at 3k, 3k+2 at 3k+1; one frame of shift keeps
      // presentation at or after decode.
      const int64_t k = v % 3;
      const int64_t shown = k == 0 ? v + 2 : v - 1;
      const bool key = v % gop == 0;
      lcg = lcg * 1664525u + 1013904223u;
      uint32_t size = key ? max_video : o.video_bytes / 2 + lcg % o.video_bytes;
      aw::Sample sample;
      sample.data = std::span<const uint8_t>(arena->data() + (lcg >> 20) % 4096, size);
      sample.owner = owner;
      sample.decode_time = aw::Time(v, o.fps);
      sample.presentation_time = aw::Time(shown + 1, o.fps);
      sample.duration = aw::Time(1, o.fps);
      sample.sync = key;
      if (auto s = video->append(std::move(sample)); !s) return fail("append video", s);
      payload += size;
      ++v;
    } else {
      aw::Sample sample;
      sample.data = std::span<const uint8_t>(arena->data(), audio_bytes);
      sample.owner = owner;
      sample.decode_time = aw::Time(a * 1024, 48000);
      sample.presentation_time = sample.decode_time;
      sample.duration = aw::Time(1024, 48000);
      if (auto s = audio->append(std::move(sample)); !s) return fail("append audio", s);
      payload += audio_bytes;
      ++a;
    }
  }
  const auto appended = std::chrono::steady_clock::now();
  const long appended_rss = current_rss_kib();
  if (video) (void)video->mark_as_finished();
  if (audio) (void)audio->mark_as_finished();
  if (auto s = writer->finish_writing(); !s) return fail("finish_writing", s);
  const auto finished = std::chrono::steady_clock::now();
  const double cpu = cpu_seconds() - cpu_started;

  const double append_s = std::chrono::duration<double>(appended - started).count();
  const double total_s = std::chrono::duration<double>(finished - started).count();
  const int64_t samples = v + a;
  // key=value lines, read by bench/lib_bench.py.
  std::printf("video_samples=%lld\naudio_buffers=%lld\nsamples=%lld\npayload_bytes=%llu\n",
              static_cast<long long>(v), static_cast<long long>(a), static_cast<long long>(samples),
              static_cast<unsigned long long>(payload));
  std::printf("append_seconds=%.6f\ntotal_seconds=%.6f\ncpu_seconds=%.6f\nns_per_sample=%.1f\n", append_s, total_s,
              cpu, total_s * 1e9 / static_cast<double>(samples));
  std::printf("peak_rss_kib=%ld\nrss_before_kib=%ld\nappended_rss_kib=%ld\n", peak_rss_kib(), rss_before,
              appended_rss);
  return 0;
}
