// aw::recover_movie: killed recordings (simulated by truncating a live file at many offsets and by
// leaving the last fragment typed 'free') become plain movies holding exactly the complete fragments;
// finished, unrecoverable and hostile inputs are refused with errors, never a crash.
#include "aw/recover.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "aw/asset_writer.h"
#include "test_media.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

using test::Box;
using test::File;
using test::make_sample;
using test::read_bytes;
using test::TempDir;
using test::write_bytes;

constexpr uint8_t kVideoFill = 0x11;
constexpr uint8_t kAudioFill = 0x22;

// A recording left running: its file holds the fragments written so far, as after a kill.
struct LiveRecording {
  std::shared_ptr<AssetWriterInput> video = test::h264_input();
  std::shared_ptr<AssetWriterInput> audio = test::aac_input();
  std::unique_ptr<AssetWriter> writer;

  LiveRecording(const std::string& path, const std::function<void(AssetWriter&)>& configure) {
    writer = std::move(AssetWriter::create(path, FileType::kMpeg4)).value();
    EXPECT_TRUE(writer->set_creation_time(0).is_ok());
    EXPECT_TRUE(writer->set_sync_fragments_to_disk(false).is_ok());
    configure(*writer);
    EXPECT_TRUE(writer->add(video).is_ok());
    EXPECT_TRUE(writer->add(audio).is_ok());
    EXPECT_TRUE(writer->start_writing().is_ok());
    EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
  }

  // 30 fps video, a keyframe every 15 frames, 500 bytes each (presented a frame after it decodes when
  // `delayed`, as with B-frames), and 44.1 kHz AAC frames of 200 bytes.
  void append(int seconds, bool delayed = false) {
    for (int v = 0; v < seconds * 30; ++v) {
      Time dts(v, 30);
      append_frame(dts, delayed ? Time(v + 1, 30) : dts, v % 15 == 0);
    }
  }

  // As append(), but with B-frames: after `lead` frames presented as they decode (the keyframe, then
  // P-frames), decode order P B B P B B ..., each P presented after the two B-frames that follow it (a frame
  // of delay, so nothing presents before it decodes). One keyframe: fragments are cut mid-GOP.
  void append_reordered(int seconds, int lead) {
    for (int v = 0; v < seconds * 30; ++v) {
      append_frame(Time(v, 30), Time(reordered_slot(v, lead) + 1, 30), v == 0);
    }
  }

  static int reordered_slot(int v, int lead) {
    if (v < lead) return v;
    int group = (v - lead) / 3, place = (v - lead) % 3;
    return lead + 3 * group + (place == 0 ? 2 : place - 1);
  }

 private:
  void append_frame(Time dts, Time pts, bool sync) {
    ASSERT_TRUE(video->append(make_sample(pts, dts, 500, sync, kVideoFill)).is_ok());
    for (; Time(int64_t{audio_frame_} * 1024, 44100) < dts + Time(1, 30); ++audio_frame_) {
      Time at(int64_t{audio_frame_} * 1024, 44100);
      ASSERT_TRUE(audio->append(make_sample(at, at, 200, true, kAudioFill)).is_ok());
    }
  }

  int audio_frame_ = 0;
};

void crash_safe_plain(AssetWriter& w) { ASSERT_TRUE(w.set_crash_recovery_interval(Time(1, 1)).is_ok()); }
void fragmented(AssetWriter& w) { ASSERT_TRUE(w.set_movie_fragment_interval(Time(1, 1)).is_ok()); }

// What the complete fragments of a live file hold.
struct FragmentInfo {
  uint64_t moof_offset;
  uint64_t end;  // of its mdat
  uint32_t samples[2] = {0, 0};
};

