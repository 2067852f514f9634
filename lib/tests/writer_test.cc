#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <limits>

#include "aw/asset_writer.h"
#include "test_media.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

using test::File;
using test::make_sample;
using test::make_writer;
using test::TempDir;

uint16_t pack_language_for_test(const char* code) {
  return static_cast<uint16_t>((code[0] - 0x60) << 10 | (code[1] - 0x60) << 5 | (code[2] - 0x60));
}

// 30 fps video (every 3rd frame a keyframe) and 44.1 kHz AAC, `seconds` long.
void append_av(AssetWriterInput& video, AssetWriterInput& audio, int seconds) {
  int frames = seconds * 30;
  int audio_frames = seconds * 44100 / 1024;
  int a = 0;
  for (int v = 0; v < frames; ++v) {
    Time t(v * 3000, 90000);
    ASSERT_TRUE(video.append(make_sample(t, t, 1000 + v, v % 3 == 0, 0x11)).is_ok());
    while (a < audio_frames && Time(a * 1024, 44100) <= t) {
      Time at(a * 1024, 44100);
      ASSERT_TRUE(audio.append(make_sample(at, at, 300, true, 0x22)).is_ok());
      ++a;
    }
  }
}

// Writes `seconds` of video + audio (append_av) into dir/name with `configure` applied first; checks the
// writer completed. `while_writing` runs after start_writing (e.g. to look at the directory).
File write_av_movie(const TempDir& dir, const std::string& name, int seconds,
                    const std::function<void(AssetWriter&)>& configure,
                    const std::function<void()>& while_writing = {}) {
  auto writer = make_writer(dir.file(name));
  auto video = test::h264_input();
  auto audio = test::aac_input();
  EXPECT_TRUE(writer->add(video).is_ok());
  EXPECT_TRUE(writer->add(audio).is_ok());
  configure(*writer);
  EXPECT_TRUE(writer->start_writing().is_ok());
  if (while_writing) while_writing();
  EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
  append_av(*video, *audio, seconds);
  EXPECT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string();
  EXPECT_EQ(writer->status(), WriterStatus::kCompleted);
  return File::read(dir.file(name));
}

