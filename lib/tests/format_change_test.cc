// AssetWriterInput::change_format: a mid-stream format change (new parameter sets) becomes a further
// sample description of the track in plain, moov-first and fragmented movies and crash-safe recordings
// (whose header is rewritten in place), and is refused where it cannot be.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include "aw/asset_writer.h"
#include "aw/recover.h"
#include "golden.h"
#include "test_media.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

using test::File;
using test::make_sample;
using test::read_bytes;
using test::TempDir;
using test::write_bytes;

// x264enc, 640x480 I420, High 4:4:4 Predictive level 3.0: another SPS/PPS than test::avcc_320x240().
std::vector<uint8_t> avcc_640x480() {
  return unhex(
      "01f4001effe1001e67f4001e90d9b281407b602d41818190000003001000000303c8f162d96001000668ebec448440");
}

std::unique_ptr<AssetWriter> plain_writer(const std::string& path, bool network = false) {
  auto writer = std::move(AssetWriter::create(path, FileType::kMpeg4)).value();
  EXPECT_TRUE(writer->set_creation_time(0).is_ok());
  EXPECT_TRUE(writer->set_crash_recovery_interval(Time::invalid()).is_ok());
  EXPECT_TRUE(writer->set_should_optimize_for_network_use(network).is_ok());
  return writer;
}

// 30 fps frames at 90 kHz, every 5th a keyframe; the first of each run is a keyframe too (a new SPS
// starts with an IDR picture).
void append_frames(AssetWriterInput& video, int& next, int count) {
  for (int i = 0; i < count; ++i, ++next) {
    Time t(next * 3000, 90000);
    ASSERT_TRUE(video.append(make_sample(t, t, 100 + next, i == 0 || next % 5 == 0)).is_ok());
  }
}

// Whether a sample entry's payload carries `record` (its avcC content).
bool holds(const test::Box& entry, const std::vector<uint8_t>& record) {
  return std::search(entry.payload.begin(), entry.payload.end(), record.begin(), record.end()) != entry.payload.end();
}

struct StscEntry {
  uint32_t first_chunk, samples_per_chunk, description;
};

std::vector<StscEntry> stsc_of(const File& f) {
  const auto* stsc = f.find("moov/trak/mdia/minf/stbl/stsc");
  std::vector<StscEntry> out;
  if (!stsc) return out;
  for (uint32_t e = 0; e < stsc->u32(4); ++e) {
    out.push_back({stsc->u32(8 + 12 * e), stsc->u32(12 + 12 * e), stsc->u32(16 + 12 * e)});
  }
  return out;
}

// 320x240, then 640x480, then 320x240 again: two descriptions, the third run reuses the first; no chunk
// mixes them, and each sample entry carries its own size and avcC.
void check_two_descriptions(bool network) {
  TempDir dir;
  auto writer = plain_writer(dir.file("change.mp4"), network);
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  int next = 0;
  append_frames(*video, next, 10);
  ASSERT_TRUE(video->change_format({Codec::kH264, avcc_640x480()}).is_ok());
  append_frames(*video, next, 10);
  ASSERT_TRUE(video->change_format({Codec::kH264, test::avcc_320x240()}).is_ok());
  append_frames(*video, next, 5);
  ASSERT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string();

  File f = File::read(dir.file("change.mp4"));
  const auto* stsd = f.find("moov/trak/mdia/minf/stbl/stsd");
  ASSERT_NE(stsd, nullptr);
  EXPECT_EQ(stsd->u32(4), 2u);
  ASSERT_EQ(stsd->count("avc1"), 2u);
  const auto* first = stsd->child("avc1", 0);
  const auto* second = stsd->child("avc1", 1);
  EXPECT_EQ(first->u16(24), 320);
  EXPECT_EQ(first->u16(26), 240);
  EXPECT_EQ(second->u16(24), 640);
  EXPECT_EQ(second->u16(26), 480);
  EXPECT_TRUE(holds(*first, test::avcc_320x240()));
  EXPECT_FALSE(holds(*first, avcc_640x480()));
  EXPECT_TRUE(holds(*second, avcc_640x480()));

  // The default interleave interval (0.5 s, 15 frames) would put frames 1-15 in one chunk: the change at
  // frame 11 splits it. Chunks: 1-10 (desc 1), 11-15 (2), 16-20 (2), 21-25 (1).
  auto entries = stsc_of(f);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].first_chunk, 1u);
  EXPECT_EQ(entries[0].samples_per_chunk, 10u);
  EXPECT_EQ(entries[0].description, 1u);
  EXPECT_EQ(entries[1].first_chunk, 2u);
  EXPECT_EQ(entries[1].samples_per_chunk, 5u);
  EXPECT_EQ(entries[1].description, 2u);
  EXPECT_EQ(entries[2].first_chunk, 4u);
  EXPECT_EQ(entries[2].samples_per_chunk, 5u);
  EXPECT_EQ(entries[2].description, 1u);
  EXPECT_EQ(f.find("moov/trak/mdia/minf/stbl/stsz")->u32(8), 25u);
}