std::vector<FragmentInfo> fragments_of(const File& f) {
  std::vector<FragmentInfo> out;
  const auto& top = f.root.children;
  for (size_t i = 0; i + 1 < top.size(); ++i) {
    if (top[i].type != "moof") continue;
    FragmentInfo info{top[i].offset, top[i + 1].offset + top[i + 1].size};
    for (size_t t = 0; t < top[i].count("traf"); ++t) {
      const Box* traf = top[i].child("traf", t);
      uint32_t id = traf->child("tfhd")->u32(4);
      for (size_t r = 0; r < traf->count("trun"); ++r) info.samples[id - 1] += traf->child("trun", r)->u32(4);
    }
    out.push_back(info);
  }
  return out;
}

// The recovered file's track `t`: every sample lies inside the file on its track's payload.
void expect_samples_on_payload(const File& f, size_t t, uint8_t fill, uint32_t expected_count) {
  const Box* stbl = f.find("moov/trak[" + std::to_string(t) + "]/mdia/minf/stbl");
  ASSERT_NE(stbl, nullptr);
  const Box* stsz = stbl->child("stsz");
  uint32_t constant = stsz->u32(4);
  uint32_t count = stsz->u32(8);
  ASSERT_EQ(count, expected_count) << "track " << t;
  const Box* stsc = stbl->child("stsc");
  const Box* stco = stbl->child("stco");
  ASSERT_NE(stco, nullptr);
  uint32_t chunks = stco->u32(4);
  uint32_t entries = stsc->u32(4);
  uint32_t sample = 0;
  for (uint32_t c = 0; c < chunks; ++c) {
    uint32_t per_chunk = 0;
    for (uint32_t e = 0; e < entries; ++e) {
      if (stsc->u32(8 + e * 12) <= c + 1) per_chunk = stsc->u32(12 + e * 12);
    }
    uint64_t offset = stco->u32(8 + c * 4);
    for (uint32_t s = 0; s < per_chunk; ++s, ++sample) {
      ASSERT_LT(sample, count);
      uint32_t size = constant ? constant : stsz->u32(12 + sample * 4);
      ASSERT_LE(offset + size, f.bytes.size());
      ASSERT_EQ(f.bytes[offset], fill) << "track " << t << " sample " << sample << " at " << offset;
      ASSERT_EQ(f.bytes[offset + size - 1], fill) << "track " << t << " sample " << sample;
      offset += size;
    }
  }
  EXPECT_EQ(sample, count);
}

uint64_t mdhd_duration(const File& f, size_t t) {
  const Box* mdhd = f.find("moov/trak[" + std::to_string(t) + "]/mdia/mdhd");
  return mdhd->payload[0] == 1 ? mdhd->u64(24) : mdhd->u32(16);
}

// Recovers `bytes` (a killed file) and checks the result against the fragments complete within it.
void expect_recovers(const TempDir& dir, std::span<const uint8_t> bytes, const std::vector<FragmentInfo>& all,
                     const std::string& label) {
  std::vector<FragmentInfo> complete;
  for (const auto& f : all) {
    if (f.end <= bytes.size()) complete.push_back(f);
  }
  std::string in = dir.file("killed.mp4"), out = dir.file("recovered.mp4");
  std::filesystem::remove(out);
  write_bytes(in, bytes);
  RecoveryReport report;
  Status s = recover_movie(in, out, &report);
  if (complete.empty()) {
    EXPECT_FALSE(s.is_ok()) << label;
    EXPECT_FALSE(std::filesystem::exists(out)) << label << ": a failed recovery leaves no output";
    return;
  }
  ASSERT_TRUE(s.is_ok()) << label << ": " << s.to_string();
  EXPECT_EQ(report.fragments, complete.size()) << label;
  EXPECT_EQ(report.bytes_kept, complete.back().end) << label;
  File f = File::read(out);  // throws unless every size adds up
  auto top = f.top_level();
  EXPECT_EQ(top.back(), "moov") << label;
  EXPECT_EQ(std::count(top.begin(), top.end(), "moov"), 1) << label;
  EXPECT_EQ(std::count(top.begin(), top.end(), "moof"), 0) << label;
  EXPECT_EQ(f.find("moov/mvex"), nullptr) << label;
  uint32_t expected[2] = {0, 0};
  for (const auto& c : complete) {
    expected[0] += c.samples[0];
    expected[1] += c.samples[1];
  }
  expect_samples_on_payload(f, 0, kVideoFill, expected[0]);
  expect_samples_on_payload(f, 1, kAudioFill, expected[1]);
  // Every video frame lasts 1/30 s (3000 ticks at 90 kHz), every AAC frame 1024 ticks at 44.1 kHz.
  EXPECT_EQ(mdhd_duration(f, 0), uint64_t{expected[0]} * 3000) << label;
  EXPECT_EQ(mdhd_duration(f, 1), uint64_t{expected[1]} * 1024) << label;
  // mvhd: the longer track, in ms (version 0 now: the value fits).
  uint64_t longest = std::max<uint64_t>(expected[0] * 1000 / 30, (uint64_t{expected[1]} * 1024 * 1000 + 22050) / 44100);
  EXPECT_NEAR(static_cast<double>(f.find("moov/mvhd")->u32(16)), static_cast<double>(longest), 1.0) << label;
}

