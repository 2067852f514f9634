// RotatingWriter: files cut at the lead track's keyframes once a limit is reached or a split is asked for,
// every other track cut by presentation time, every sample in exactly one file, max_files, and errors.
#include "aw/rotating_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "test_media.h"
#include "testing/box_tree.h"
#include "testing/movie_check.h"

namespace aw {
namespace {

using test::make_sample;
using test::TempDir;

// What a finished file holds per track (trak order = input order): samples, media duration in seconds, and
// whether its first sample is a sync sample (no stss: every sample is).
struct TrackSummary {
  uint32_t samples = 0;
  double media_seconds = 0;
  bool starts_on_sync = false;
};

std::vector<TrackSummary> summarize(const std::string& path) {
  EXPECT_EQ(check::check_movie_file(path), "") << path;
  test::File f = test::File::read(path);
  std::vector<TrackSummary> tracks;
  for (size_t i = 0; i < f.find("moov")->count("trak"); ++i) {
    const std::string trak = "moov/trak[" + std::to_string(i) + "]/mdia/";
    const test::Box* mdhd = f.find(trak + "mdhd");
    const bool v1 = mdhd->payload[0] == 1;
    const double timescale = v1 ? mdhd->u32(20) : mdhd->u32(12);
    const double duration = v1 ? static_cast<double>(mdhd->u64(24)) : mdhd->u32(16);
    const test::Box* stss = f.find(trak + "minf/stbl/stss");
    tracks.push_back({f.find(trak + "minf/stbl/stsz")->u32(8), duration / timescale,
                      !stss || (stss->u32(4) > 0 && stss->u32(8) == 1)});
  }
  return tracks;
}

struct Recorder : RotationDelegate {
  std::vector<RotatedFile> opened, closed, deleted;
  std::function<void(const RotatedFile&)> on_open;
  void did_open_file(const RotatedFile& f) override {
    opened.push_back(f);
    if (on_open) on_open(f);
  }
  void did_close_file(const RotatedFile& f) override { closed.push_back(f); }
  void did_delete_file(const RotatedFile& f) override { deleted.push_back(f); }
};

enum class Mode { kCrashSafe, kPlain, kMoovFirst };

// A rotating writer of H.264 (30 fps, a keyframe every 15 frames) and 44.1 kHz AAC into dir/v%02d.mp4.
struct Rotation {
  TempDir dir;
  Recorder recorder;
  std::shared_ptr<AssetWriterInput> video = test::h264_input();
  std::shared_ptr<AssetWriterInput> audio = test::aac_input();
  std::unique_ptr<RotatingWriter> writer;
  int audio_frame = 0;

  explicit Rotation(RotationSettings settings, Mode mode = Mode::kCrashSafe, bool with_video = true) {
    if (settings.location_pattern.empty() && !settings.location_for) settings.location_pattern = dir.file("v%02d.mp4");
    auto created = RotatingWriter::create(settings, FileType::kMpeg4);
    EXPECT_TRUE(created.is_ok()) << created.status().to_string();
    writer = std::move(created).value();
    AssetWriter& files = writer->file_settings();
    EXPECT_TRUE(files.set_creation_time(0).is_ok());
    if (mode == Mode::kPlain) {
      EXPECT_TRUE(files.set_crash_recovery_interval(Time::invalid()).is_ok());
    }
    if (mode == Mode::kMoovFirst) {
      EXPECT_TRUE(files.set_should_optimize_for_network_use(true).is_ok());
    }
    if (with_video) {
      EXPECT_TRUE(files.add(video).is_ok());
    }
    EXPECT_TRUE(files.add(audio).is_ok());
    EXPECT_TRUE(writer->set_delegate(&recorder).is_ok());
    EXPECT_TRUE(writer->start_writing().is_ok());
    EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
  }