TEST(AssetWriter, create_refuses_empty_path_missing_directory_and_directory) {
  TempDir dir;
  EXPECT_EQ(AssetWriter::create("", FileType::kMpeg4).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(AssetWriter::create(dir.file("nope/x.mp4"), FileType::kMpeg4).status().code(), ErrorCode::kInvalidArgument);
  auto dir_as_file = AssetWriter::create(dir.file(""), FileType::kMpeg4);
  EXPECT_FALSE(dir_as_file.is_ok());
}

TEST(AssetWriter, plain_mp4_has_ftyp_mdat_moov_and_consistent_tables) {
  TempDir dir;
  File f = write_av_movie(dir, "a.mp4", 2, [](AssetWriter& w) {
    ASSERT_TRUE(w.set_crash_recovery_interval(Time::invalid()).is_ok());
  });
  EXPECT_EQ(f.top_level(), (std::vector<std::string>{"ftyp", "free", "mdat", "moov"}));
  const auto* mvhd = f.find("moov/mvhd");
  ASSERT_NE(mvhd, nullptr);
  EXPECT_EQ(mvhd->u32(12), 1000u);  // timescale
  EXPECT_EQ(mvhd->u32(16), 2000u);  // duration: 60 frames of 1/30 s

  const auto* video_stsz = f.find("moov/trak/mdia/minf/stbl/stsz");
  ASSERT_NE(video_stsz, nullptr);
  EXPECT_EQ(video_stsz->u32(8), 60u);
  const auto* stss = f.find("moov/trak/mdia/minf/stbl/stss");
  ASSERT_NE(stss, nullptr);
  EXPECT_EQ(stss->u32(4), 20u);
  // Audio: constant-size samples are one stsz value.
  const auto* audio_stsz = f.find("moov/trak[1]/mdia/minf/stbl/stsz");
  ASSERT_NE(audio_stsz, nullptr);
  EXPECT_EQ(audio_stsz->u32(4), 300u);
  EXPECT_EQ(f.find("moov/trak[1]/mdia/minf/stbl/stss"), nullptr);

  // Every chunk offset points inside the mdat payload, and the chunks of both tracks alternate.
  const auto* mdat = f.find("mdat");
  ASSERT_NE(mdat, nullptr);
  const auto* stco = f.find("moov/trak/mdia/minf/stbl/stco");
  ASSERT_NE(stco, nullptr);
  uint32_t chunks = stco->u32(4);
  EXPECT_EQ(chunks, 4u);  // 2 s in 0.5 s chunks
  for (uint32_t i = 0; i < chunks; ++i) {
    uint32_t offset = stco->u32(8 + 4 * i);
    EXPECT_GE(offset, mdat->offset + mdat->header_size);
    EXPECT_LT(offset, mdat->offset + mdat->size);
    EXPECT_EQ(f.bytes[offset], 0x11);
  }
  const auto* audio_stco = f.find("moov/trak[1]/mdia/minf/stbl/stco");
  ASSERT_NE(audio_stco, nullptr);
  EXPECT_EQ(f.bytes[audio_stco->u32(8)], 0x22);
  EXPECT_LT(stco->u32(8), audio_stco->u32(8));
  EXPECT_LT(audio_stco->u32(8), stco->u32(12));
}

TEST(AssetWriter, crash_safe_plain_movie_ends_as_plain_movie_over_the_fragments_mdats) {
  TempDir dir;
  File f = write_av_movie(dir, "h.mp4", 5, [](AssetWriter& w) { ASSERT_TRUE(w.set_sync_fragments_to_disk(false).is_ok()); });
  auto top = f.top_level();
  // ftyp, the first moov and its reserve (now free), then per fragment a free (was moof) and an mdat,
  // then the complete moov.
  EXPECT_EQ(top.front(), "ftyp");
  EXPECT_EQ(top.back(), "moov");
  EXPECT_EQ(std::count(top.begin(), top.end(), "moov"), 1);
  EXPECT_EQ(std::count(top.begin(), top.end(), "moof"), 0);
  EXPECT_EQ(std::count(top.begin(), top.end(), "mdat"), 3);  // keyframes every 3 frames: cuts at 2 s and 4 s
  EXPECT_EQ(f.find("moov/mvex"), nullptr);
  const auto* stsz = f.find("moov/trak/mdia/minf/stbl/stsz");
  EXPECT_EQ(stsz->u32(8), 150u);
  // Every chunk offset lands on the track's own payload.
  const auto* stco = f.find("moov/trak/mdia/minf/stbl/stco");
  for (uint32_t i = 0; i < stco->u32(4); ++i) EXPECT_EQ(f.bytes[stco->u32(8 + 4 * i)], 0x11);
  const auto* audio_stco = f.find("moov/trak[1]/mdia/minf/stbl/stco");
  for (uint32_t i = 0; i < audio_stco->u32(4); ++i) EXPECT_EQ(f.bytes[audio_stco->u32(8 + 4 * i)], 0x22);
  EXPECT_EQ(f.find("moov/mvhd")->u32(16), 5000u);
}

// The recording's first moov, hidden at finish, is erased too: VLC looks inside 'free' boxes and warns of a
// "moov hidden in a free box". Only the final moov's type appears in the file.
TEST(AssetWriter, crash_safe_plain_movie_erases_its_first_moov) {
  TempDir dir;
  File f = write_av_movie(dir, "h.mp4", 5, [](AssetWriter& w) { ASSERT_TRUE(w.set_sync_fragments_to_disk(false).is_ok()); });
  const std::string_view text(reinterpret_cast<const char*>(f.bytes.data()), f.bytes.size());
  EXPECT_EQ(text.find("moov"), text.rfind("moov"));
  EXPECT_EQ(text.find("mvex"), std::string_view::npos);
  // The box after ftyp was that moov: a 'free' box of zeros now.
  const uint32_t ftyp_size = f.find("ftyp")->size;
  const uint32_t erased_size = static_cast<uint32_t>(f.bytes[ftyp_size] << 24 | f.bytes[ftyp_size + 1] << 16 |
                                                     f.bytes[ftyp_size + 2] << 8 | f.bytes[ftyp_size + 3]);
  EXPECT_EQ(text.substr(ftyp_size + 4, 4), "free");
  ASSERT_GT(erased_size, 8u);
  EXPECT_TRUE(std::all_of(f.bytes.begin() + ftyp_size + 8, f.bytes.begin() + ftyp_size + erased_size,
                          [](uint8_t b) { return b == 0; }));
}

TEST(AssetWriter, optimized_for_network_use_puts_moov_first_and_removes_temporary_file) {
  TempDir dir;
  File f = write_av_movie(
      dir, "fast.mp4", 1, [](AssetWriter& w) { ASSERT_TRUE(w.set_should_optimize_for_network_use(true).is_ok()); },
      [&] { EXPECT_EQ(dir.entry_count(), 2u); });  // the output and the temporary media file
  EXPECT_EQ(dir.entry_count(), 1u);
  EXPECT_EQ(f.top_level(), (std::vector<std::string>{"ftyp", "moov", "mdat"}));
  const auto* stco = f.find("moov/trak/mdia/minf/stbl/stco");
  ASSERT_NE(stco, nullptr);
  const auto* mdat = f.find("mdat");
  EXPECT_EQ(stco->u32(8), mdat->offset + 8);
  EXPECT_EQ(f.bytes[stco->u32(8)], 0x11);
}

// The first video sample's bytes are where stco says, and mdat holds exactly the media.
void expect_moov_first_payload(const File& f) {
  const auto* stco = f.find("moov/trak/mdia/minf/stbl/stco");
  ASSERT_NE(stco, nullptr);
  const auto* mdat = f.find("mdat");
  ASSERT_NE(mdat, nullptr);
  EXPECT_EQ(stco->u32(8), mdat->offset + 8);
  EXPECT_EQ(f.bytes[stco->u32(8)], 0x11);
  EXPECT_LT(f.find("moov")->offset, mdat->offset);
}

TEST(AssetWriter, moov_first_with_a_reserved_size_writes_the_index_in_place_without_a_temporary_file) {
  TempDir dir;
  File f = write_av_movie(
      dir, "reserved.mp4", 2,
      [](AssetWriter& w) {
        ASSERT_TRUE(w.set_should_optimize_for_network_use(true).is_ok());
        ASSERT_TRUE(w.set_reserved_moov_size(64 << 10).is_ok());
      },
      [&] { EXPECT_EQ(dir.entry_count(), 1u); });  // media goes straight into the output
  EXPECT_EQ(dir.entry_count(), 1u);
  // ftyp, moov + the rest of the reservation, the 8-byte placeholder for a 64-bit mdat header, mdat.
  EXPECT_EQ(f.top_level(), (std::vector<std::string>{"ftyp", "moov", "free", "free", "mdat"}));
  EXPECT_EQ(f.find("moov")->size + f.find("free")->size, uint64_t{64 << 10});
  expect_moov_first_payload(f);
}

TEST(AssetWriter, moov_first_reserves_from_the_duration_hint) {
  TempDir dir;
  File f = write_av_movie(dir, "hinted.mp4", 2, [](AssetWriter& w) {
    ASSERT_TRUE(w.set_should_optimize_for_network_use(true).is_ok());
    ASSERT_TRUE(w.set_overall_duration_hint(Time(2, 1)).is_ok());
  });
  EXPECT_EQ(dir.entry_count(), 1u);
  EXPECT_EQ(f.top_level(), (std::vector<std::string>{"ftyp", "moov", "free", "free", "mdat"}));
  expect_moov_first_payload(f);
}

TEST(AssetWriter, moov_first_falls_back_to_one_copy_when_the_reservation_is_too_small) {
  TempDir dir;
  File f = write_av_movie(dir, "small.mp4", 2, [](AssetWriter& w) {
    ASSERT_TRUE(w.set_should_optimize_for_network_use(true).is_ok());
    ASSERT_TRUE(w.set_reserved_moov_size(200).is_ok());
  });
  EXPECT_EQ(dir.entry_count(), 1u);  // the copy replaced the first file
  EXPECT_EQ(f.top_level(), (std::vector<std::string>{"ftyp", "moov", "mdat"}));
  expect_moov_first_payload(f);
}

TEST(AssetWriter, a_reserved_moov_size_over_4_gib_is_refused) {
  TempDir dir;
  auto writer = make_writer(dir.file("r.mp4"));
  EXPECT_EQ(writer->set_reserved_moov_size(uint64_t{1} << 32).code(), ErrorCode::kInvalidArgument);
}

TEST(AssetWriter, cancel_removes_output_and_temporary_file) {
  TempDir dir;
  auto writer = make_writer(dir.file("c.mp4"));
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->set_should_optimize_for_network_use(true).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  ASSERT_TRUE(video->append(make_sample(Time::zero(), Time::zero(), 10, true)).is_ok());
  ASSERT_TRUE(writer->cancel_writing().is_ok());
  EXPECT_EQ(writer->status(), WriterStatus::kCancelled);
  EXPECT_EQ(dir.entry_count(), 0u);
  EXPECT_EQ(writer->finish_writing().code(), ErrorCode::kInvalidState);
}

TEST(AssetWriter, calls_in_the_wrong_state_are_refused) {
  TempDir dir;
  auto writer = make_writer(dir.file("s.mp4"));
  auto video = test::h264_input();
  EXPECT_EQ(writer->start_session(Time::zero()).code(), ErrorCode::kInvalidState);
  EXPECT_EQ(writer->finish_writing().code(), ErrorCode::kInvalidState);
  EXPECT_EQ(video->append(make_sample(Time::zero(), Time::zero(), 1, true)).code(), ErrorCode::kInvalidState);
  ASSERT_TRUE(writer->add(video).is_ok());
  EXPECT_FALSE(writer->can_add(video));  // already added
  ASSERT_TRUE(writer->start_writing().is_ok());
  EXPECT_EQ(writer->start_writing().code(), ErrorCode::kInvalidState);
  EXPECT_EQ(writer->add(test::aac_input()).code(), ErrorCode::kInvalidState);
  EXPECT_EQ(writer->set_movie_time_scale(600).code(), ErrorCode::kInvalidState);
  // Appending before the session starts is refused but does not fail the writer.
  EXPECT_EQ(video->append(make_sample(Time::zero(), Time::zero(), 1, true)).code(), ErrorCode::kInvalidState);
  EXPECT_EQ(writer->status(), WriterStatus::kWriting);
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  EXPECT_EQ(writer->start_session(Time::zero()).code(), ErrorCode::kInvalidState);
  ASSERT_TRUE(writer->finish_writing().is_ok());
  EXPECT_EQ(writer->finish_writing().code(), ErrorCode::kInvalidState);
  EXPECT_EQ(writer->cancel_writing().code(), ErrorCode::kInvalidState);
  EXPECT_TRUE(std::filesystem::exists(dir.file("s.mp4")));
}

TEST(AssetWriter, malformed_configuration_fails_start_writing_naming_the_input) {
  TempDir dir;
  auto writer = make_writer(dir.file("m.mp4"));
  auto video = AssetWriterInput::create(MediaType::kVideo, {Codec::kH264, {0x01, 0x64, 0x00}});
  ASSERT_TRUE(writer->add(video).is_ok());
  Status s = writer->start_writing();
  EXPECT_EQ(s.code(), ErrorCode::kMalformedConfig);
  EXPECT_NE(s.message().find("video_0: "), std::string::npos) << s.message();
  EXPECT_EQ(writer->status(), WriterStatus::kFailed);
  // After failing, every call reports the first error.
  EXPECT_EQ(writer->finish_writing().message(), s.message());
  EXPECT_EQ(writer->error().message(), s.message());
  EXPECT_FALSE(std::filesystem::exists(dir.file("m.mp4")));
}

TEST(AssetWriter, decreasing_decode_time_is_refused_and_accepted_samples_still_finish) {
  TempDir dir;
  auto writer = make_writer(dir.file("d.mp4"));
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  ASSERT_TRUE(video->append(make_sample(Time(3000, 90000), Time(3000, 90000), 5, true)).is_ok());
  Status s = video->append(make_sample(Time(0, 90000), Time(0, 90000), 5, true));
  EXPECT_EQ(s.code(), ErrorCode::kTimestampOrder);
  EXPECT_NE(s.message().find("video_0"), std::string::npos) << s.message();
  Sample untimed = make_sample(Time::invalid(), Time::invalid(), 5, true);
  EXPECT_EQ(video->append(untimed).code(), ErrorCode::kTimestampOrder);
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("d.mp4"));
  EXPECT_EQ(f.find("moov/trak/mdia/minf/stbl/stsz")->u32(8), 1u);
}

