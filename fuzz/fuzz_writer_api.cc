// Random AssetWriter call sequences: inputs of random codecs (real records, or configuration bytes from the
// input), random settings (plain, crash-safe, fragmented, combinable, moov-first, segment output), samples
// with random timestamps, sizes and flags, format changes, sessions, mark-as-finished, finish and cancel in
// any order.
// Afterwards: every file (or segment stream) the writer reports as completed passes the strict structural
// check of lib/testing/movie_check.h, every error has a message, and no temporary file is left behind.
//
// Input: a header (mode, file type, settings flags, input count, then two bytes per input: format, options),
// then operations of a few bytes each until the input ends (see the switch in run()). make_seeds.py writes
// readable examples.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "aw/asset_writer.h"
#include "fuzz_support.h"
#include "testing/movie_check.h"

namespace {

using aw::Codec;
using aw::FormatDescription;
using aw::Time;
using aw::fuzz::Bytes;

std::vector<uint8_t> unhex(const char* hex) {
  std::vector<uint8_t> out;
  for (const char* p = hex; p[0] && p[1]; p += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(std::string(p, 2), nullptr, 16)));
  return out;
}

// Real records from the encoders here (see make_seeds.py): x264, x265 (info=0), aac, libopus, flac, alac,
// ac3/eac3 at 32 kbit/s mono, libaom.
FormatDescription seed_format(uint8_t which) {
  FormatDescription f;
  switch (which % 15) {
    case 0:
      f = {Codec::kH264,
           unhex("01640014ffe1001d67640014acd94141fb016a0c0c0d4a000003000200000300791e28532c01000568ebecb22c")};
      break;
    case 1:
      f = {
          Codec::kHevc,
          unhex(
              "0104080000009e08000000003cf000fcfff8f800000f03a00001001740010c01ffff0408000003009e0800000300003c959809a1"
              "0001002b4201010408000003009e0800000300003c90014101e2cb2b349265780b7020200040000003004000000782a2000100"
              "084401c172860c4624")};
      break;
    case 2: f = {Codec::kAac, unhex("119056e500")}; break;
    case 3: f = {Codec::kOpus, unhex("4f707573486561640102380180bb0000000000")}; break;
    case 4:
      f = {Codec::kFlac, unhex("80000022120012000000c70005110bb802f000002580d9b81de011fef694f3e1d33694c8ae61")};
      break;
    case 5:
      f = {Codec::kAlac, unhex("00000024616c616300000000000010000010280a0e02000000004004001770000000bb80")};
      break;
    case 6:
      f.codec = Codec::kAc3;
      f.first_sample = unhex(
          "0b77e5ed00402f842b01c77aaf5e1be32fe8441a79fbe2b3f5f86cfc7c101bdddcc3776ce7d697887938b0a3aa8ee22e4654654707"
          "34cc84a8ca8a20519278fe447f09d3e7cfa1b57b5dd6a7b0df3ddefd28046438ba0f5202494021b2136d7a25ee40803b2b9668f66"
          "42d4900fb3fa5f7ea88024a012c32b8cc61cf9400ecc3");
      break;
    case 7:
      f.codec = Codec::kEac3;
      f.first_sample = unhex(
          "0b77003f3287c0002103c800e3bd57af0df069e7ef8acfd7e1b3f1f12035ddde619ddb5cfad10acdf1f62798edb2d71c28ab23aab"
          "af913213212a32a2014649e3f911fc274f9f3e86d5ed775a9ec37cf77bf4a08c8e1741ea406cc8436846daf44bd90c8764e4cd1ec"
          "c8534b1f67e8befd5101564258cab198c39f0c6400affe");
      break;
    case 8: f = {Codec::kAv1, unhex("81000c000a0b000000043cffbcdaf90040")}; break;
    case 9:
      f.codec = Codec::kVp9;
      f.width = 320;
      f.height = 240;
      break;
    case 10:
      f.codec = Codec::kProRes;
      f.width = 1920;
      f.height = 1080;
      break;
    case 11:
      f.codec = Codec::kJpeg;
      f.width = 640;
      f.height = 480;
      break;
    case 12:
      f.codec = Codec::kMp3;
      f.sample_rate = 44100;
      f.channels = 2;
      break;
    case 13:
      f.codec = Codec::kPcm;
      f.sample_rate = 48000;
      f.channels = 2;
      break;
    case 14:  // in-band H.264 (avc3) with its record
      f = {Codec::kH264,
           unhex("01640014ffe1001d67640014acd94141fb016a0c0c0d4a000003000200000300791e28532c01000568ebecb22c")};
      f.parameter_sets_in_band = true;
      break;
  }
  return f;
}