class RecoverKilled : public ::testing::TestWithParam<bool> {};

TEST_P(RecoverKilled, keeps_exactly_the_complete_fragments_wherever_the_file_was_cut) {
  TempDir dir;
  std::string live = dir.file("live.mp4");
  LiveRecording r(live, GetParam() ? fragmented : crash_safe_plain);
  r.append(5);
  std::vector<uint8_t> bytes = read_bytes(live);
  auto fragments = fragments_of(File::read(live));
  ASSERT_GE(fragments.size(), 3u);
  // Every 97th byte across the file, and each fragment's first and last bytes.
  std::vector<size_t> cuts;
  for (size_t cut = 0; cut <= bytes.size(); cut += 97) cuts.push_back(cut);
  for (const auto& f : fragments) {
    for (uint64_t at : {f.moof_offset, f.moof_offset + 4, f.moof_offset + 9, f.end - 1, f.end, f.end + 1}) {
      if (at <= bytes.size()) cuts.push_back(at);
    }
  }
  for (size_t cut : cuts) {
    expect_recovers(dir, std::span<const uint8_t>(bytes).first(cut), fragments, "cut at " + std::to_string(cut));
    if (HasFatalFailure()) return;
  }
}

TEST_P(RecoverKilled, drops_a_last_fragment_still_typed_free) {
  TempDir dir;
  std::string live = dir.file("live.mp4");
  LiveRecording r(live, GetParam() ? fragmented : crash_safe_plain);
  r.append(4);
  std::vector<uint8_t> bytes = read_bytes(live);
  auto fragments = fragments_of(File::read(live));
  ASSERT_GE(fragments.size(), 2u);
  // Killed after the last fragment's bytes were written but before its type was patched.
  std::copy_n("free", 4, bytes.begin() + static_cast<ptrdiff_t>(fragments.back().moof_offset + 4));
  auto complete = fragments;
  complete.back().end = bytes.size() + 1;  // not complete
  expect_recovers(dir, bytes, complete, "last moof typed free");
  RecoveryReport report;
  ASSERT_TRUE(recover_movie(dir.file("killed.mp4"), dir.file("again.mp4"), &report).is_ok());
  EXPECT_EQ(report.bytes_dropped, bytes.size() - fragments[fragments.size() - 2].end);
}