// PCM buffers whose timestamps are rounded to milliseconds (as from Matroska) follow each other frame by
// frame: one stts entry of one tick per frame, no negative delta where a rounded timestamp overlaps the
// previous buffer (issue 21's validator matrix, D1); a real gap stays one.
TEST(AssetWriter, pcm_buffers_with_rounded_timestamps_follow_each_other_frame_by_frame) {
  TempDir dir;
  auto writer = make_writer(dir.file("pcm.mov"), FileType::kQuickTimeMovie);
  FormatDescription d{.codec = Codec::kPcm};
  d.pcm = {16, false, true, true};
  d.channels = 2;
  d.sample_rate = 48000;
  auto audio = AssetWriterInput::create(MediaType::kAudio, d);
  ASSERT_TRUE(writer->add(audio).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  for (int64_t i = 0; i < 10; ++i) {
    const Time at(i * 1024 * 1000 / 48000, 1000);  // 0, 21, 42, 64, 85 ms: rounded down
    ASSERT_TRUE(audio->append(make_sample(at, at, 1024 * 4, true)).is_ok());
  }
  const Time after_gap(500, 1000);  // a real gap: 0.5 s, where 10 buffers end at 213 ms
  ASSERT_TRUE(audio->append(make_sample(after_gap, after_gap, 1024 * 4, true)).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("pcm.mov"));
  const test::Box* stts = f.find("moov/trak/mdia/minf/stbl/stts");
  ASSERT_NE(stts, nullptr);
  // Entries: 10239 frames of 1 tick, the last frame before the gap lasting to 500 ms, then 1024 frames.
  ASSERT_EQ(stts->u32(4), 3u);
  EXPECT_EQ(stts->u32(8), 10239u);
  EXPECT_EQ(stts->u32(12), 1u);
  EXPECT_EQ(stts->u32(16), 1u);
  EXPECT_EQ(stts->u32(20), 24000u - 10239u);
  EXPECT_EQ(stts->u32(24), 1024u);
  EXPECT_EQ(stts->u32(28), 1u);
}

// An empty video or audio sample is refused (no decoder takes one; issue 22), naming the input; the writer
// goes on with the samples accepted.
TEST(AssetWriter, an_empty_sample_is_refused_and_accepted_samples_still_finish) {
  TempDir dir;
  auto writer = make_writer(dir.file("e.mp4"));
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  ASSERT_TRUE(video->append(make_sample(Time(0, 30), Time(0, 30), 5, true)).is_ok());
  Status s = video->append(make_sample(Time(1, 30), Time(1, 30), 0, false));
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("video_0: empty sample"), std::string::npos) << s.message();
  ASSERT_TRUE(video->append(make_sample(Time(2, 30), Time(2, 30), 5, false)).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("e.mp4"));
  EXPECT_EQ(f.find("moov/trak/mdia/minf/stbl/stsz")->u32(8), 2u);
}

