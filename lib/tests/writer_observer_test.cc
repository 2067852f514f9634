// WriterObserver: a report per fragment once it is complete in the file (fragmented movies, crash-safe
// recordings) and one for the finished file; calls back into the writer from a report are refused.
#include "aw/writer_observer.h"

#include <gtest/gtest.h>

#include <functional>

#include "aw/asset_writer.h"
#include "test_media.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

using test::make_sample;
using test::TempDir;

// What the file held at each report: the box at the reported offset and the one after it.
struct SeenFragment {
  FragmentReport report;
  std::vector<std::string> boxes;  // types of the boxes from report.offset up to offset + size
  uint64_t boxes_size = 0;         // their sizes added up
};

struct Recorder : WriterObserver {
  std::string path;
  std::vector<SeenFragment> fragments;
  std::vector<FinishReport> finished;
  std::function<void()> during_fragment;

  void did_write_fragment(const FragmentReport& f) override {
    SeenFragment seen{f, {}, 0};
    std::vector<uint8_t> bytes = test::read_bytes(path);
    if (f.offset + f.size <= bytes.size()) {
      for (const test::Box& b : test::parse_boxes(std::span(bytes).subspan(f.offset, f.size), f.offset)) {
        seen.boxes.push_back(b.type);
        seen.boxes_size += b.size;
      }
    }
    fragments.push_back(std::move(seen));
    if (during_fragment) during_fragment();
  }
  void did_finish_writing(const FinishReport& r) override { finished.push_back(r); }
};

// 3 s of 30 fps video (a keyframe every 15 frames) and 44.1 kHz AAC, as fragmented_writer_test's.
void append_seconds(AssetWriterInput& video, AssetWriterInput& audio, int seconds) {
  int audio_frame = 0;
  for (int v = 0; v < seconds * 30; ++v) {
    Time t(v, 30);
    ASSERT_TRUE(video.append(make_sample(t, t, 500, v % 15 == 0, 0x11)).is_ok());
    for (; Time(int64_t{audio_frame} * 1024, 44100) < t + Time(1, 30); ++audio_frame) {
      Time at(int64_t{audio_frame} * 1024, 44100);
      ASSERT_TRUE(audio.append(make_sample(at, at, 200, true, 0x22)).is_ok());
    }
  }
}

struct ObservedRecording {
  TempDir dir;
  Recorder recorder;
  std::shared_ptr<AssetWriterInput> video = test::h264_input();
  std::shared_ptr<AssetWriterInput> audio = test::aac_input();
  std::unique_ptr<AssetWriter> writer;

  explicit ObservedRecording(const std::function<void(AssetWriter&)>& configure) {
    recorder.path = dir.file("o.mp4");
    writer = test::make_writer(recorder.path);
    configure(*writer);
    EXPECT_TRUE(writer->set_observer(&recorder).is_ok());
    EXPECT_TRUE(writer->add(video).is_ok());
    EXPECT_TRUE(writer->add(audio).is_ok());
    EXPECT_TRUE(writer->start_writing().is_ok());
    EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
  }
};

void expect_fragments_tile_the_media(const std::vector<SeenFragment>& fragments, uint32_t first_sequence_number) {
  uint64_t next_offset = 0;
  Time video_end = Time::zero();
  uint32_t video_samples = 0;
  for (size_t i = 0; i < fragments.size(); ++i) {
    const SeenFragment& f = fragments[i];
    SCOPED_TRACE("fragment " + std::to_string(i));
    EXPECT_EQ(f.report.sequence_number, first_sequence_number + i);
    // The reported range holds exactly a moof and its mdat, as the file was when the report came.
    EXPECT_EQ(f.boxes, (std::vector<std::string>{"moof", "mdat"}));
    EXPECT_EQ(f.boxes_size, f.report.size);
    if (i > 0) {
      EXPECT_EQ(f.report.offset, next_offset);  // fragments follow each other
    }
    next_offset = f.report.offset + f.report.size;
    ASSERT_EQ(f.report.tracks.size(), 2u);
    const SegmentTrackReport& video = f.report.tracks[0];
    EXPECT_EQ(video.track_id, 1u);
    EXPECT_EQ(video.media_type, MediaType::kVideo);
    // Each fragment's video starts where the previous one's ended, on the source timeline.
    EXPECT_EQ(video.earliest_presentation_time, video_end);
    video_end = video.earliest_presentation_time + video.duration;
    video_samples += video.sample_count;
    for (const auto& [offset, length] : video.data_ranges) EXPECT_LE(offset + length, f.report.size);
  }
  EXPECT_EQ(video_samples, 90u);
  EXPECT_EQ(video_end, Time(3, 1));
}