  // Video frame `v`, then the audio presented before the next video frame: audio runs up to a frame ahead of
  // the video, as an element appending in decode order gives it, so the cut must hold some of it.
  Status append_frame(int v) {
    Time t(v, 30);
    AW_RETURN_IF_ERROR(writer->append(*video, make_sample(t, t, 500, v % 15 == 0, 0x11)));
    return append_audio_until(t + Time(1, 30));
  }
  Status append_audio_until(Time end) {
    for (; Time(int64_t{audio_frame} * 1024, 44100) < end; ++audio_frame) {
      Time at(int64_t{audio_frame} * 1024, 44100);
      AW_RETURN_IF_ERROR(writer->append(*audio, make_sample(at, at, 200, true, 0x22)));
    }
    return Status::ok();
  }
  void append_frames(int from, int to) {
    for (int v = from; v < to; ++v) ASSERT_TRUE(append_frame(v).is_ok()) << v;
  }
  void finish() {
    ASSERT_TRUE(writer->mark_as_finished(*video).is_ok());
    ASSERT_TRUE(writer->mark_as_finished(*audio).is_ok());
    ASSERT_TRUE(writer->finish_writing().is_ok());
  }
  std::vector<Time> starts() const {
    std::vector<Time> out;
    for (const RotatedFile& f : recorder.closed) out.push_back(f.start);
    return out;
  }
  std::vector<std::vector<uint64_t>> counts() const {
    std::vector<std::vector<uint64_t>> out;
    for (const RotatedFile& f : recorder.closed) out.push_back(f.sample_counts);
    return out;
  }
};

RotationSettings with_duration(Time limit) {
  RotationSettings s;
  s.max_file_duration = limit;
  return s;
}

class RotationModes : public testing::TestWithParam<Mode> {};

// 5 s, 2 s files: cuts at the keyframes presented at 2 s and 4 s. Audio frames presented before 2 s (0..86:
// frame 86 at 1.9969 s, 87 at 2.0201 s) are in the first file, though 87 was appended before the keyframe.
TEST_P(RotationModes, duration_limit_cuts_at_the_next_keyframe_and_audio_by_presentation_time) {
  Rotation r(with_duration(Time(2, 1)), GetParam());
  r.append_frames(0, 150);
  r.finish();
  ASSERT_EQ(r.recorder.closed.size(), 3u);
  EXPECT_EQ(r.starts(), (std::vector<Time>{Time(0, 1), Time(2, 1), Time(4, 1)}));
  EXPECT_EQ(r.counts(), (std::vector<std::vector<uint64_t>>{{60, 87}, {60, 86}, {30, 43}}));
  for (size_t i = 0; i < 3; ++i) {
    const RotatedFile& f = r.recorder.closed[i];
    EXPECT_EQ(f.index, i);
    EXPECT_EQ(f.path, r.dir.file("v0" + std::to_string(i) + ".mp4"));
    EXPECT_EQ(f.bytes, std::filesystem::file_size(f.path));
    auto tracks = summarize(f.path);
    ASSERT_EQ(tracks.size(), 2u);
    EXPECT_EQ(tracks[0].samples, f.sample_counts[0]);
    EXPECT_EQ(tracks[1].samples, f.sample_counts[1]);
    EXPECT_TRUE(tracks[0].starts_on_sync) << i;
  }
  EXPECT_EQ(r.recorder.closed[0].end, Time(2, 1));
  EXPECT_EQ(r.recorder.closed[1].end, Time(4, 1));
  EXPECT_EQ(r.recorder.opened.size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(AllFileModes, RotationModes,
                         testing::Values(Mode::kCrashSafe, Mode::kPlain, Mode::kMoovFirst));

// No gap, no overlap: per track the files' media durations add up to the input's (150 frames of 1/30 s,
// 216 AAC frames of 1024 samples).
TEST(RotatingWriter, per_track_durations_over_all_files_add_up_to_the_input) {
  Rotation r(with_duration(Time(1, 1)));
  r.append_frames(0, 150);
  r.finish();
  double video = 0, audio = 0;
  uint64_t video_frames = 0, audio_frames = 0;
  for (const RotatedFile& f : r.recorder.closed) {
    auto tracks = summarize(f.path);
    video += tracks[0].media_seconds;
    audio += tracks[1].media_seconds;
    video_frames += tracks[0].samples;
    audio_frames += tracks[1].samples;
  }
  EXPECT_EQ(r.recorder.closed.size(), 5u);
  EXPECT_EQ(video_frames, 150u);
  EXPECT_EQ(audio_frames, 216u);
  EXPECT_NEAR(video, 5.0, 1e-6);
  EXPECT_NEAR(audio, 216 * 1024 / 44100.0, 1e-6);
}

// ~24.8 kB per second of media against 30000 bytes: the estimate passes the limit at about 1.05 s into each
// file and the cut waits for the next keyframe (every 0.5 s).
TEST(RotatingWriter, size_limit_cuts_at_the_next_keyframe_after_the_estimate_reaches_it) {
  RotationSettings s;
  s.max_file_size = 30000;
  Rotation r(s);
  r.append_frames(0, 150);
  r.finish();
  EXPECT_EQ(r.starts(), (std::vector<Time>{Time(0, 1), Time(3, 2), Time(3, 1), Time(9, 2)}));
  for (size_t i = 0; i + 1 < r.recorder.closed.size(); ++i) {
    EXPECT_GT(r.recorder.closed[i].bytes, 30000u * 9 / 10) << i;
    EXPECT_LT(r.recorder.closed[i].bytes, 30000u + 15000u) << i;  // at most half a second's media past it
  }
}

// split_now() cuts at the next keyframe (1 s after a request at frame 20); split_at(2.2 s) at the first
// keyframe presented at or after it (2.5 s).
TEST(RotatingWriter, split_now_and_split_at_cut_at_the_next_keyframe) {
  Rotation r(RotationSettings{});
  r.append_frames(0, 21);
  ASSERT_TRUE(r.writer->split_now().is_ok());
  ASSERT_TRUE(r.writer->split_at(Time(22, 10)).is_ok());
  EXPECT_EQ(r.writer->next_planned_cut(), Time(22, 10));
  r.append_frames(21, 120);
  r.finish();
  EXPECT_EQ(r.starts(), (std::vector<Time>{Time(0, 1), Time(1, 1), Time(5, 2)}));
  EXPECT_EQ(r.counts(), (std::vector<std::vector<uint64_t>>{{30, 44}, {45, 64}, {45, 65}}));
}

// A split asked for from the delegate when the second file opens.
TEST(RotatingWriter, a_delegate_may_ask_for_a_split) {
  Rotation r(with_duration(Time(2, 1)));
  RotatingWriter* writer = r.writer.get();
  r.recorder.on_open = [&](const RotatedFile& f) {
    if (f.index == 1) {
      EXPECT_TRUE(writer->split_now().is_ok());
    }
  };
  r.append_frames(0, 90);
  r.finish();
  EXPECT_EQ(r.starts(), (std::vector<Time>{Time(0, 1), Time(2, 1), Time(5, 2)}));
}

// Without video the first input decides: the next file starts at its first sample presented at or after the
// limit (frame 44 at 1.0216 s).
TEST(RotatingWriter, audio_only_cuts_at_the_next_sample) {
  Rotation r(with_duration(Time(1, 1)), Mode::kCrashSafe, /*with_video=*/false);
  ASSERT_TRUE(r.append_audio_until(Time(3, 2)).is_ok());
  ASSERT_TRUE(r.writer->mark_as_finished(*r.audio).is_ok());
  ASSERT_TRUE(r.writer->finish_writing().is_ok());
  EXPECT_EQ(r.starts(), (std::vector<Time>{Time(0, 1), Time(44 * 1024, 44100)}));
  EXPECT_EQ(r.counts(), (std::vector<std::vector<uint64_t>>{{44}, {21}}));
}

// max_files = 2: while file 2 is written, file 0 is deleted; at the end the last two remain.
TEST(RotatingWriter, max_files_deletes_the_oldest_finished_files) {
  RotationSettings s = with_duration(Time(1, 1));
  s.max_files = 2;
  Rotation r(s);
  r.append_frames(0, 150);
  r.finish();
  ASSERT_EQ(r.recorder.closed.size(), 5u);
  ASSERT_EQ(r.recorder.deleted.size(), 3u);
  for (uint64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r.recorder.deleted[i].index, i);
    EXPECT_FALSE(std::filesystem::exists(r.recorder.deleted[i].path));
  }
  EXPECT_TRUE(std::filesystem::exists(r.dir.file("v03.mp4")));
  EXPECT_TRUE(std::filesystem::exists(r.dir.file("v04.mp4")));
  EXPECT_EQ(r.dir.entry_count(), 2u);
}

TEST(RotatingWriter, a_location_without_one_integer_conversion_is_refused) {
  for (const char* pattern : {"video.mp4", "video%s.mp4", "v%d-%d.mp4", "v%x.mp4"}) {
    RotationSettings s;
    s.location_pattern = pattern;
    auto writer = RotatingWriter::create(s, FileType::kMpeg4);
    ASSERT_FALSE(writer.is_ok()) << pattern;
    EXPECT_EQ(writer.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(writer.status().message().find(std::string("file location \"") + pattern + "\""), std::string::npos)
        << writer.status().message();
  }
}

TEST(RotatingWriter, the_location_callback_names_each_file_with_its_start) {
  TempDir dir;
  RotationSettings s = with_duration(Time(2, 1));
  std::vector<std::pair<uint64_t, Time>> asked;
  s.location_for = [&](uint64_t index, Time start) -> Result<std::string> {
    asked.emplace_back(index, start);
    return dir.file("cam-" + std::to_string(index) + ".mov");
  };
  s.first_index = 7;
  Rotation r(s);
  r.append_frames(0, 90);
  r.finish();
  EXPECT_EQ(asked, (std::vector<std::pair<uint64_t, Time>>{{7, Time(0, 1)}, {8, Time(2, 1)}}));
  EXPECT_TRUE(std::filesystem::exists(dir.file("cam-8.mov")));
}

// The second file cannot be created: the keyframe that would start it is refused, the first file is finished
// with every sample accepted before (the audio appended ahead of the keyframe too), and the writer fails.
TEST(RotatingWriter, a_next_file_that_cannot_be_created_fails_the_writer_after_finishing_the_previous) {
  TempDir dir;
  RotationSettings s = with_duration(Time(2, 1));
  s.location_for = [&](uint64_t index, Time) -> Result<std::string> {
    return index == 0 ? dir.file("first.mp4") : dir.file("missing/second.mp4");
  };
  Rotation r(s);
  r.append_frames(0, 60);
  Status refused = r.append_frame(60);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.message().find("missing/second.mp4"), std::string::npos) << refused.message();
  EXPECT_EQ(r.writer->status(), WriterStatus::kFailed);
  EXPECT_FALSE(r.writer->append(*r.audio, make_sample(Time(3, 1), Time(3, 1), 200, true)).is_ok());
  ASSERT_EQ(r.recorder.closed.size(), 1u);
  auto tracks = summarize(dir.file("first.mp4"));
  EXPECT_EQ(tracks[0].samples, 60u);
  EXPECT_EQ(tracks[1].samples, 87u);  // frames 0..86: 85 and 86 were still held when the keyframe came
}

TEST(RotatingWriter, refuses_samples_out_of_order_and_appends_before_the_session) {
  TempDir dir;
  RotationSettings s;
  s.location_pattern = dir.file("x%d.mp4");
  auto writer = RotatingWriter::create(s, FileType::kMpeg4).value();
  auto audio = test::aac_input();
  ASSERT_TRUE(writer->file_settings().add(audio).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  EXPECT_EQ(writer->append(*audio, make_sample(Time(0, 1), Time(0, 1), 10, true)).code(), ErrorCode::kInvalidState);
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  ASSERT_TRUE(writer->append(*audio, make_sample(Time(1, 1), Time(1, 1), 10, true)).is_ok());
  EXPECT_EQ(writer->append(*audio, make_sample(Time(0, 1), Time(0, 1), 10, true)).code(), ErrorCode::kTimestampOrder);
  auto stranger = test::aac_input();
  EXPECT_EQ(writer->append(*stranger, make_sample(Time(2, 1), Time(2, 1), 10, true)).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(writer->status(), WriterStatus::kWriting);
  ASSERT_TRUE(writer->finish_writing().is_ok());
}

}  // namespace
}  // namespace aw