constexpr int32_t kTimescales[] = {90000, 48000, 44100, 1000, 1000000000, 30, 1, 600};

struct Track {
  std::shared_ptr<aw::AssetWriterInput> input;
  int32_t timescale = 90000;
  int64_t dts = 0;
  int64_t step = 3000;
};

// Each initialization segment starts a stream of its own: a format change sends a new one, and the
// segments after it play with it (a player switches init segments at a discontinuity).
struct Segments final : aw::SegmentDelegate {
  std::vector<std::vector<uint8_t>> streams;  // an initialization segment and the segments after it
  aw::Status did_output_segment_data(std::span<const uint8_t> data, aw::SegmentType type,
                                     const aw::SegmentReport*) override {
    if (type == aw::SegmentType::kInitialization) streams.emplace_back();
    AW_FUZZ_CHECK(!streams.empty(), "a media segment before any initialization segment");
    streams.back().insert(streams.back().end(), data.begin(), data.end());
    return aw::Status::ok();
  }
};

void expect_message(const aw::Status& s, const char* call) {
  if (!s.is_ok()) AW_FUZZ_CHECK(!s.message().empty(), std::string(call) + " failed without a message");
}

aw::Sample payload_sample(size_t size, uint8_t fill) {
  auto bytes = std::make_shared<std::vector<uint8_t>>(size, fill);
  aw::Sample s;
  s.data = *bytes;
  s.owner = bytes;
  return s;
}

// AW_FUZZ_TRACE=2: print every call (to turn a finding into a plain reproducer).
bool verbose() {
  static const bool on = getenv("AW_FUZZ_TRACE") && std::string(getenv("AW_FUZZ_TRACE")) == "2";
  return on;
}

const std::string& work_directory() {
  static const std::string dir = [] {
    std::string base =
        std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path().string();
    std::string pattern = base + "/aw-fuzz-XXXXXX";
    if (!mkdtemp(pattern.data())) aw::fuzz::violated("mkdtemp failed");
    return pattern;
  }();
  return dir;
}

