// The reference corpus: what the library writes in every output mode × file type × codec, with fixed
// creation times, kept as SHA-256 sums in reference_corpus.sha256 (not the media). A change that must not
// alter the output (a refactor) keeps every sum. A change meant to alter it regenerates the file and says
// in its commit which outputs changed and why:
//
//   AW_WRITE_REFERENCE_CORPUS=$PWD/lib/tests/reference_corpus.sha256 build/lib/tests/lib_tests --gtest_filter='ReferenceCorpus.*'
//
// Segment output is hashed per delivered segment, together with its report (what playlists are made of).
// AW_REFERENCE_CORPUS_DIR=DIR also keeps the media there (one file per output, segments without their
// report), to be read by players and validators.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "aw/asset_writer.h"
#include "golden.h"
#include "test_media.h"

namespace aw {
namespace {

using test::TempDir;

// ---- Media: deterministic samples of each codec, merged in decode order like a pipeline's ----

// A payload of `size` bytes that differs per stream and sample, so a sample written in the wrong place
// changes the sums.
Sample payload(size_t size, uint32_t seed, Time pts, Time dts, bool sync) {
  auto bytes = std::make_shared<std::vector<uint8_t>>(size);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& b : *bytes) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<uint8_t>(x >> 24);
  }
  return test::make_sample_owning(bytes, pts, dts, sync);
}

// 30 fps with B-frames: per 30-frame GOP an I frame, then P B B mini-GOPs in decode order (P3 B1 B2 ...),
// decode times one frame apart and presentation one frame later (so pts >= dts). Each frame says its
// duration, as GStreamer buffers do.
std::vector<Sample> video_with_b_frames(int frames, uint32_t seed) {
  std::vector<int> display_order;
  for (int gop = 0; gop < frames; gop += 30) {
    int end = std::min(gop + 30, frames);
    display_order.push_back(gop);
    int m = gop + 1;
    for (; m + 2 < end; m += 3) {
      display_order.insert(display_order.end(), {m + 2, m, m + 1});
    }
    for (; m < end; ++m) display_order.push_back(m);
  }
  std::vector<Sample> out;
  for (size_t k = 0; k < display_order.size(); ++k) {
    int shown = display_order[k];
    bool sync = shown % 30 == 0;
    size_t size = sync ? 3000 + (shown * 37) % 500 : 300 + (shown * 53) % 700;
    Sample s = payload(size, seed + static_cast<uint32_t>(k), Time(shown + 1, 30), Time(static_cast<int64_t>(k), 30),
                       sync);
    s.duration = Time(1, 30);
    out.push_back(std::move(s));
  }
  return out;
}

// `fps` frames a second, no reordering, a keyframe every second.
std::vector<Sample> video_in_order(int frames, int fps, uint32_t seed) {
  std::vector<Sample> out;
  for (int i = 0; i < frames; ++i) {
    bool sync = i % fps == 0;
    out.push_back(payload(sync ? 2500 : 400 + (i * 29) % 300, seed + i, Time(i, fps), Time(i, fps), sync));
  }
  return out;
}

// Audio frames of `frame` ticks at `rate`, no durations given (the writer infers them).
std::vector<Sample> audio(Time length, int64_t frame, int32_t rate, uint32_t seed) {
  std::vector<Sample> out;
  for (int64_t i = 0; Time(i * frame, rate) < length; ++i) {
    Time t(i * frame, rate);
    out.push_back(payload(120 + static_cast<size_t>((i * 41) % 260), seed + static_cast<uint32_t>(i), t, t, true));
  }
  return out;
}

