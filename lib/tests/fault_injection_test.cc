// Write errors (full disk, I/O error) injected at the file layer: the writer fails with an error naming
// the path and the reason, and what is already on disk stays playable.
#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <vector>

#include "aw/asset_writer.h"
#include "io/output_file.h"
#include "test_media.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

using test::make_sample;
using test::TempDir;

class FaultInjection : public ::testing::Test {
 protected:
  void inject(uint64_t after_bytes, int error) { OutputFile::injected_fault() = OutputFile::Fault{after_bytes, error}; }
  void TearDown() override { OutputFile::injected_fault() = std::nullopt; }

  // A writer for `path` with a video and an audio input, writing, its session started.
  std::unique_ptr<AssetWriter> start(const std::string& path, FileType type, Time crash_recovery_interval) {
    auto writer = std::move(AssetWriter::create(path, type)).value();
    EXPECT_TRUE(writer->set_crash_recovery_interval(crash_recovery_interval).is_ok());
    EXPECT_TRUE(writer->set_sync_fragments_to_disk(false).is_ok());
    EXPECT_TRUE(writer->add(video).is_ok());
    EXPECT_TRUE(writer->add(audio).is_ok());
    EXPECT_TRUE(writer->start_writing().is_ok());
    EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
    return writer;
  }
  std::shared_ptr<AssetWriterInput> video = test::h264_input();
  std::shared_ptr<AssetWriterInput> audio = test::aac_input();

  // Appends 30 fps video (a keyframe each second) and AAC until an append fails or `seconds` pass.
  Status record(AssetWriter& writer, AssetWriterInput& video, AssetWriterInput& audio, int seconds) {
    int a = 0;
    for (int v = 0; v < seconds * 30; ++v) {
      Time t(v, 30);
      AW_RETURN_IF_ERROR(video.append(make_sample(t, t, 2000, v % 30 == 0, 0x11)));
      for (; Time(int64_t{a} * 1024, 44100) < t + Time(1, 30); ++a) {
        Time at(int64_t{a} * 1024, 44100);
        AW_RETURN_IF_ERROR(audio.append(make_sample(at, at, 300, true, 0x22)));
      }
    }
    return writer.finish_writing();
  }
};

TEST_F(FaultInjection, full_disk_mid_recording_fails_naming_the_path_and_keeps_complete_fragments) {
  TempDir dir;
  std::string path = dir.file("full.mp4");
  inject(200 * 1024, ENOSPC);  // about three seconds of this media
  auto writer = start(path, FileType::kMpeg4, Time(1, 1));

  Status s = record(*writer, *video, *audio, 10);
  EXPECT_EQ(s.code(), ErrorCode::kIo);
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.message();
  EXPECT_EQ(writer->status(), WriterStatus::kFailed);
  EXPECT_EQ(writer->finish_writing().message(), s.message());  // later calls report the first error

  // On disk: the header and whole fragments, then the torn one whose moof is still typed free.
  test::TopLevel top = test::scan_top_level(path);
  std::vector<std::string> complete = top.types();  // the boxes before a torn one
  ASSERT_GE(complete.size(), 5u);
  EXPECT_EQ(complete[0], "ftyp");
  EXPECT_EQ(complete[1], "moov");
  size_t fragments = 0;
  for (size_t i = 0; i + 1 < complete.size(); ++i) {
    if (complete[i] == "moof") {
      EXPECT_EQ(complete[i + 1], "mdat");
      ++fragments;
    }
  }
  EXPECT_GE(fragments, 2u);
  EXPECT_TRUE(top.truncated_tail || complete.back() == "free");
}

TEST_F(FaultInjection, io_error_in_a_plain_movie_fails_the_append_that_hit_it) {
  TempDir dir;
  std::string path = dir.file("eio.mov");
  inject(64 * 1024, EIO);
  auto writer = start(path, FileType::kQuickTimeMovie, Time::invalid());
  Status s = record(*writer, *video, *audio, 5);
  EXPECT_EQ(s.code(), ErrorCode::kIo);
  EXPECT_NE(s.message().find("Input/output error"), std::string::npos) << s.message();
  EXPECT_EQ(writer->status(), WriterStatus::kFailed);
}

TEST_F(FaultInjection, a_disk_full_from_the_start_fails_start_writing) {
  TempDir dir;
  inject(0, ENOSPC);
  auto writer = std::move(AssetWriter::create(dir.file("none.mp4"), FileType::kMpeg4)).value();
  ASSERT_TRUE(writer->set_crash_recovery_interval(Time::invalid()).is_ok());
  ASSERT_TRUE(writer->add(test::h264_input()).is_ok());
  Status s = writer->start_writing();
  EXPECT_EQ(s.code(), ErrorCode::kIo);
  EXPECT_EQ(writer->status(), WriterStatus::kFailed);
}

}  // namespace
}  // namespace aw