void run(Bytes& in) {
  const std::string dir = work_directory();
  uint8_t mode = in.u8() % 6;
  auto file_type = static_cast<aw::FileType>(in.u8() % 5);
  uint8_t settings = in.u8();
  size_t input_count = 1 + in.u8() % 4;

  static const char* extensions[] = {"mov", "mp4", "m4v", "m4a", "3gp"};
  const std::string path = dir + "/out." + extensions[static_cast<int>(file_type)];
  Segments segments;
  std::unique_ptr<aw::AssetWriter> writer;
  if (mode == 5) {
    auto created = aw::AssetWriter::create_for_segments(file_type, segments);
    if (!created) return expect_message(created.status(), "create_for_segments");
    writer = std::move(created).value();
    (void)writer->set_preferred_output_segment_interval(settings & 1 ? Time(1, 1) : Time::positive_infinity());
    (void)writer->set_output_file_type_profile(settings & 2 ? aw::FileTypeProfile::kMpeg4CmafCompliant
                                                            : aw::FileTypeProfile::kMpeg4AppleHls);
  } else {
    auto created = aw::AssetWriter::create(path, file_type);
    AW_FUZZ_CHECK(created.is_ok(), created.status().to_string());
    writer = std::move(created).value();
    (void)writer->set_creation_time(0);
    (void)writer->set_sync_fragments_to_disk(false);
    switch (mode) {
      case 0: (void)writer->set_crash_recovery_interval(Time::invalid()); break;
      case 1: (void)writer->set_movie_fragment_interval(Time(1 + settings % 3, 2)); break;
      case 2: (void)writer->set_should_optimize_for_network_use(true); break;
      case 3: (void)writer->set_crash_recovery_interval(Time(1 + settings % 4, 4)); break;
      case 4:
        (void)writer->set_movie_fragment_interval(Time(1, 1));
        (void)writer->set_produces_combinable_fragments(true);
        (void)writer->set_initial_movie_fragment_sequence_number(settings);
        break;
    }
  }
  if (settings & 4) (void)writer->set_interleave_interval(Time(1 + settings % 7, 10));
  if (settings & 8) (void)writer->set_movie_time_scale(kTimescales[settings % 8]);
  if (settings & 16) (void)writer->set_overall_duration_hint(Time(settings, 1));
  if (settings & 32) (void)writer->set_metadata({{aw::MetadataKey::kTitle, "fuzz", "eng"}});

  std::vector<Track> tracks;
  auto add_input = [&](uint8_t which, uint8_t options) {
    FormatDescription format = seed_format(which & 0x0f);
    if (options & 0x80) {  // configuration bytes from the input instead of the real record
      auto config = in.take(in.u8());
      format.configuration.assign(config.begin(), config.end());
      if (format.codec == Codec::kAc3 || format.codec == Codec::kEac3) format.first_sample = format.configuration;
    }
    auto input = aw::AssetWriterInput::create(aw::media_type_of(format.codec), format);
    if (options & 1) input->media_time_scale = kTimescales[options >> 1 & 7];
    if (options & 0x10) input->language_code = "fra";
    if (options & 0x20) input->expects_media_data_in_real_time = true;
    expect_message(writer->add(input), "add");
    Track t;
    t.input = input;
    t.timescale = kTimescales[(which >> 4) % 8];
    t.step = std::max<int64_t>(1, t.timescale / 30);
    tracks.push_back(t);
  };
  for (size_t i = 0; i < input_count; ++i) {
    uint8_t which = in.u8();
    add_input(which, in.u8());
  }

  auto track_at = [&](uint8_t b) -> Track& { return tracks[b % tracks.size()]; };
  auto append = [&](Track& t, uint8_t flags, uint8_t delta, uint8_t size_byte) {
    int64_t d = t.step * (flags & 0x10 ? int64_t{delta} * 16 : 1) + (flags & 0x20 ? delta : 0);
    if (flags & 0x08) d = -d;  // decode time going back: refused
    t.dts += d;
    size_t size = flags & 0x80 ? 0 : flags & 0x40 ? size_t{size_byte} * 64 : size_byte;
    aw::Sample s = payload_sample(size, delta);
    int64_t cto = flags & 0x02 ? (delta % 4) * t.step : 0;
    s.presentation_time = Time(t.dts + cto, t.timescale);
    if (flags & 0x02) s.decode_time = Time(t.dts, t.timescale);
    if (flags & 0x04) s.duration = Time(t.step, t.timescale);
    s.sync = flags & 0x01;
    if (verbose()) {
      std::fprintf(stderr, "append %s pts %s dts %s size %zu sync %d\n", t.input->name.c_str(),
                   s.presentation_time.to_string().c_str(), s.decode_time.to_string().c_str(), s.data.size(), s.sync);
    }
    expect_message(t.input->append(std::move(s)), "append");
  };

  if (verbose()) {
    std::fprintf(stderr, "mode %d, %s, settings 0x%02x, fragment interval %s, crash recovery %s\n", mode,
                 aw::to_string(file_type), settings, writer->movie_fragment_interval().to_string().c_str(),
                 writer->should_optimize_for_network_use() ? "network" : "-");
    for (const auto& t : tracks) {
      std::fprintf(stderr, "input %s: %s, timescale %d\n", t.input->name.c_str(),
                   aw::to_string(t.input->source_format().codec), t.timescale);
    }
  }
  while (!in.empty()) {
    uint8_t op = in.u8();
    if (verbose()) std::fprintf(stderr, "op 0x%02x\n", op);
    switch (op >> 4) {
      case 0: {  // one sample
        Track& t = track_at(op);
        uint8_t flags = in.u8(), delta = in.u8(), size = in.u8();
        append(t, flags, delta, size);
        break;
      }
      case 1: {  // a regular run of samples, a keyframe every 8th
        Track& t = track_at(op);
        uint8_t count = in.u8(), size = in.u8();
        for (int i = 0; i < count % 64; ++i) append(t, i % 8 == 0 ? 1 : 0, 0, size);
        break;
      }
      case 2: expect_message(writer->start_writing(), "start_writing"); break;
      case 3: {
        int64_t v = static_cast<int8_t>(in.u8());
        expect_message(writer->start_session(Time(v, op & 1 ? 1 : 30)), "start_session");
        break;
      }
      case 4: expect_message(writer->end_session(Time(in.u8(), op & 1 ? 1 : 30)), "end_session"); break;
      case 5: expect_message(track_at(op).input->mark_as_finished(), "mark_as_finished"); break;
      case 6: expect_message(writer->finish_writing(), "finish_writing"); break;
      case 7: expect_message(writer->cancel_writing(), "cancel_writing"); break;
      case 8: {
        auto text = in.take(in.u8() % 32);
        std::string value(text.begin(), text.end());
        if (op & 1) {
          expect_message(writer->set_metadata({{static_cast<aw::MetadataKey>(op % 9), value, "und"}}), "set_metadata");
        } else {
          expect_message(track_at(op >> 1).input->set_metadata({{aw::MetadataKey::kComment, value, "eng"}}),
                         "set_metadata");
          expect_message(track_at(op >> 1).input->set_language_code(value.substr(0, 3)), "set_language_code");
        }
        break;
      }
      case 9:
        if (tracks.size() < 8) {
          uint8_t which = in.u8();
          add_input(which, in.u8());
        }
        break;
      case 10: expect_message(writer->flush_segment(), "flush_segment"); break;
      case 11:  // settings at any time: refused once writing
        switch (op % 6) {
          case 0:
            expect_message(writer->set_movie_fragment_interval(Time(in.u8(), 10)), "set_movie_fragment_interval");
            break;
          case 1: expect_message(writer->set_should_optimize_for_network_use(op & 8), "set_should_optimize"); break;
          case 2:
            expect_message(writer->set_crash_recovery_interval(Time(in.u8(), 10)), "set_crash_recovery_interval");
            break;
          case 3: expect_message(writer->set_interleave_interval(Time(in.u8(), 100)), "set_interleave_interval"); break;
          case 4:
            expect_message(writer->set_movie_time_scale(static_cast<int8_t>(in.u8())), "set_movie_time_scale");
            break;
          case 5:
            expect_message(writer->set_initial_movie_fragment_interval(Time(in.u8(), 10)), "set_initial_interval");
            break;
        }
        break;
      case 12: (void)track_at(op).input->is_ready_for_more_media_data(); break;
      case 13: {  // extreme times: invalid, infinite, huge values, odd timescales
        Track& t = track_at(op);
        aw::Sample s = payload_sample(in.u8(), 1);
        uint8_t kind = in.u8();
        switch (kind % 6) {
          case 0: s.presentation_time = Time::invalid(); break;
          case 1: s.presentation_time = Time::positive_infinity(); break;
          case 2: s.presentation_time = Time(INT64_MAX - kind, 1); break;
          case 3: s.presentation_time = Time(INT64_MIN + kind, 7); break;
          case 4:
            s.presentation_time = Time(t.dts + 1, t.timescale);
            s.decode_time = Time(t.dts + 1000000000LL * kind, t.timescale);  // pts far before dts
            break;
          case 5:
            s.presentation_time = Time(int64_t{kind} << 40, 1000000000);
            s.duration = Time(-kind, 3);
            break;
        }
        expect_message(t.input->append(std::move(s)), "append");
        break;
      }
      case 14: {  // a format change: a seed format (same codec or not), another H.264 record, or input bytes
        Track& t = track_at(op);
        uint8_t which = in.u8();
        FormatDescription f = seed_format(which);
        if (which & 0x80) {
          auto bytes = in.take(in.u8() % 64);
          f = {t.input->source_format().codec, std::vector<uint8_t>(bytes.begin(), bytes.end())};
        } else if (which & 0x40) {  // x264 at 640x480: new SPS/PPS for the H.264 inputs
          f = {Codec::kH264,
               unhex("01f4001effe1001e67f4001e90d9b281407b602d41818190000003001000000303c8f162d96001000668ebec448440")};
        }
        expect_message(t.input->change_format(std::move(f)), "change_format");
        break;
      }
      default: break;
    }
  }
  if (writer->status() == aw::WriterStatus::kWriting) expect_message(writer->finish_writing(), "finish_writing");
  aw::WriterStatus status = writer->status();
  if (status == aw::WriterStatus::kFailed) expect_message(writer->error(), "error");

  // AW_FUZZ_TRACE=1: say how each input ended (when reproducing a finding or checking the seeds).
  static const bool trace = getenv("AW_FUZZ_TRACE") != nullptr;
  if (trace) {
    std::fprintf(stderr, "mode %d %s, %zu inputs: %s %s\n", mode, aw::to_string(file_type), tracks.size(),
                 aw::to_string(status), writer->error().to_string().c_str());
  }
  if (status == aw::WriterStatus::kCompleted) {
    std::string problem;
    if (mode == 5) {
      AW_FUZZ_CHECK(!segments.streams.empty(), "no initialization segment");
      for (const auto& stream : segments.streams) {
        if (problem.empty()) problem = aw::check::check_movie(stream);
      }
    } else {
      problem = aw::check::check_movie_file(path);
    }
    AW_FUZZ_CHECK(problem.empty(), "completed " + std::string(mode == 5 ? "segments" : path) + ": " + problem);
  }
  if (status == aw::WriterStatus::kCancelled && mode != 5) {
    AW_FUZZ_CHECK(!std::filesystem::exists(path), "a cancelled writer left " + path);
  }
  writer.reset();
  tracks.clear();
  // Whatever happened, only the output may remain: temporary media files go with the writer.
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    AW_FUZZ_CHECK(entry.path() == path, "left behind: " + entry.path().string());
  }
  std::filesystem::remove(path);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes in({data, size});
  run(in);
  return 0;
}