std::vector<Sample> subtitles() {
  std::vector<Sample> out;
  const char* lines[] = {"First line", "Second line", "Third, later"};
  const int starts[] = {1, 2, 4};
  for (int i = 0; i < 3; ++i) {
    auto bytes = std::make_shared<std::vector<uint8_t>>(std::move(make_text_sample(lines[i])).value());
    Sample s;
    s.data = *bytes;
    s.owner = bytes;
    s.presentation_time = Time(starts[i], 1);
    s.duration = Time(1, 2);
    s.sync = true;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<uint8_t> hvcc_320x240() {
  return unhex(
      "0101600000009000000000003ff000fcfdf8f800000f03200001001840010c01ffff01600000030090000003000003003f95980921"
      "0001003142010101600000030090000003000003003fa00a080f165959a4932bffc00040005a830303020000030002000003003c10"
      "22000100074401c172b46240");
}
std::vector<uint8_t> opus_head() { return unhex("4f707573486561640102380180bb0000000000"); }
// x264enc, 640x480: the parameter sets a format change switches to.
std::vector<uint8_t> avcc_640x480() {
  return unhex("01f4001effe1001e67f4001e90d9b281407b602d41818190000003001000000303c8f162d96001000668ebec448440");
}

// ---- What a case is made of ----

struct Stream {
  std::shared_ptr<AssetWriterInput> input;
  std::vector<Sample> samples;
};

struct Recording {
  std::vector<Stream> streams;
  // Called before the first sample of stream 0 decoding at or after `at` (a format change, a flush).
  std::optional<Time> event_at;
  std::function<void(Recording&)> event;
  Time session_start = Time::zero();
  std::optional<Time> session_end;
  // Runs after the inputs are added, before start_writing (input groups, associations).
  std::function<void(AssetWriter&, Recording&)> before_start;

  void add(std::shared_ptr<AssetWriterInput> input, std::vector<Sample> samples) {
    streams.push_back({std::move(input), std::move(samples)});
  }

  // Appends every stream's samples in decode order across streams, then finishes.
  void play(AssetWriter& writer) {
    for (auto& s : streams) ASSERT_TRUE(writer.add(s.input).is_ok());
    if (before_start) before_start(writer, *this);
    ASSERT_TRUE(writer.start_writing().is_ok()) << writer.error().to_string();
    ASSERT_TRUE(writer.start_session(session_start).is_ok());
    std::vector<size_t> next(streams.size(), 0);
    bool event_done = !event;
    for (;;) {
      std::optional<size_t> pick;
      for (size_t i = 0; i < streams.size(); ++i) {
        if (next[i] == streams[i].samples.size()) continue;
        if (!pick || streams[i].samples[next[i]].decode_time < streams[*pick].samples[next[*pick]].decode_time) pick = i;
      }
      if (!pick) break;
      Sample& s = streams[*pick].samples[next[*pick]++];
      if (!event_done && *pick == 0 && !(s.decode_time < *event_at)) {
        event(*this);
        event_done = true;
      }
      Status appended = streams[*pick].input->append(std::move(s));
      ASSERT_TRUE(appended.is_ok()) << appended.to_string();
    }
    if (session_end) {
      ASSERT_TRUE(writer.end_session(*session_end).is_ok());
    }
    Status finished = writer.finish_writing();
    ASSERT_TRUE(finished.is_ok()) << finished.to_string();
  }
};

std::shared_ptr<AssetWriterInput> input(MediaType type, Codec codec, std::vector<uint8_t> config = {}) {
  return AssetWriterInput::create(type, {codec, std::move(config)});
}

Recording h264_b_frames_and_aac(int seconds = 6) {
  Recording r;
  r.add(test::h264_input(), video_with_b_frames(seconds * 30, 100));
  r.add(test::aac_input(), audio(Time(seconds, 1), 1024, 44100, 200));
  return r;
}

Recording h265_and(Codec audio_codec, int seconds = 6) {
  Recording r;
  r.add(input(MediaType::kVideo, Codec::kHevc, hvcc_320x240()), video_in_order(seconds * 25, 25, 300));
  if (audio_codec == Codec::kOpus) {
    r.add(input(MediaType::kAudio, Codec::kOpus, opus_head()), audio(Time(seconds, 1), 960, 48000, 400));
  } else {
    r.add(test::aac_input(), audio(Time(seconds, 1), 1024, 44100, 400));
  }
  return r;
}

Recording aac_only(int seconds = 6) {
  Recording r;
  r.add(test::aac_input(), audio(Time(seconds, 1), 1024, 44100, 500));
  return r;
}

Recording h264_and_subtitles() {
  Recording r = h264_b_frames_and_aac();
  auto text = input(MediaType::kText, Codec::kTx3g);
  text->language_code = "fra";
  r.add(text, subtitles());
  return r;
}

// H.264 whose parameter sets change to 640x480 at 3 s (a keyframe).
Recording h264_format_change() {
  Recording r = h264_b_frames_and_aac();
  r.event_at = Time(3, 1);
  r.event = [](Recording& rec) {
    ASSERT_TRUE(rec.streams[0].input->change_format({Codec::kH264, avcc_640x480()}).is_ok());
  };
  return r;
}

// Two audio languages as one input group (alternate group, only the default enabled), one of them
// with track metadata, and subtitles that follow the video.
Recording languages_in_a_group() {
  Recording r = h264_and_subtitles();
  auto second = test::aac_input();
  second->language_code = "deu";
  second->metadata = {{MetadataKey::kTitle, "Deutsch"}};
  r.streams[1].input->language_code = "eng";
  r.add(second, audio(Time(6, 1), 1024, 44100, 600));
  r.before_start = [](AssetWriter& writer, Recording& rec) {
    auto english = rec.streams[1].input, german = rec.streams[3].input;
    ASSERT_TRUE(writer.add(AssetWriterInputGroup::create({english, german}, english)).is_ok());
    ASSERT_TRUE(rec.streams[2].input->add_track_association(rec.streams[0].input, TrackAssociationType::kFollows).is_ok());
  };
  return r;
}

// ---- Cases ----

using Outputs = std::vector<std::pair<std::string, std::vector<uint8_t>>>;

struct FileCase {
  std::string name;
  FileType type;
  std::function<Recording()> media;
  std::function<void(AssetWriter&)> configure;
};

void plain(AssetWriter& w) { ASSERT_TRUE(w.set_crash_recovery_interval(Time::invalid()).is_ok()); }
void crash_safe(AssetWriter&) {}  // the default: fragments of 2 s while recording
void moov_first(AssetWriter& w) { ASSERT_TRUE(w.set_should_optimize_for_network_use(true).is_ok()); }
void moov_first_reserved(AssetWriter& w) {
  moov_first(w);
  ASSERT_TRUE(w.set_overall_duration_hint(Time(10, 1)).is_ok());
}
void moov_first_reserve_too_small(AssetWriter& w) {
  moov_first(w);
  ASSERT_TRUE(w.set_reserved_moov_size(200).is_ok());
}
void fragmented(AssetWriter& w) { ASSERT_TRUE(w.set_movie_fragment_interval(Time(1, 1)).is_ok()); }
void fragmented_combinable(AssetWriter& w) {
  fragmented(w);
  ASSERT_TRUE(w.set_initial_movie_fragment_interval(Time(1, 2)).is_ok());
  ASSERT_TRUE(w.set_initial_movie_fragment_sequence_number(7).is_ok());
  ASSERT_TRUE(w.set_produces_combinable_fragments(true).is_ok());
}
void fragmented_with_hint(AssetWriter& w) {
  fragmented(w);
  ASSERT_TRUE(w.set_overall_duration_hint(Time(6, 1)).is_ok());
}
void signed_offsets(AssetWriter& w) {
  plain(w);
  ASSERT_TRUE(w.set_uses_signed_composition_offsets(true).is_ok());
}
std::function<void(AssetWriter&)> with_chapters(void (*mode)(AssetWriter&)) {
  return [mode](AssetWriter& w) {
    mode(w);
    ASSERT_TRUE(w.set_metadata({{MetadataKey::kTitle, "Chaptered"}}).is_ok());
    ASSERT_TRUE(w.set_chapters({{Time::zero(), "Opening"}, {Time(2, 1), "Middle"}, {Time(9, 1), "Past the end"}}).is_ok());
  };
}
std::function<void(AssetWriter&)> with_metadata(void (*mode)(AssetWriter&)) {
  return [mode](AssetWriter& w) {
    mode(w);
    ASSERT_TRUE(w.set_metadata({{MetadataKey::kTitle, "Reference"}, {MetadataKey::kArtist, "gst-assetwriter"},
                                {MetadataKey::kCreationDate, "2026-12-03"}})
                    .is_ok());
  };
}

std::vector<FileCase> file_cases() {
  std::vector<FileCase> cases;
  struct Mode {
    const char* name;
    void (*configure)(AssetWriter&);
  };
  const Mode modes[] = {{"plain", plain},
                        {"crash-safe", crash_safe},
                        {"moov-first-copy", moov_first},
                        {"moov-first-reserved", moov_first_reserved},
                        {"moov-first-reserve-too-small", moov_first_reserve_too_small},
                        {"fragmented", fragmented}};
  struct Media {
    const char* name;
    FileType type;
    std::function<Recording()> media;
  };
  const Media media[] = {{"mp4-h264b-aac", FileType::kMpeg4, [] { return h264_b_frames_and_aac(); }},
                         {"mov-h264b-aac", FileType::kQuickTimeMovie, [] { return h264_b_frames_and_aac(); }},
                         {"m4v-h264b-aac", FileType::kAppleM4V, [] { return h264_b_frames_and_aac(); }},
                         {"3gp-h264b-aac", FileType::k3Gpp, [] { return h264_b_frames_and_aac(); }},
                         {"m4a-aac", FileType::kAppleM4A, [] { return aac_only(); }},
                         {"mp4-h265-opus", FileType::kMpeg4, [] { return h265_and(Codec::kOpus); }},
                         {"mov-h265-aac", FileType::kQuickTimeMovie, [] { return h265_and(Codec::kAac); }},
                         {"mp4-h264b-aac-text", FileType::kMpeg4, [] { return h264_and_subtitles(); }},
                         {"mov-h264b-aac-text", FileType::kQuickTimeMovie, [] { return h264_and_subtitles(); }},
                         {"mp4-format-change", FileType::kMpeg4, [] { return h264_format_change(); }},
                         {"mov-languages", FileType::kQuickTimeMovie, [] { return languages_in_a_group(); }}};
  for (const Mode& mode : modes) {
    for (const Media& m : media) {
      cases.push_back({std::string(mode.name) + "/" + m.name, m.type, m.media, mode.configure});
    }
  }
  cases.push_back({"fragmented-combinable/mp4-h264b-aac", FileType::kMpeg4, [] { return h264_b_frames_and_aac(); },
                   fragmented_combinable});
  cases.push_back({"fragmented-with-hint/mov-h265-aac", FileType::kQuickTimeMovie,
                   [] { return h265_and(Codec::kAac); }, fragmented_with_hint});
  cases.push_back({"signed-offsets/mp4-h264b-aac", FileType::kMpeg4, [] { return h264_b_frames_and_aac(); },
                   signed_offsets});
  cases.push_back({"signed-offsets/mov-h264b-aac", FileType::kQuickTimeMovie, [] { return h264_b_frames_and_aac(); },
                   signed_offsets});
  for (const Mode& mode : modes) {
    if (std::string(mode.name) == "fragmented") continue;  // chapters need a movie that is not fragmented
    cases.push_back({std::string(mode.name) + "/mp4-chapters-metadata", FileType::kMpeg4,
                     [] { return h264_b_frames_and_aac(); }, with_chapters(mode.configure)});
    cases.push_back({std::string(mode.name) + "/m4a-chapters-metadata", FileType::kAppleM4A, [] { return aac_only(); },
                     with_chapters(mode.configure)});
  }
  for (const Mode& mode : modes) {
    cases.push_back({std::string(mode.name) + "/mov-metadata", FileType::kQuickTimeMovie,
                     [] { return h264_b_frames_and_aac(); }, with_metadata(mode.configure)});
    // A session from 1 s to 5 s of a recording that starts at 0: edit lists hide the rest.
    cases.push_back({std::string(mode.name) + "/mp4-session-1s-5s", FileType::kMpeg4,
                     [] {
                       Recording r = h264_b_frames_and_aac();
                       r.session_start = Time(1, 1);
                       r.session_end = Time(5, 1);
                       return r;
                     },
                     mode.configure});
  }
  return cases;
}

// Segment output: each delivered segment with its report.
struct SegmentCollector : SegmentDelegate {
  Outputs segments;
  Status did_output_segment_data(std::span<const uint8_t> data, SegmentType type, const SegmentReport* report) override {
    std::vector<uint8_t> bytes(data.begin(), data.end());
    std::ostringstream text;
    text << "type=" << static_cast<int>(type);
    if (report) {
      text << " sequence=" << report->sequence_number;
      for (const auto& t : report->tracks) {
        text << " track=" << t.track_id << " media=" << static_cast<int>(t.media_type)
             << " earliest=" << t.earliest_presentation_time.to_string() << " duration=" << t.duration.to_string()
             << " sync=" << t.first_sample_is_sync << " samples=" << t.sample_count;
        for (const auto& [offset, length] : t.data_ranges) text << " range=" << offset << "+" << length;
      }
    }
    std::string described = text.str();
    bytes.insert(bytes.end(), described.begin(), described.end());
    segments.emplace_back("segment-" + std::to_string(segments.size()), std::move(bytes));
    return Status::ok();
  }
};

struct SegmentCase {
  std::string name;
  FileType type;
  std::function<Recording()> media;
  std::function<void(AssetWriter&)> configure;
};

std::vector<SegmentCase> segment_cases() {
  auto apple = [](AssetWriter& w) { ASSERT_TRUE(w.set_preferred_output_segment_interval(Time(2, 1)).is_ok()); };
  auto cmaf_per_track = [](AssetWriter& w) {
    ASSERT_TRUE(w.set_preferred_output_segment_interval(Time(2, 1)).is_ok());
    ASSERT_TRUE(w.set_output_file_type_profile(FileTypeProfile::kMpeg4CmafCompliant).is_ok());
    ASSERT_TRUE(w.set_one_track_per_header(true).is_ok());
  };
  auto cmaf_muxed_from_10s = [](AssetWriter& w) {
    ASSERT_TRUE(w.set_preferred_output_segment_interval(Time(1, 1)).is_ok());
    ASSERT_TRUE(w.set_output_file_type_profile(FileTypeProfile::kMpeg4CmafCompliant).is_ok());
    ASSERT_TRUE(w.set_initial_segment_start_time(Time(-10, 1)).is_ok());
    ASSERT_TRUE(w.set_initial_movie_fragment_sequence_number(5).is_ok());
  };
  auto flushed_only = [](AssetWriter& w) {
    ASSERT_TRUE(w.set_preferred_output_segment_interval(Time::positive_infinity()).is_ok());
  };
  auto flush_at_2s = [] {
    Recording r = h264_b_frames_and_aac();
    r.event_at = Time(2, 1);
    r.event = [](Recording&) {};
    return r;
  };
  return {
      {"segments-muxed/mp4-h264b-aac", FileType::kMpeg4, [] { return h264_b_frames_and_aac(); }, apple},
      {"segments-muxed/m4v-h265-aac", FileType::kAppleM4V, [] { return h265_and(Codec::kAac); }, apple},
      {"segments-per-track/mp4-h264b-aac", FileType::kMpeg4, [] { return h264_b_frames_and_aac(); }, cmaf_per_track},
      {"segments-per-track/mp4-h265-opus", FileType::kMpeg4, [] { return h265_and(Codec::kOpus); }, cmaf_per_track},
      {"segments-cmaf-muxed/mp4-h264b-aac", FileType::kMpeg4, [] { return h264_b_frames_and_aac(); },
       cmaf_muxed_from_10s},
      {"segments-muxed/mp4-format-change", FileType::kMpeg4, [] { return h264_format_change(); }, apple},
      {"segments-per-track/mp4-format-change", FileType::kMpeg4, [] { return h264_format_change(); }, cmaf_per_track},
      {"segments-muxed/m4a-aac", FileType::kAppleM4A, [] { return aac_only(); }, apple},
      {"segments-flushed/mp4-h264b-aac", FileType::kMpeg4, flush_at_2s, flushed_only},
  };
}

// ---- Sums ----

std::string sha256(std::span<const uint8_t> data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr), 1);
  return hex(std::span<const uint8_t>(digest, length));
}