TEST(FormatChange, new_parameter_sets_add_a_sample_description_named_per_chunk) { check_two_descriptions(false); }

TEST(FormatChange, moov_first_movie_gets_the_same_descriptions) { check_two_descriptions(true); }

TEST(FormatChange, same_configuration_adds_no_description) {
  TempDir dir;
  auto writer = plain_writer(dir.file("same.mp4"));
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  int next = 0;
  append_frames(*video, next, 5);
  ASSERT_TRUE(video->change_format({Codec::kH264, test::avcc_320x240()}).is_ok());
  append_frames(*video, next, 5);
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("same.mp4"));
  EXPECT_EQ(f.find("moov/trak/mdia/minf/stbl/stsd")->u32(4), 1u);
  auto entries = stsc_of(f);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].samples_per_chunk, 10u);
}

TEST(FormatChange, before_writing_replaces_the_source_format) {
  auto video = test::h264_input();
  ASSERT_TRUE(video->change_format({Codec::kH264, avcc_640x480()}).is_ok());
  EXPECT_EQ(video->source_format().configuration, avcc_640x480());
  TempDir dir;
  auto writer = plain_writer(dir.file("before.mp4"));
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(video->change_format({Codec::kH264, test::avcc_320x240()}).is_ok());
  EXPECT_EQ(video->source_format().configuration, test::avcc_320x240());
}

// Refusals are error values that leave the writer writing: what was appended still finishes.
TEST(FormatChange, another_codec_a_bad_record_and_a_finished_input_are_refused_naming_the_input) {
  TempDir dir;
  auto writer = plain_writer(dir.file("refused.mp4"));
  auto video = test::h264_input();
  auto audio = test::aac_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->add(audio).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  int next = 0;
  append_frames(*video, next, 3);

  FormatDescription mp3{Codec::kMp3};
  mp3.sample_rate = 44100;
  mp3.channels = 2;
  Status codec = audio->change_format(mp3);
  EXPECT_EQ(codec.code(), ErrorCode::kUnsupported) << codec.to_string();
  EXPECT_EQ(codec.message().rfind("audio_1: format change from ", 0), 0u) << codec.message();
  EXPECT_NE(codec.message().find("a track keeps its codec"), std::string::npos) << codec.message();
  Status rate = audio->change_format({Codec::kAac, unhex("1190")});  // AAC-LC 48 kHz stereo
  EXPECT_EQ(rate.code(), ErrorCode::kUnsupported) << rate.to_string();
  EXPECT_EQ(rate.message(), "audio_1: format change from 44100 Hz to 48000 Hz or to another PCM layout: the "
                            "track's timescale and sample size are fixed");
  Status bad = video->change_format({Codec::kH264, {0x01, 0x64, 0x00}});
  EXPECT_EQ(bad.code(), ErrorCode::kMalformedConfig);
  EXPECT_EQ(bad.message().rfind("video_0: ", 0), 0u) << bad.message();
  ASSERT_TRUE(audio->mark_as_finished().is_ok());
  EXPECT_EQ(audio->change_format({Codec::kAac, test::asc_44100_stereo()}).code(), ErrorCode::kInvalidState);

  EXPECT_EQ(writer->status(), WriterStatus::kWriting);
  append_frames(*video, next, 3);
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("refused.mp4"));
  EXPECT_EQ(f.find("moov/trak/mdia/minf/stbl/stsd")->u32(4), 1u);
  EXPECT_EQ(f.find("moov/trak/mdia/minf/stbl/stsz")->u32(8), 6u);
}

// Fragmented movies and crash-safe recordings: the moov in front of the fragments is replaced by one with
// both descriptions, the fragments after the change name theirs in tfhd, and a killed recording recovers.

std::unique_ptr<AssetWriter> fragment_writer(const std::string& path, bool crash_safe) {
  auto writer = std::move(AssetWriter::create(path, FileType::kMpeg4)).value();
  EXPECT_TRUE(writer->set_creation_time(0).is_ok());
  EXPECT_TRUE(writer->set_sync_fragments_to_disk(false).is_ok());
  if (crash_safe) {
    EXPECT_TRUE(writer->set_crash_recovery_interval(Time(1, 10)).is_ok());
  } else {
    EXPECT_TRUE(writer->set_movie_fragment_interval(Time(1, 10)).is_ok());
  }
  return writer;
}