// Found by fuzz_writer_api (fuzz/regressions/writer_api/extreme-times-gap-overflow-hang): a decode time
// near INT64_MAX ticks after one far below zero overflowed the gap check, was accepted, and the crash-safe
// recording then never finished. Times past 2^61 ticks are refused; the writer goes on.
TEST(AssetWriter, sample_times_past_2_pow_61_ticks_are_refused_and_the_recording_still_finishes) {
  TempDir dir;
  auto writer = make_writer(dir.file("far.mov"), FileType::kQuickTimeMovie);  // crash-safe by default
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  const Time far_back(-(int64_t{1} << 61) - 1, 90000);
  const Time far_ahead(std::numeric_limits<int64_t>::max() - 200, 90000);
  Status back = video->append(make_sample(far_back, far_back, 10, true));
  EXPECT_EQ(back.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(back.message(), "video_0: sample time out of range");
  ASSERT_TRUE(video->append(make_sample(Time::zero(), Time::zero(), 10, true)).is_ok());
  Status ahead = video->append(make_sample(far_ahead, far_ahead, 10, false));
  EXPECT_EQ(ahead.code(), ErrorCode::kInvalidArgument);
  const Time limit(int64_t{1} << 61, 90000);
  EXPECT_EQ(video->append(make_sample(limit, limit, 10, false)).code(), ErrorCode::kTimestampOrder);  // gap > 2^32
  ASSERT_TRUE(video->append(make_sample(Time(3000, 90000), Time(3000, 90000), 10, false)).is_ok());
  EXPECT_EQ(writer->status(), WriterStatus::kWriting);
  ASSERT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string();
  File f = File::read(dir.file("far.mov"));
  EXPECT_EQ(f.find("moov/trak/mdia/minf/stbl/stsz")->u32(8), 2u);
}

TEST(AssetWriter, b_frames_get_ctts_and_an_edit_that_starts_at_the_first_presented_frame) {
  TempDir dir;
  auto writer = make_writer(dir.file("b.mp4"));
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  // I P B B in decode order: dts -2,-1,0,1 frames; pts 0,3,1,2 frames (frame = 3000 ticks at 90 kHz).
  int pts[] = {0, 3, 1, 2};
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(video->append(make_sample(Time(pts[i] * 3000, 90000), Time((i - 2) * 3000, 90000), 10, i == 0)).is_ok());
  }
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("b.mp4"));
  const auto* ctts = f.find("moov/trak/mdia/minf/stbl/ctts");
  ASSERT_NE(ctts, nullptr);
  // pts - dts: 2, 4, 1, 1 frames.
  EXPECT_EQ(hex(ctts->payload), "00000000 00000003 00000001 00001770 00000001 00002ee0 00000002 00000bb8");
  const auto* elst = f.find("moov/trak/edts/elst");
  ASSERT_NE(elst, nullptr);
  EXPECT_EQ(elst->u32(4), 1u);
  EXPECT_EQ(elst->u32(8), 133u);    // 4 frames of 1/30 s in the 1000 Hz movie timescale
  EXPECT_EQ(elst->u32(12), 6000u);  // media starts at the first presented frame: 2 frames in
}