std::string without_spaces(std::string text) {
  std::erase(text, ' ');
  return text;
}

Outputs write_file_case(const FileCase& c, const TempDir& dir) {
  std::string path = dir.file("out");
  auto writer = test::make_writer(path, c.type);
  if (c.configure) c.configure(*writer);
  Recording recording = c.media();
  recording.play(*writer);
  return {{"file", test::read_bytes(path)}};
}

Outputs write_segment_case(const SegmentCase& c) {
  SegmentCollector collector;
  auto created = AssetWriter::create_for_segments(c.type, collector);
  EXPECT_TRUE(created.is_ok()) << c.name << ": " << created.status().to_string();
  if (!created.is_ok()) return {};
  auto writer = std::move(created).value();
  EXPECT_TRUE(writer->set_creation_time(0).is_ok());
  c.configure(*writer);
  Recording recording = c.media();
  if (c.name.starts_with("segments-flushed/")) {
    recording.event = [&writer](Recording&) { ASSERT_TRUE(writer->flush_segment().is_ok()); };
  }
  recording.play(*writer);
  return std::move(collector.segments);
}

void keep(const std::string& name, std::span<const uint8_t> bytes) {
  const char* dir = std::getenv("AW_REFERENCE_CORPUS_DIR");
  if (!dir) return;
  std::string flat = name;
  std::replace(flat.begin(), flat.end(), '/', '_');
  test::write_bytes(std::string(dir) + "/" + flat, bytes);
}