TEST(WriterObserver, a_fragmented_movie_reports_each_fragment_then_the_finished_file) {
  ObservedRecording r([](AssetWriter& w) {
    ASSERT_TRUE(w.set_movie_fragment_interval(Time(1, 1)).is_ok());
    ASSERT_TRUE(w.set_initial_movie_fragment_sequence_number(7).is_ok());
    ASSERT_TRUE(w.set_sync_fragments_to_disk(false).is_ok());
  });
  append_seconds(*r.video, *r.audio, 3);
  // Two fragments are complete before finish (the third ends with the stream).
  EXPECT_EQ(r.recorder.fragments.size(), 2u);
  EXPECT_TRUE(r.recorder.finished.empty());
  ASSERT_TRUE(r.writer->finish_writing().is_ok()) << r.writer->error().to_string();

  ASSERT_EQ(r.recorder.fragments.size(), 3u);
  expect_fragments_tile_the_media(r.recorder.fragments, 7);
  for (const SeenFragment& f : r.recorder.fragments) EXPECT_FALSE(f.report.synced);
  ASSERT_EQ(r.recorder.finished.size(), 1u);
  const FinishReport& done = r.recorder.finished[0];
  EXPECT_EQ(done.path, r.recorder.path);
  EXPECT_EQ(done.size, test::read_bytes(r.recorder.path).size());
  EXPECT_EQ(done.duration, Time(3019, 1000));  // the audio's end, as the rewritten mvhd says
  // Once finished the fragments are still where they were reported.
  test::File file = test::File::read(r.recorder.path);
  for (const SeenFragment& f : r.recorder.fragments) {
    bool found = false;
    for (const test::Box& b : file.root.children) found |= b.type == "moof" && b.offset == f.report.offset;
    EXPECT_TRUE(found) << f.report.offset;
  }
}

TEST(WriterObserver, a_crash_safe_recording_reports_synced_fragments_and_a_plain_movie_at_finish) {
  ObservedRecording r([](AssetWriter& w) {
    ASSERT_TRUE(w.set_crash_recovery_interval(Time(1, 1)).is_ok());
    ASSERT_TRUE(w.set_sync_fragments_to_disk(true).is_ok());
  });
  append_seconds(*r.video, *r.audio, 3);
  ASSERT_TRUE(r.writer->finish_writing().is_ok()) << r.writer->error().to_string();

  ASSERT_EQ(r.recorder.fragments.size(), 3u);
  expect_fragments_tile_the_media(r.recorder.fragments, 1);
  for (const SeenFragment& f : r.recorder.fragments) EXPECT_TRUE(f.report.synced);
  ASSERT_EQ(r.recorder.finished.size(), 1u);
  EXPECT_EQ(r.recorder.finished[0].size, test::read_bytes(r.recorder.path).size());
  EXPECT_EQ(r.recorder.finished[0].duration, Time(3019, 1000));
  // At finish the fragment headers became 'free': the reported offsets now hold free boxes.
  test::File file = test::File::read(r.recorder.path);
  EXPECT_EQ(file.top_level().back(), "moov");
  for (const SeenFragment& f : r.recorder.fragments) {
    bool hidden = false;
    for (const test::Box& b : file.root.children) hidden |= b.type == "free" && b.offset == f.report.offset;
    EXPECT_TRUE(hidden) << f.report.offset;
  }
}

TEST(WriterObserver, a_plain_movie_reports_only_the_finished_file) {
  ObservedRecording r([](AssetWriter& w) { ASSERT_TRUE(w.set_crash_recovery_interval(Time::invalid()).is_ok()); });
  append_seconds(*r.video, *r.audio, 1);
  ASSERT_TRUE(r.writer->finish_writing().is_ok());
  EXPECT_TRUE(r.recorder.fragments.empty());
  ASSERT_EQ(r.recorder.finished.size(), 1u);
  EXPECT_EQ(r.recorder.finished[0].size, test::read_bytes(r.recorder.path).size());
}

TEST(WriterObserver, calls_back_into_the_writer_from_a_report_are_refused_not_deadlocked) {
  Status from_append, from_finish;
  ObservedRecording r([](AssetWriter& w) {
    ASSERT_TRUE(w.set_movie_fragment_interval(Time(1, 1)).is_ok());
    ASSERT_TRUE(w.set_sync_fragments_to_disk(false).is_ok());
  });
  r.recorder.during_fragment = [&] {
    from_append = r.video->append(make_sample(Time(100, 1), Time(100, 1), 10, true));
    from_finish = r.writer->finish_writing();
  };
  append_seconds(*r.video, *r.audio, 2);
  EXPECT_EQ(from_append.code(), ErrorCode::kInvalidState);
  EXPECT_EQ(from_finish.code(), ErrorCode::kInvalidState);
  EXPECT_TRUE(r.writer->finish_writing().is_ok());
}

TEST(WriterObserver, is_refused_once_writing_started_and_for_segment_writers) {
  TempDir dir;
  Recorder recorder;
  auto writer = test::make_writer(dir.file("x.mp4"));
  ASSERT_TRUE(writer->add(test::h264_input()).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  EXPECT_EQ(writer->set_observer(&recorder).code(), ErrorCode::kInvalidState);

  struct NoDelegate : SegmentDelegate {
    Status did_output_segment_data(std::span<const uint8_t>, SegmentType, const SegmentReport*) override {
      return Status::ok();
    }
  } delegate;
  auto segments = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, delegate)).value();
  EXPECT_EQ(segments->set_observer(&recorder).code(), ErrorCode::kInvalidState);
}

}  // namespace
}  // namespace aw
