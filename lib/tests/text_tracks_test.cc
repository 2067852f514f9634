// Text, chapter and timed metadata tracks written by the AssetWriter: handlers, media headers, gap filling,
// references, and that sparse tracks never hold the other tracks' media back.
#include <gtest/gtest.h>

#include <filesystem>

#include "aw/asset_writer.h"
#include "aw/recover.h"
#include "golden.h"
#include "test_media.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

using test::Box;
using test::File;
using test::make_sample;
using test::make_writer;
using test::TempDir;

std::shared_ptr<AssetWriterInput> text_input() {
  return AssetWriterInput::create(MediaType::kText, FormatDescription{Codec::kTx3g});
}

Sample text_sample(const std::string& text, Time start, Time duration) {
  auto bytes = std::make_shared<std::vector<uint8_t>>(std::move(make_text_sample(text)).value());
  Sample s;
  s.data = *bytes;
  s.owner = bytes;
  s.presentation_time = start;
  s.duration = duration;
  return s;
}

// 30 fps H.264 frames, each 100 bytes, from `from` to `to` seconds.
void append_video(AssetWriterInput& video, int from_frame, int to_frame) {
  for (int i = from_frame; i < to_frame; ++i) {
    Sample s = make_sample(Time(i, 30), Time(i, 30), 100, i % 30 == 0);
    s.duration = Time(1, 30);
    ASSERT_TRUE(video.append(std::move(s)).is_ok());
  }
}

std::string handler(const File& f, int trak) {
  const Box* hdlr = f.find("moov/trak[" + std::to_string(trak) + "]/mdia/hdlr");
  return std::string(reinterpret_cast<const char*>(hdlr->payload.data()) + 8, 4);
}

std::string entry_type(const File& f, int trak) {
  const Box* stsd = f.find("moov/trak[" + std::to_string(trak) + "]/mdia/minf/stbl/stsd");
  return std::string(reinterpret_cast<const char*>(stsd->payload.data()) + 12, 4);
}

// Sample sizes (stsz) and durations (stts, expanded) of a track.
std::vector<uint32_t> sizes(const File& f, int trak) {
  const Box* stsz = f.find("moov/trak[" + std::to_string(trak) + "]/mdia/minf/stbl/stsz");
  std::vector<uint32_t> out;
  uint32_t constant = stsz->u32(4), count = stsz->u32(8);
  for (uint32_t i = 0; i < count; ++i) out.push_back(constant ? constant : stsz->u32(12 + 4 * i));
  return out;
}
std::vector<uint32_t> durations(const File& f, int trak) {
  const Box* stts = f.find("moov/trak[" + std::to_string(trak) + "]/mdia/minf/stbl/stts");
  std::vector<uint32_t> out;
  for (uint32_t e = 0; e < stts->u32(4); ++e) {
    for (uint32_t i = 0; i < stts->u32(8 + 8 * e); ++i) out.push_back(stts->u32(12 + 8 * e));
  }
  return out;
}
// The bytes of a track's first chunk (stco), `length` long.
std::vector<uint8_t> first_chunk(const File& f, int trak, size_t length) {
  const Box* stco = f.find("moov/trak[" + std::to_string(trak) + "]/mdia/minf/stbl/stco");
  uint32_t offset = stco->u32(8);
  return {f.bytes.begin() + offset, f.bytes.begin() + offset + length};
}
uint32_t tkhd_flags(const File& f, int trak) {
  return f.find("moov/trak[" + std::to_string(trak) + "]/tkhd")->u32(0) & 0xffffff;
}