TEST_P(RecoverKilled, keeps_the_recordings_empty_edit_and_composition_delay) {
  TempDir dir;
  std::string live = dir.file("live.mp4");
  LiveRecording r(live, GetParam() ? fragmented : crash_safe_plain);
  r.append(3, /*delayed=*/true);
  ASSERT_TRUE(recover_movie(live, dir.file("out.mp4")).is_ok());
  File f = File::read(dir.file("out.mp4"));
  // Every frame is shown 3000 ticks (one frame) after it decodes, the session starts at 0: the movie
  // starts with 33 ms of nothing, then the media from its first presented frame, media time 3000.
  const Box* ctts = f.find("moov/trak/mdia/minf/stbl/ctts");
  ASSERT_NE(ctts, nullptr);
  EXPECT_EQ(ctts->u32(4), 1u);
  EXPECT_EQ(ctts->u32(12), 3000u);
  const Box* elst = f.find("moov/trak/edts/elst");
  ASSERT_NE(elst, nullptr);
  ASSERT_EQ(elst->payload[0], 0);  // version 0: the values fit
  ASSERT_EQ(elst->u32(4), 2u);
  EXPECT_EQ(elst->u32(8), 33u);  // empty edit, ms
  EXPECT_EQ(static_cast<int32_t>(elst->u32(12)), -1);
  uint32_t frames = f.find("moov/trak/mdia/minf/stbl/stsz")->u32(8);
  EXPECT_EQ(elst->u32(20), (frames * 1000 + 15) / 30);  // the media edit: every frame, ms
  EXPECT_EQ(elst->u32(24), 3000u);
  EXPECT_EQ(mdhd_duration(f, 0), uint64_t{frames} * 3000);
  // tkhd (version 0): the empty edit plus the media.
  EXPECT_EQ(f.find("moov/trak/tkhd")->u32(20), 33u + (frames * 1000 + 15) / 30);
}

// The presentation times (frames of 3000 ticks, after the empty edit) of track 0's samples, from its stts and
// ctts: decode time plus composition offset.
std::vector<uint32_t> presented_frames(const File& f) {
  const Box* stbl = f.find("moov/trak/mdia/minf/stbl");
  std::vector<int64_t> decode;
  const Box* stts = stbl->child("stts");
  int64_t t = 0;
  for (uint32_t e = 0; e < stts->u32(4); ++e) {
    for (uint32_t n = 0; n < stts->u32(8 + e * 8); ++n, t += stts->u32(12 + e * 8)) decode.push_back(t);
  }
  std::vector<uint32_t> frames;
  const Box* ctts = stbl->child("ctts");
  for (uint32_t e = 0, i = 0; e < ctts->u32(4); ++e) {
    for (uint32_t n = 0; n < ctts->u32(8 + e * 8) && i < decode.size(); ++n, ++i) {
      frames.push_back(static_cast<uint32_t>((decode[i] + static_cast<int32_t>(ctts->u32(12 + e * 8))) / 3000));
    }
  }
  std::sort(frames.begin(), frames.end());
  return frames;
}

// A kill after a P-frame whose B-frames were not yet written leaves the P-frame presented after a hole:
// the recovered movie ends at the last frame before the hole, and its table holds exactly the frames shown.
TEST_P(RecoverKilled, ends_at_the_hole_a_kill_left_in_a_reordered_stream) {
  // The frames the kept ones reorder with, by where the last complete fragment ended in the pattern: after
  // the second B-frame (none lost), after the P-frame (its two B-frames lost: the P dropped), after the first
  // B-frame (the second lost: the P dropped, and the B that references it).
  struct Case {
    int lead;
    uint32_t dropped;
  };
  for (Case c : {Case{3, 0}, Case{2, 1}, Case{1, 2}}) {
    SCOPED_TRACE("lead " + std::to_string(c.lead));
    TempDir dir;
    std::string live = dir.file("live.mp4");
    LiveRecording r(live, GetParam() ? fragmented : crash_safe_plain);
    r.append_reordered(5, c.lead);
    uint32_t kept = 0;
    for (const auto& fragment : fragments_of(File::read(live))) kept += fragment.samples[0];
    ASSERT_GT(kept, 0u);
    ASSERT_EQ(kept % 3, 0u) << "the cases assume fragments of whole 3-frame groups";
    RecoveryReport report;
    ASSERT_TRUE(recover_movie(live, dir.file("out.mp4"), &report).is_ok());
    const uint32_t shown = kept - c.dropped;
    EXPECT_EQ(report.tracks[0].sample_count, shown);
    EXPECT_EQ(report.tracks[0].dropped_samples, c.dropped);
    EXPECT_EQ(report.tracks[1].dropped_samples, 0u);
    File f = File::read(dir.file("out.mp4"));
    expect_samples_on_payload(f, 0, kVideoFill, shown);
    // Presented after the frame of delay: frames 1 to `shown`, each once, none after a hole.
    std::vector<uint32_t> frames = presented_frames(f);
    ASSERT_EQ(frames.size(), shown);
    for (uint32_t i = 0; i < shown; ++i) ASSERT_EQ(frames[i], i + 1) << "sample " << i << " in presentation order";
    EXPECT_EQ(mdhd_duration(f, 0), uint64_t{shown} * 3000);
    // The media edit spans exactly the shown frames (ms), from the first presented one.
    const Box* elst = f.find("moov/trak/edts/elst");
    ASSERT_NE(elst, nullptr);
    ASSERT_EQ(elst->u32(4), 2u);
    EXPECT_EQ(elst->u32(8), 33u);
    EXPECT_EQ(elst->u32(20), (shown * 1000 + 15) / 30);
    EXPECT_EQ(elst->u32(24), 3000u);
    EXPECT_EQ(f.find("moov/trak/tkhd")->u32(20), 33u + (shown * 1000 + 15) / 30);
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, RecoverKilled, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "fragmented" : "crash_safe_plain"; });