// A fragment's description (tfhd flag 0x000002 and its field, else trex's 1) and sample count.
struct FragmentDescription {
  uint64_t end;  // of its mdat
  uint32_t description;
  bool flagged;
  uint32_t samples;
};

std::vector<FragmentDescription> fragment_descriptions(const std::vector<test::Box>& top) {
  std::vector<FragmentDescription> out;
  for (size_t i = 0; i + 1 < top.size(); ++i) {
    if (top[i].type != "moof") continue;
    const test::Box* tfhd = top[i].find("traf/tfhd");
    const bool flagged = (tfhd->u32(0) & 0x000002) != 0;
    uint32_t samples = 0;
    for (size_t r = 0; r < top[i].child("traf")->count("trun"); ++r) samples += top[i].child("traf")->child("trun", r)->u32(4);
    out.push_back({top[i + 1].offset + top[i + 1].size, flagged ? tfhd->u32(8) : 1u, flagged, samples});
  }
  return out;
}

uint32_t stsd_entries(const test::Box& moov) { return moov.find("trak/mdia/minf/stbl/stsd")->u32(4); }

const test::Box* only_moov(const std::vector<test::Box>& top) {
  const test::Box* moov = nullptr;
  for (const auto& b : top) {
    if (b.type != "moov") continue;
    EXPECT_EQ(moov, nullptr) << "a second moov at " << b.offset;
    moov = &b;
  }
  return moov;
}

// Each chunk's description in a plain moov, expanded from stsc.
std::vector<uint32_t> chunk_descriptions(const File& f) {
  auto entries = stsc_of(f);
  uint32_t chunks = f.find("moov/trak/mdia/minf/stbl/stco")->u32(4);
  std::vector<uint32_t> out;
  for (uint32_t c = 1; c <= chunks; ++c) {
    uint32_t d = 0;
    for (const auto& e : entries) {
      if (e.first_chunk <= c) d = e.description;
    }
    out.push_back(d);
  }
  return out;
}

// 20 frames at 320x240, the change, 20 at 640x480, back to the first (reused: no rewrite), 10 more.
// `live` sees the file after the change's header rewrite and again before finish (a kill).
void record_with_changes(AssetWriter& writer, AssetWriterInput& video,
                         const std::function<void(const char* moment)>& live) {
  ASSERT_TRUE(writer.start_writing().is_ok());
  ASSERT_TRUE(writer.start_session(Time::zero()).is_ok());
  int next = 0;
  append_frames(video, next, 20);
  live("before the change");
  ASSERT_TRUE(video.change_format({Codec::kH264, avcc_640x480()}).is_ok());
  live("after the change");
  append_frames(video, next, 20);
  ASSERT_TRUE(video.change_format({Codec::kH264, test::avcc_320x240()}).is_ok());
  append_frames(video, next, 10);
  live("before finish");
  ASSERT_TRUE(writer.finish_writing().is_ok()) << writer.error().to_string();
}

// While recording: one moov at every moment, with the second description once changed.
void expect_live_header(const std::string& path, const char* moment) {
  File f = File::read(path);  // the live file ends with a complete fragment: every size adds up
  const test::Box* moov = only_moov(f.root.children);
  ASSERT_NE(moov, nullptr) << moment;
  EXPECT_EQ(stsd_entries(*moov), std::string(moment) == "before the change" ? 1u : 2u) << moment;
  EXPECT_EQ(moov->find("mvex/trex")->u32(8), 1u) << moment << ": trex's default description stays 1";
  if (std::string(moment) == "after the change") {
    // The new moov went behind the old one, which is 'free' now: ftyp, free (old moov), free, moov, moof...
    auto top = f.top_level();
    ASSERT_GE(top.size(), 5u);
    EXPECT_EQ((std::vector<std::string>(top.begin(), top.begin() + 5)),
              (std::vector<std::string>{"ftyp", "free", "free", "moov", "moof"}));
  }
}