// A gap inside a track (a camera that dropped out for 2 s) keeps every later sample at its own time: the
// sample before the gap lasts until the next one (players hold that frame), nothing shifts.
TEST(AssetWriter, a_gap_inside_a_track_lengthens_the_sample_before_it) {
  TempDir dir;
  auto writer = make_writer(dir.file("gap.mp4"));
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  // Frames at 0, 1, 2 (1/30 s each at 90 kHz), then 62, 63: a 2 s hole after frame 2.
  for (int frame : {0, 1, 2, 62, 63}) {
    Time t(frame * 3000, 90000);
    ASSERT_TRUE(video->append(make_sample(t, t, 10, frame % 62 == 0)).is_ok());
  }
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("gap.mp4"));
  const auto* stts = f.find("moov/trak/mdia/minf/stbl/stts");
  ASSERT_NE(stts, nullptr);
  // 2 x 3000, then 60 x 3000 for frame 2, then 2 x 3000 (the last lasts as long as the one before it).
  EXPECT_EQ(hex(stts->payload), "00000000 00000003 00000002 00000bb8 00000001 0002bf20 00000002 00000bb8");
  EXPECT_EQ(f.find("moov/trak/edts"), nullptr);  // no shift, no edit
}

TEST(AssetWriter, track_starting_after_session_start_gets_an_empty_edit) {
  TempDir dir;
  auto writer = make_writer(dir.file("e.mp4"));
  auto audio = test::aac_input();
  ASSERT_TRUE(writer->add(audio).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  for (int i = 0; i < 10; ++i) {
    Time t(44100 + i * 1024, 44100);
    ASSERT_TRUE(audio->append(make_sample(t, t, 100, true)).is_ok());
  }
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("e.mp4"));
  const auto* elst = f.find("moov/trak/edts/elst");
  ASSERT_NE(elst, nullptr);
  EXPECT_EQ(hex(elst->payload), "00000000 00000002 000003e8 ffffffff 00010000 000000e8 00000000 00010000");
}