TEST(TextTrack, subtitles_in_mp4_are_tx3g_in_an_sbtl_track_with_gaps_filled) {
  TempDir dir;
  auto writer = make_writer(dir.file("t.mp4"), FileType::kMpeg4);
  auto video = test::h264_input();
  auto text = text_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->add(text).is_ok());
  EXPECT_EQ(text->name, "text_1");
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  append_video(*video, 0, 150);
  // Starts 1 s in, a gap from 2 s to 3 s: both filled with empty samples.
  ASSERT_TRUE(text->append(text_sample("Hi", Time(1, 1), Time(1, 1))).is_ok());
  ASSERT_TRUE(text->append(text_sample("Yo", Time(3, 1), Time(1, 1))).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string();

  File f = File::read(dir.file("t.mp4"));
  EXPECT_EQ(handler(f, 1), "sbtl");
  EXPECT_EQ(entry_type(f, 1), "tx3g");
  EXPECT_NE(f.find("moov/trak[1]/mdia/minf/nmhd"), nullptr);
  EXPECT_EQ(f.find("moov/trak[1]/mdia/mdhd")->u32(12), 1000u);  // millisecond timescale
  EXPECT_EQ(sizes(f, 1), (std::vector<uint32_t>{2, 4, 2, 4}));
  EXPECT_EQ(durations(f, 1), (std::vector<uint32_t>{1000, 1000, 1000, 1000}));
  EXPECT_EQ(hex(first_chunk(f, 1, 12)), "00000002 48690000 0002596f");
  // tkhd: in front of the video (layer -1), the video's size, no volume, no edit list needed.
  const Box* tkhd = f.find("moov/trak[1]/tkhd");
  EXPECT_EQ(tkhd->u16(32), 0xffff);
  EXPECT_EQ(tkhd->u16(36), 0);
  EXPECT_EQ(tkhd->u32(76), 320u << 16);
  EXPECT_EQ(tkhd->u32(80), 240u << 16);
  EXPECT_EQ(f.find("moov/trak[1]/edts"), nullptr);
}