// Cuts a copy of the live file at each fragment's end and a little before it (a torn fragment), and
// recovers each: both descriptions, and exactly the complete fragments' samples, 20 of them at 640x480.
void expect_killed_copies_recover(const TempDir& dir, const std::string& path) {
  std::vector<uint8_t> live = read_bytes(path);
  File f = File::read(path);
  auto fragments = fragment_descriptions(f.root.children);
  ASSERT_GE(fragments.size(), 4u);
  for (size_t k = 0; k < fragments.size(); ++k) {
    for (uint64_t cut : {fragments[k].end, fragments[k].end - 10}) {
      const std::string label = "cut at " + std::to_string(cut);
      std::vector<uint8_t> bytes(live.begin(), live.begin() + static_cast<std::ptrdiff_t>(cut));
      uint64_t complete_end = 0;
      uint32_t samples = 0, second = 0;
      for (const auto& fr : fragments) {
        if (fr.end > cut) break;
        complete_end = fr.end;
        samples += fr.samples;
        if (fr.description == 2) second += fr.samples;
      }
      if (complete_end == 0) continue;  // nothing to recover yet (recover_test covers that refusal)
      // The test box reader reads the killed file up to its last complete fragment: one moov, 2 entries.
      auto top = test::parse_boxes(std::span(bytes).first(complete_end), 0);
      const test::Box* moov = only_moov(top);
      ASSERT_NE(moov, nullptr) << label;
      EXPECT_EQ(stsd_entries(*moov), 2u) << label;

      write_bytes(dir.file("killed.mp4"), bytes);
      std::filesystem::remove(dir.file("recovered.mp4"));
      RecoveryReport report;
      Status s = recover_movie(dir.file("killed.mp4"), dir.file("recovered.mp4"), &report);
      ASSERT_TRUE(s.is_ok()) << label << ": " << s.to_string();
      File r = File::read(dir.file("recovered.mp4"));
      EXPECT_EQ(r.find("moov/trak/mdia/minf/stbl/stsz")->u32(8), samples) << label;
      EXPECT_EQ(stsd_entries(*r.find("moov")), 2u) << label;
      uint32_t in_second = 0;
      auto descriptions = chunk_descriptions(r);
      // Recovery makes a chunk of each run: count the samples of chunks in description 2 via stsc.
      auto entries = stsc_of(r);
      for (size_t c = 0; c < descriptions.size(); ++c) {
        uint32_t per_chunk = 0;
        for (const auto& e : entries) {
          if (e.first_chunk <= c + 1) per_chunk = e.samples_per_chunk;
        }
        if (descriptions[c] == 2) in_second += per_chunk;
      }
      EXPECT_EQ(in_second, second) << label;
    }
  }
}

// One video track through record_with_changes(), its live file checked after the rewrite and recovered from
// copies cut like killed recordings before finish.
void record_checking_the_live_file(const TempDir& dir, const std::string& path, bool crash_safe) {
  auto writer = fragment_writer(path, crash_safe);
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  record_with_changes(*writer, *video, [&](const char* moment) {
    expect_live_header(path, moment);
    if (std::string(moment) == "before finish") expect_killed_copies_recover(dir, path);
  });
}

TEST(FormatChange, crash_safe_recording_rewrites_its_header_and_finishes_with_both_descriptions) {
  TempDir dir;
  const std::string path = dir.file("crash-safe.mp4");
  record_checking_the_live_file(dir, path, /*crash_safe=*/true);
  if (HasFatalFailure()) return;

  // The plain movie: the moov at the end, both descriptions, every chunk in the right one: chunks (fragment
  // runs) of frames 1-20 in 1, 21-40 in 2, 41-50 in 1.
  File f = File::read(path);
  auto top = f.top_level();
  EXPECT_EQ(top.back(), "moov");
  EXPECT_EQ(std::count(top.begin(), top.end(), "moov"), 1);
  EXPECT_EQ(std::count(top.begin(), top.end(), "moof"), 0);
  EXPECT_EQ(f.find("moov/mvex"), nullptr);
  EXPECT_EQ(stsd_entries(*f.find("moov")), 2u);
  EXPECT_EQ(f.find("moov/trak/mdia/minf/stbl/stsz")->u32(8), 50u);
  auto descriptions = chunk_descriptions(f);
  auto entries = stsc_of(f);
  uint32_t frame = 0;
  for (size_t c = 0; c < descriptions.size(); ++c) {
    uint32_t per_chunk = 0;
    for (const auto& e : entries) {
      if (e.first_chunk <= c + 1) per_chunk = e.samples_per_chunk;
    }
    const uint32_t expected = frame >= 20 && frame < 40 ? 2u : 1u;
    EXPECT_EQ(descriptions[c], expected) << "chunk " << c + 1 << " from frame " << frame;
    frame += per_chunk;
    EXPECT_TRUE(frame <= 20 || frame > 40 || (frame > 20 && frame <= 40 && expected == 2))
        << "chunk " << c + 1 << " crosses a change";
  }
  EXPECT_EQ(frame, 50u);
}