// Every output of every case as "case/output" → sum.
std::map<std::string, std::string> corpus_sums() {
  std::map<std::string, std::string> sums;
  auto add = [&](const std::string& case_name, const Outputs& outputs) {
    for (const auto& [name, bytes] : outputs) {
      sums[case_name + "/" + name] = without_spaces(sha256(bytes));
      keep(case_name + "/" + name, bytes);
    }
  };
  for (const FileCase& c : file_cases()) {
    TempDir dir;
    add(c.name, write_file_case(c, dir));
  }
  for (const SegmentCase& c : segment_cases()) add(c.name, write_segment_case(c));
  return sums;
}

std::map<std::string, std::string> read_sums(const std::string& path) {
  std::map<std::string, std::string> sums;
  std::ifstream in(path);
  std::string sum, name;
  while (in >> sum >> name) sums[name] = sum;
  return sums;
}

TEST(ReferenceCorpus, every_mode_file_type_and_codec_writes_the_recorded_bytes) {
  auto sums = corpus_sums();
  if (const char* out = std::getenv("AW_WRITE_REFERENCE_CORPUS")) {
    std::ofstream file(out, std::ios::trunc);
    for (const auto& [name, sum] : sums) file << sum << "  " << name << "\n";
    GTEST_SKIP() << "wrote " << sums.size() << " sums to " << out;
  }
  auto expected = read_sums(AW_REFERENCE_CORPUS);
  ASSERT_FALSE(expected.empty()) << "no sums in " << AW_REFERENCE_CORPUS;
  for (const auto& [name, sum] : expected) {
    auto found = sums.find(name);
    if (found == sums.end()) {
      ADD_FAILURE() << name << ": no longer written";
    } else {
      EXPECT_EQ(found->second, sum) << name << ": other bytes than the reference";
    }
  }
  for (const auto& [name, sum] : sums) {
    EXPECT_TRUE(expected.contains(name)) << name << ": not in the reference (regenerate the sums?)";
  }
}

}  // namespace
}  // namespace aw