TEST(AssetWriter, quicktime_movie_uses_qt_brand_and_data_handler) {
  TempDir dir;
  auto writer = make_writer(dir.file("q.mov"), FileType::kQuickTimeMovie);
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  ASSERT_TRUE(video->append(make_sample(Time::zero(), Time::zero(), 10, true)).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("q.mov"));
  EXPECT_EQ(hex(f.find("ftyp")->payload), "71742020 00000200 71742020");
  EXPECT_NE(f.find("moov/trak/mdia/minf/hdlr"), nullptr);
  EXPECT_EQ(f.find("moov/mvhd")->u32(12), 600u);
}

TEST(AssetWriter, metadata_goes_to_ilst_in_mp4) {
  TempDir dir;
  auto writer = make_writer(dir.file("t.mp4"));
  auto audio = test::aac_input();
  ASSERT_TRUE(writer->add(audio).is_ok());
  ASSERT_TRUE(writer->set_metadata({{MetadataKey::kTitle, "Hello"}}).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  ASSERT_TRUE(audio->append(make_sample(Time::zero(), Time::zero(), 10, true)).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("t.mp4"));
  const auto* data = f.find("moov/udta/meta/ilst/\xa9nam/data");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(hex(data->payload), "00000001 00000000 48656c6c 6f");
}

}  // namespace
}  // namespace aw