TEST(FormatChange, fragmented_movie_names_the_new_description_in_tfhd) {
  TempDir dir;
  const std::string path = dir.file("fragmented.mp4");
  record_checking_the_live_file(dir, path, /*crash_safe=*/false);
  if (HasFatalFailure()) return;

  File f = File::read(path);
  const test::Box* moov = only_moov(f.root.children);
  ASSERT_NE(moov, nullptr);
  EXPECT_EQ(stsd_entries(*moov), 2u);
  EXPECT_EQ(moov->find("mvex/trex")->u32(8), 1u);
  // The moov rewritten at finish covers the whole header space again: ftyp, moov, free, moof...
  auto top = f.top_level();
  EXPECT_EQ((std::vector<std::string>(top.begin(), top.begin() + 4)),
            (std::vector<std::string>{"ftyp", "moov", "free", "moof"}));
  // Fragments end at each change: 20 frames in 1 (unflagged), 20 in 2 (flagged), 10 in 1 (unflagged).
  uint32_t counts[3] = {0, 0, 0};
  int part = 0;
  uint32_t last = 1;
  for (const auto& fr : fragment_descriptions(f.root.children)) {
    if (fr.description != last) ++part;
    last = fr.description;
    ASSERT_LT(part, 3);
    EXPECT_EQ(fr.description, part == 1 ? 2u : 1u);
    EXPECT_EQ(fr.flagged, part == 1) << "tfhd names the description only when it is not trex's";
    counts[part] += fr.samples;
  }
  EXPECT_EQ(counts[0], 20u);
  EXPECT_EQ(counts[1], 20u);
  EXPECT_EQ(counts[2], 10u);
}

// The golden tfhd of the first fragment after the change: default-base-is-moof | description index |
// default duration | default flags; track 1, description 2, 3000 ticks, non-sync.
TEST(FormatChange, tfhd_after_the_change_golden_bytes) {
  TempDir dir;
  const std::string path = dir.file("golden.mp4");
  auto writer = fragment_writer(path, false);
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  record_with_changes(*writer, *video, [](const char*) {});
  File f = File::read(path);
  const test::Box* tfhd = nullptr;
  for (const auto& b : f.root.children) {
    if (b.type != "moof") continue;
    const test::Box* t = b.find("traf/tfhd");
    if (t->u32(0) & 0x000002) {
      tfhd = t;
      break;
    }
  }
  ASSERT_NE(tfhd, nullptr);
  std::vector<uint8_t> whole(f.bytes.begin() + static_cast<std::ptrdiff_t>(tfhd->offset),
                             f.bytes.begin() + static_cast<std::ptrdiff_t>(tfhd->offset + tfhd->size));
  EXPECT_EQ(whole, unhex("0000001c" "74666864" "0002002a" "00000001" "00000002" "00000bb8" "01010000"));
}

// Distinct formats, each another PPS: the header's reserve holds a dozen or so; then a clean refusal naming
// the input, and the recording goes on with the descriptions it has.
TEST(FormatChange, no_room_left_in_the_header_is_refused_naming_the_input) {
  TempDir dir;
  const std::string path = dir.file("many.mp4");
  auto writer = fragment_writer(path, false);
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  int next = 0;
  append_frames(*video, next, 20);
  Status refused;
  uint32_t accepted = 0;
  for (uint8_t i = 0; i < 100 && refused.is_ok(); ++i) {
    std::vector<uint8_t> record = avcc_640x480();
    record.back() = i;  // another PPS byte: another description
    refused = video->change_format({Codec::kH264, record});
    if (refused.is_ok()) {
      ++accepted;
      append_frames(*video, next, 5);
    }
  }
  ASSERT_FALSE(refused.is_ok()) << "100 descriptions fit";
  RecordProperty("descriptions_accepted", static_cast<int>(accepted));
  EXPECT_GE(accepted, 8u);
  EXPECT_EQ(refused.code(), ErrorCode::kUnsupported);
  EXPECT_EQ(refused.message().rfind("video_0: format change: the header in front of the fragments has no room for a "
                                    "moov of ",
                                    0),
            0u)
      << refused.message();
  EXPECT_EQ(writer->status(), WriterStatus::kWriting);
  append_frames(*video, next, 5);
  ASSERT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string();
  File f = File::read(path);
  EXPECT_EQ(stsd_entries(*only_moov(f.root.children)), accepted + 1);
}

}  // namespace
}  // namespace aw