TEST(TextTrack, quicktime_subtitles_use_a_base_media_header) {
  TempDir dir;
  auto writer = make_writer(dir.file("t.mov"), FileType::kQuickTimeMovie);
  auto text = text_input();
  ASSERT_TRUE(writer->add(text).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  ASSERT_TRUE(text->append(text_sample("Hi", Time::zero(), Time(2, 1))).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("t.mov"));
  EXPECT_EQ(handler(f, 0), "sbtl");
  EXPECT_EQ(entry_type(f, 0), "tx3g");
  EXPECT_NE(f.find("moov/trak/mdia/minf/gmhd"), nullptr);
  EXPECT_EQ(durations(f, 0), (std::vector<uint32_t>{2000}));
}

TEST(TextTrack, m4a_and_segments_refuse_text) {
  TempDir dir;
  auto m4a = make_writer(dir.file("a.m4a"), FileType::kAppleM4A);
  Status s = m4a->check_can_add(text_input());
  EXPECT_EQ(s.code(), ErrorCode::kUnsupported);
  EXPECT_NE(s.message().find("audio only"), std::string::npos) << s.message();
  EXPECT_EQ(m4a->available_media_types(), std::vector<MediaType>{MediaType::kAudio});
}

// A writer with a video and a text input, writing from time 0, recorded crash-safely in fragments of
// `crash_recovery_interval` (invalid: one mdat).
struct VideoAndText {
  std::unique_ptr<AssetWriter> writer;
  std::shared_ptr<AssetWriterInput> video = test::h264_input();
  std::shared_ptr<AssetWriterInput> text = text_input();

  VideoAndText(const std::string& path, Time crash_recovery_interval) : writer(make_writer(path, FileType::kMpeg4)) {
    EXPECT_TRUE(writer->set_crash_recovery_interval(crash_recovery_interval).is_ok());
    EXPECT_TRUE(writer->set_sync_fragments_to_disk(false).is_ok());
    EXPECT_TRUE(writer->add(video).is_ok());
    EXPECT_TRUE(writer->add(text).is_ok());
    EXPECT_TRUE(writer->start_writing().is_ok());
    EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
  }
};

TEST(TextTrack, a_sparse_track_does_not_hold_back_the_video) {
  TempDir dir;
  VideoAndText r(dir.file("t.mp4"), Time::invalid());  // one mdat: written as we go
  auto& [writer, video, text] = r;
  ASSERT_TRUE(text->append(text_sample("first", Time::zero(), Time(2, 1))).is_ok());
  append_video(*video, 0, 30 * 60);  // a minute of video, no text after the first cue
  // Everything up to the last interleaving window is on disk, not queued waiting for the text track.
  EXPECT_GT(std::filesystem::file_size(dir.file("t.mp4")), 30u * 59 * 100);
  EXPECT_TRUE(video->is_ready_for_more_media_data());
  ASSERT_TRUE(text->append(text_sample("a minute later", Time(60, 1), Time(2, 1))).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("t.mp4"));
  EXPECT_EQ(durations(f, 1), (std::vector<uint32_t>{2000, 58000, 2000}));
}

// tkhd's layer (version 0: after ids, duration and reserved bytes): text is drawn in front of the video.
int16_t tkhd_layer(const File& f, size_t track) {
  const Box* tkhd = f.find("moov/trak[" + std::to_string(track) + "]/tkhd");
  return static_cast<int16_t>(tkhd->u16(tkhd->payload[0] == 1 ? 44 : 32));
}

TEST(TextTrack, a_killed_recording_recovers_with_the_subtitles_in_front_of_the_video) {
  TempDir dir;
  VideoAndText r(dir.file("live.mp4"), Time(1, 1));  // crash-safe: fragments on disk as it records
  auto& [writer, video, text] = r;
  ASSERT_TRUE(text->append(text_sample("Hi", Time::zero(), Time(2, 1))).is_ok());
  append_video(*video, 0, 30 * 4);
  // Left running, as if the process were killed: its file holds the fragments written so far.
  std::filesystem::copy_file(dir.file("live.mp4"), dir.file("killed.mp4"));
  ASSERT_TRUE(recover_movie(dir.file("killed.mp4"), dir.file("recovered.mp4")).is_ok());
  File f = File::read(dir.file("recovered.mp4"));
  EXPECT_EQ(handler(f, 1), "sbtl");
  EXPECT_EQ(tkhd_layer(f, 0), 0);
  EXPECT_EQ(tkhd_layer(f, 1), -1);
  EXPECT_TRUE(writer->cancel_writing().is_ok());
}

TEST(Chapters, mp4_gets_a_disabled_text_track_referenced_by_chap_and_a_chpl) {
  TempDir dir;
  auto writer = make_writer(dir.file("c.mp4"), FileType::kMpeg4);
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time(1, 1)).is_ok());  // the movie starts at source time 1 s
  append_video(*video, 30, 330);                           // 10 s
  ASSERT_TRUE(
      writer->set_chapters({{Time::zero(), "Intro"}, {Time(4, 1), "Main"}, {Time(20, 1), "Past the end"}}).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string();

  File f = File::read(dir.file("c.mp4"));
  EXPECT_EQ(f.find("moov/trak/tref/chap")->u32(0), 2u);
  EXPECT_EQ(handler(f, 1), "text");
  EXPECT_EQ(entry_type(f, 1), "tx3g");
  EXPECT_EQ(tkhd_flags(f, 1) & 1, 0u);                              // disabled, as Apple writes it
  EXPECT_EQ(durations(f, 1), (std::vector<uint32_t>{4000, 6000}));  // the last ends with the movie
  EXPECT_EQ(hex(first_chunk(f, 1, 13)), "0005496e 74726f00 044d6169 6e");
  EXPECT_EQ(f.find("moov/trak[1]/edts"), nullptr);  // media time 0 is the movie's start
  const Box* chpl = f.find("moov/udta/chpl");
  ASSERT_NE(chpl, nullptr);
  EXPECT_EQ(chpl->payload[8], 2);               // the chapter past the end is left out
  EXPECT_EQ(f.find("moov/mvhd")->u32(96), 3u);  // next track id
}

TEST(Chapters, titles_land_in_the_file_in_every_plain_layout) {
  for (int layout = 0; layout < 3; ++layout) {
    SCOPED_TRACE(layout);
    TempDir dir;
    auto writer = make_writer(dir.file("c.mp4"), FileType::kMpeg4);
    if (layout == 1) {
      ASSERT_TRUE(writer->set_crash_recovery_interval(Time::invalid()).is_ok());  // one mdat
    } else if (layout == 2) {
      ASSERT_TRUE(writer->set_should_optimize_for_network_use(true).is_ok());  // moov first
    }
    auto video = test::h264_input();
    ASSERT_TRUE(writer->add(video).is_ok());
    ASSERT_TRUE(writer->start_writing().is_ok());
    ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
    append_video(*video, 0, 90);
    ASSERT_TRUE(writer->set_chapters({{Time::zero(), "A"}, {Time(1, 1), "B"}}).is_ok());
    ASSERT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string();
    File f = File::read(dir.file("c.mp4"));
    EXPECT_EQ(hex(first_chunk(f, 1, 6)), "00014100 0142");
    EXPECT_EQ(durations(f, 1), (std::vector<uint32_t>{1000, 2000}));
  }
}