TEST(Recover, refuses_a_finished_movie_and_writes_nothing) {
  for (bool fragmented_mode : {false, true}) {
    TempDir dir;
    LiveRecording r(dir.file("done.mp4"), fragmented_mode ? fragmented : crash_safe_plain);
    r.append(2);
    ASSERT_TRUE(r.writer->finish_writing().is_ok());
    RecoveryReport report;
    Status s = recover_movie(dir.file("done.mp4"), dir.file("out.mp4"), &report);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidState) << s.to_string();
    EXPECT_TRUE(report.already_finished);
    EXPECT_NE(s.message().find("already a finished movie"), std::string::npos) << s.message();
    EXPECT_FALSE(std::filesystem::exists(dir.file("out.mp4")));
  }
}

TEST(Recover, refuses_a_plain_recording_made_with_crash_recovery_off) {
  TempDir dir;
  LiveRecording r(dir.file("plain.mp4"),
                  [](AssetWriter& w) { ASSERT_TRUE(w.set_crash_recovery_interval(Time::invalid()).is_ok()); });
  r.append(2);
  Status s = recover_movie(dir.file("plain.mp4"), dir.file("out.mp4"));
  EXPECT_EQ(s.code(), ErrorCode::kUnsupported) << s.to_string();
  EXPECT_NE(s.message().find("crash recovery off"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("plain.mp4"), std::string::npos) << s.message();
}

TEST(Recover, never_writes_over_its_input) {
  TempDir dir;
  std::string live = dir.file("live.mp4");
  LiveRecording r(live, crash_safe_plain);
  r.append(3);
  auto before = read_bytes(live);
  std::filesystem::create_hard_link(live, dir.file("link.mp4"));
  for (const std::string& out : {live, dir.file("link.mp4")}) {
    Status s = recover_movie(live, out);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(s.message().find("input file itself"), std::string::npos) << s.message();
  }
  EXPECT_EQ(read_bytes(live), before);
}

TEST(Recover, missing_and_empty_inputs_are_errors_naming_the_file) {
  TempDir dir;
  Status missing = recover_movie(dir.file("nope.mp4"), dir.file("out.mp4"));
  EXPECT_EQ(missing.code(), ErrorCode::kIo);
  EXPECT_NE(missing.message().find("nope.mp4"), std::string::npos);
  write_bytes(dir.file("empty.mp4"), {});
  Status empty = recover_movie(dir.file("empty.mp4"), dir.file("out.mp4"));
  EXPECT_FALSE(empty.is_ok());
  EXPECT_NE(empty.message().find("empty.mp4"), std::string::npos);
}

TEST(Recover, a_run_pointing_outside_its_mdat_is_an_error) {
  TempDir dir;
  std::string live = dir.file("live.mp4");
  LiveRecording r(live, crash_safe_plain);
  r.append(3);
  auto bytes = read_bytes(live);
  File f = File::read(live);
  const Box* moof = nullptr;
  for (const auto& b : f.root.children) {
    if (b.type == "moof") moof = &b;
  }
  ASSERT_NE(moof, nullptr);
  const Box* trun = moof->child("traf")->child("trun");
  size_t field = static_cast<size_t>(trun->offset + trun->header_size + 8);  // data_offset
  for (uint32_t offset : {0x7fffffffu, 0x80000000u, 0u, 4u}) {
    std::vector<uint8_t> hostile = bytes;
    for (int i = 0; i < 4; ++i) hostile[field + i] = static_cast<uint8_t>(offset >> (24 - 8 * i));
    write_bytes(dir.file("hostile.mp4"), hostile);
    Status s = recover_movie(dir.file("hostile.mp4"), dir.file("out.mp4"));
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << offset;
    EXPECT_FALSE(std::filesystem::exists(dir.file("out.mp4")));
  }
}

TEST(Recover, random_and_corrupted_inputs_are_errors_or_recover_never_crash) {
  TempDir dir;
  std::string live = dir.file("live.mp4");
  LiveRecording r(live, crash_safe_plain);
  r.append(3);
  auto bytes = read_bytes(live);
  File f = File::read(live);
  uint64_t headers_end = 0;  // corrupt the moov and the first moof, where the parsing happens
  for (const auto& b : f.root.children) {
    if (b.type == "mdat") {
      headers_end = b.offset;
      break;
    }
  }
  std::mt19937 rng(20240605);
  size_t recovered = 0, refused = 0;
  for (int i = 0; i < 400; ++i) {
    std::vector<uint8_t> bad = bytes;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) bad[rng() % headers_end] = static_cast<uint8_t>(rng());
    write_bytes(dir.file("bad.mp4"), bad);
    std::filesystem::remove(dir.file("out.mp4"));
    Status s = recover_movie(dir.file("bad.mp4"), dir.file("out.mp4"));
    if (s.is_ok()) {
      ++recovered;
    } else {
      ++refused;
      EXPECT_FALSE(s.message().empty());
    }
  }
  for (size_t size : {1u, 7u, 8u, 16u, 100u, 4096u, 100000u}) {
    std::vector<uint8_t> noise(size);
    for (auto& b : noise) b = static_cast<uint8_t>(rng());
    write_bytes(dir.file("noise.mp4"), noise);
    EXPECT_FALSE(recover_movie(dir.file("noise.mp4"), dir.file("out.mp4")).is_ok());
  }
  EXPECT_GT(recovered + refused, 0u);
  std::cout << "corrupted headers: " << recovered << " recovered, " << refused << " refused\n";
}

TEST(Recover, a_truncated_moov_is_an_error) {
  TempDir dir;
  std::string live = dir.file("live.mp4");
  LiveRecording r(live, crash_safe_plain);
  r.append(2);
  auto bytes = read_bytes(live);
  File file = File::read(live);  // keeps the boxes alive while `moov` points into them
  const Box* moov = file.find("moov");
  // The moov claims fewer bytes than its children need: its last child runs past it.
  std::vector<uint8_t> bad = bytes;
  uint32_t shorter = static_cast<uint32_t>(moov->size - 3);
  for (int i = 0; i < 4; ++i) bad[moov->offset + i] = static_cast<uint8_t>(shorter >> (24 - 8 * i));
  write_bytes(dir.file("bad.mp4"), bad);
  Status s = recover_movie(dir.file("bad.mp4"), dir.file("out.mp4"));
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << s.to_string();
  EXPECT_NE(s.message().find("bad.mp4"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace aw
