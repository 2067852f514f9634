// AssetWriterInput::change_format: a mid-stream format change (new parameter sets) becomes a further
// sample description of the track in plain and moov-first movies, and is refused where it cannot be.
#include <gtest/gtest.h>

#include <algorithm>

#include "aw/asset_writer.h"
#include "box_reader.h"
#include "golden.h"
#include "test_media.h"

namespace aw {
namespace {

using test::File;
using test::make_sample;
using test::TempDir;

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

// The header in front of the fragments declared the descriptions: a new one is refused, cleanly.
TEST(FormatChange, fragmented_movie_refuses_a_new_description) {
  TempDir dir;
  auto writer = std::move(AssetWriter::create(dir.file("frag.mp4"), FileType::kMpeg4)).value();
  ASSERT_TRUE(writer->set_movie_fragment_interval(Time(1, 1)).is_ok());
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  int next = 0;
  append_frames(*video, next, 5);
  Status s = video->change_format({Codec::kH264, avcc_640x480()});
  EXPECT_EQ(s.code(), ErrorCode::kUnsupported);
  EXPECT_EQ(s.message(), "video_0: format change after writing started needs a new sample description, which a "
                         "fragmented movie cannot add after its header (nor a crash-safe recording)");
  EXPECT_EQ(writer->status(), WriterStatus::kWriting);
  append_frames(*video, next, 5);
  EXPECT_TRUE(writer->finish_writing().is_ok());
}

}  // namespace
}  // namespace aw