TEST(Chapters, mov_uses_a_quicktime_text_track_and_no_chpl) {
  TempDir dir;
  auto writer = make_writer(dir.file("c.mov"), FileType::kQuickTimeMovie);
  auto audio = test::aac_input();
  ASSERT_TRUE(writer->add(audio).is_ok());
  ASSERT_TRUE(writer->set_chapters({{Time::zero(), "One"}, {Time(1, 2), "Two"}}).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  for (int i = 0; i < 44; ++i) {
    ASSERT_TRUE(audio->append(make_sample(Time(i * 1024, 44100), Time(i * 1024, 44100), 50, true)).is_ok());
  }
  ASSERT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string();
  File f = File::read(dir.file("c.mov"));
  EXPECT_EQ(entry_type(f, 1), "text");
  EXPECT_EQ(handler(f, 1), "text");
  EXPECT_NE(f.find("moov/trak[1]/mdia/minf/gmhd"), nullptr);
  EXPECT_EQ(f.find("moov/trak/tref/chap")->u32(0), 2u);
  EXPECT_EQ(f.find("moov/udta/chpl"), nullptr);
}

TEST(Chapters, are_checked_and_refused_for_fragmented_movies) {
  TempDir dir;
  auto writer = make_writer(dir.file("c.mp4"), FileType::kMpeg4);
  EXPECT_EQ(writer->set_chapters({{Time(2, 1), "B"}, {Time(1, 1), "A"}}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(writer->set_chapters({{Time(-1, 1), "A"}}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(writer->set_chapters({{Time::zero(), "\xff"}}).code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(writer->set_movie_fragment_interval(Time(1, 1)).is_ok());
  EXPECT_EQ(writer->set_chapters({{Time::zero(), "A"}}).code(), ErrorCode::kUnsupported);
}

TEST(TimedMetadata, mebx_track_with_keys_describes_the_video) {
  TempDir dir;
  auto writer = make_writer(dir.file("m.mp4"), FileType::kMpeg4);
  auto video = test::h264_input();
  FormatDescription format{Codec::kMebx};
  format.metadata_keys = {{FourCC("mdta"), "com.example.speed", MetadataDataType::kUtf8}};
  auto meta = AssetWriterInput::create(MediaType::kMetadata, format);
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->add(meta).is_ok());
  ASSERT_TRUE(meta->add_track_association(video, TrackAssociationType::kMetadataReferent).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  append_video(*video, 0, 90);
  std::vector<TimedMetadataValue> values{{0, {'1', '2'}}};
  auto payload = std::make_shared<std::vector<uint8_t>>(std::move(make_metadata_sample(values, 1)).value());
  Sample s;
  s.data = *payload;
  s.owner = payload;
  s.presentation_time = Time(1, 1);
  s.duration = Time(1, 1);
  ASSERT_TRUE(meta->append(std::move(s)).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("m.mp4"));
  EXPECT_EQ(handler(f, 1), "meta");
  EXPECT_EQ(entry_type(f, 1), "mebx");
  EXPECT_NE(f.find("moov/trak[1]/mdia/minf/nmhd"), nullptr);
  EXPECT_EQ(f.find("moov/trak[1]/tref/cdsc")->u32(0), 1u);
  // A NULL sample for the first second, then the value.
  EXPECT_EQ(sizes(f, 1), (std::vector<uint32_t>{8, 10}));
  EXPECT_EQ(hex(first_chunk(f, 1, 18)), "00000008 00000000 0000000a 00000001 3132");
}

TEST(TimedMetadata, needs_keys) {
  TempDir dir;
  auto writer = make_writer(dir.file("m.mp4"), FileType::kMpeg4);
  auto meta = AssetWriterInput::create(MediaType::kMetadata, FormatDescription{Codec::kMebx});
  ASSERT_TRUE(writer->add(meta).is_ok());
  Status s = writer->start_writing();
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("metadata_0"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace aw