namespace aw {
namespace {

TEST(AssetWriter, metadata_may_change_while_writing_but_not_after_finish) {
  TempDir dir;
  auto writer = make_writer(dir.file("late.m4a"), FileType::kAppleM4A);
  auto audio = test::aac_input();
  ASSERT_TRUE(writer->add(audio).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  ASSERT_TRUE(audio->append(make_sample(Time::zero(), Time::zero(), 10, true)).is_ok());
  ASSERT_TRUE(writer->set_metadata({{MetadataKey::kArtist, "Late"}}).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok());
  EXPECT_EQ(writer->set_metadata({}).code(), ErrorCode::kInvalidState);
  File f = File::read(dir.file("late.m4a"));
  ASSERT_NE(f.find("moov/udta/meta/ilst/\xa9" "ART/data"), nullptr);
}

TEST(AssetWriterInput, track_metadata_and_language_may_change_until_finish) {
  TempDir dir;
  auto writer = make_writer(dir.file("track.mp4"));
  auto audio = test::aac_input();
  ASSERT_TRUE(writer->add(audio).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  ASSERT_TRUE(audio->append(make_sample(Time::zero(), Time::zero(), 10, true)).is_ok());
  ASSERT_TRUE(audio->set_language_code("fra").is_ok());
  ASSERT_TRUE(audio->set_metadata({{MetadataKey::kTitle, "Piste"}}).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok());
  EXPECT_EQ(audio->set_language_code("eng").code(), ErrorCode::kInvalidState);
  File f = File::read(dir.file("track.mp4"));
  EXPECT_EQ(f.find("moov/trak/mdia/mdhd")->u16(20), pack_language_for_test("fra"));
  EXPECT_NE(f.find("moov/trak/udta/meta/ilst/\xa9nam/data"), nullptr);
}

TEST(AssetWriter, m4a_refuses_video_inputs) {
  TempDir dir;
  auto writer = make_writer(dir.file("v.m4a"), FileType::kAppleM4A);
  EXPECT_EQ(writer->available_media_types(), std::vector<MediaType>{MediaType::kAudio});
  EXPECT_FALSE(writer->can_apply(std::nullopt, MediaType::kVideo));
  EXPECT_EQ(writer->check_can_add(test::h264_input()).code(), ErrorCode::kUnsupported);
  EXPECT_TRUE(writer->can_add(test::aac_input()));
}

TEST(AssetWriter, input_readiness_follows_the_interleaving_lead) {
  TempDir dir;
  auto writer = make_writer(dir.file("r.mp4"));
  auto video = test::h264_input();
  auto audio = test::aac_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->add(audio).is_ok());
  EXPECT_FALSE(video->is_ready_for_more_media_data());  // not writing yet
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  EXPECT_TRUE(video->is_ready_for_more_media_data());
  // Two seconds of video while audio has nothing: video is far ahead (interleave interval 0.5 s).
  for (int v = 0; v < 60; ++v) {
    ASSERT_TRUE(video->append(make_sample(Time(v, 30), Time(v, 30), 10, true)).is_ok());
  }
  EXPECT_FALSE(video->is_ready_for_more_media_data());
  EXPECT_TRUE(audio->is_ready_for_more_media_data());
  ASSERT_TRUE(audio->mark_as_finished().is_ok());
  EXPECT_TRUE(video->is_ready_for_more_media_data());
  EXPECT_FALSE(audio->is_ready_for_more_media_data());
  ASSERT_TRUE(writer->finish_writing().is_ok());
}

}  // namespace
}  // namespace aw

namespace aw {
namespace {

TEST(AssetWriter, encoder_priming_is_skipped_by_the_edit_list_not_delayed) {
  TempDir dir;
  auto writer = make_writer(dir.file("p.m4a"), FileType::kAppleM4A);
  ASSERT_TRUE(writer->set_crash_recovery_interval(Time::invalid()).is_ok());
  FormatDescription format{Codec::kAac, test::asc_44100_stereo()};
  format.priming_samples = 2112;  // the usual AAC encoder delay
  auto audio = AssetWriterInput::create(MediaType::kAudio, format);
  ASSERT_TRUE(writer->add(audio).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  for (int i = 0; i < 10; ++i) {
    Time t(i * 1024, 44100);
    ASSERT_TRUE(audio->append(make_sample(t, t, 100, true)).is_ok());
  }
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("p.m4a"));
  const auto* elst = f.find("moov/trak/edts/elst");
  ASSERT_NE(elst, nullptr);
  ASSERT_EQ(elst->u32(4), 1u);                    // no empty edit: the track is not delayed
  EXPECT_EQ(elst->u32(8), 184u);                  // (10240 - 2112) / 44100 s in ms
  EXPECT_EQ(static_cast<int32_t>(elst->u32(12)), 2112);  // presentation starts after the priming
}

// A session that starts after the priming: what is shown at the session start is the media presented
// then, `priming` ticks after its time stamp, not the priming's end.
TEST(AssetWriter, priming_still_shifts_the_media_when_the_session_starts_later) {
  TempDir dir;
  auto writer = make_writer(dir.file("late.m4a"), FileType::kAppleM4A);
  ASSERT_TRUE(writer->set_crash_recovery_interval(Time::invalid()).is_ok());
  FormatDescription format{Codec::kAac, test::asc_44100_stereo()};
  format.priming_samples = 1024;
  auto audio = AssetWriterInput::create(MediaType::kAudio, format);
  ASSERT_TRUE(writer->add(audio).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time(4410, 44100)).is_ok());  // 0.1 s
  ASSERT_TRUE(writer->end_session(Time(8820, 44100)).is_ok());    // 0.2 s
  for (int i = 0; i < 20; ++i) {
    Time t(i * 1024, 44100);
    ASSERT_TRUE(audio->append(make_sample(t, t, 100, true)).is_ok());
  }
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("late.m4a"));
  const auto* elst = f.find("moov/trak/edts/elst");
  ASSERT_NE(elst, nullptr);
  ASSERT_EQ(elst->u32(4), 1u);
  EXPECT_EQ(elst->u32(8), 100u);                                // 0.1 s .. 0.2 s
  EXPECT_EQ(static_cast<int32_t>(elst->u32(12)), 4410 + 1024);  // session start + priming
}

// Apple's writer puts the same numbers in iTunSMPB for players that ignore edit lists: 2112 priming,
// 8128 presented samples, and no padding (the last frame lasts its full 1024).
TEST(AssetWriter, m4a_gets_itunsmpb_with_the_edit_lists_priming_and_length) {
  TempDir dir;
  auto writer = make_writer(dir.file("g.m4a"), FileType::kAppleM4A);
  ASSERT_TRUE(writer->set_crash_recovery_interval(Time::invalid()).is_ok());
  FormatDescription format{Codec::kAac, test::asc_44100_stereo()};
  format.priming_samples = 2112;
  auto audio = AssetWriterInput::create(MediaType::kAudio, format);
  ASSERT_TRUE(writer->add(audio).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  for (int i = 0; i < 10; ++i) {
    Time t(i * 1024, 44100);
    aw::Sample sample = make_sample(t, t, 100, true);
    // The last frame holds 500 samples of audio; the rest is padding.
    if (i == 9) sample.duration = Time(500, 44100);
    ASSERT_TRUE(audio->append(std::move(sample)).is_ok());
  }
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("g.m4a"));
  const auto* elst = f.find("moov/trak/edts/elst");
  ASSERT_NE(elst, nullptr);
  EXPECT_EQ(static_cast<int32_t>(elst->u32(12)), 2112);
  std::ifstream in(dir.file("g.m4a"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // 9 * 1024 + 500 = 9716 samples decoded, 2112 skipped, 7604 = 0x1DB4 presented, no padding counted
  // beyond the last sample's duration.
  EXPECT_NE(bytes.find("iTunSMPB"), std::string::npos);
  EXPECT_NE(bytes.find(" 00000000 00000840 00000000 0000000000001DB4 00000000"), std::string::npos);
}

}  // namespace
}  // namespace aw
