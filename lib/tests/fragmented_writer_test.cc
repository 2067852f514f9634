// Fragmented output: structure, fragment cuts, tfdt/trun bookkeeping, finish-time rewrite, combinable mode.
#include <gtest/gtest.h>

#include <algorithm>

#include "aw/asset_writer.h"
#include "test_media.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

using test::Box;
using test::File;
using test::make_sample;
using test::TempDir;

struct Recording {
  std::shared_ptr<AssetWriterInput> video = test::h264_input();
  std::shared_ptr<AssetWriterInput> audio = test::aac_input();
  std::unique_ptr<AssetWriter> writer;

  explicit Recording(const std::string& path, const std::function<void(AssetWriter&)>& configure = {}) {
    writer = std::move(AssetWriter::create(path, FileType::kMpeg4)).value();
    EXPECT_TRUE(writer->set_creation_time(0).is_ok());
    EXPECT_TRUE(writer->set_movie_fragment_interval(Time(1, 1)).is_ok());
    EXPECT_TRUE(writer->set_sync_fragments_to_disk(false).is_ok());
    if (configure) configure(*writer);
    EXPECT_TRUE(writer->add(video).is_ok());
    EXPECT_TRUE(writer->add(audio).is_ok());
    EXPECT_TRUE(writer->start_writing().is_ok());
    EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
  }

  // `seconds` of 30 fps video with a keyframe every 15 frames (video payload 0x11) and 44.1 kHz AAC
  // (payload 0x22), starting at `start_frame`.
  void append(int seconds, int start_frame = 0) {
    int audio_frame = static_cast<int>(int64_t{start_frame} * 44100 / 30 / 1024);
    for (int v = start_frame; v < start_frame + seconds * 30; ++v) {
      Time t(v, 30);
      ASSERT_TRUE(video->append(make_sample(t, t, 500, v % 15 == 0, 0x11)).is_ok());
      for (; Time(int64_t{audio_frame} * 1024, 44100) < t + Time(1, 30); ++audio_frame) {
        Time at(int64_t{audio_frame} * 1024, 44100);
        ASSERT_TRUE(audio->append(make_sample(at, at, 200, true, 0x22)).is_ok());
      }
    }
  }
};

std::vector<const Box*> all(const File& f, const std::string& type) {
  std::vector<const Box*> out;
  for (const auto& b : f.root.children) {
    if (b.type == type) out.push_back(&b);
  }
  return out;
}

TEST(FragmentedWriter, writes_moov_with_mvex_then_moof_mdat_pairs_then_mfra) {
  TempDir dir;
  Recording r(dir.file("f.mp4"));
  r.append(3);
  ASSERT_TRUE(r.writer->finish_writing().is_ok()) << r.writer->error().to_string();

  File f = File::read(dir.file("f.mp4"));
  auto top = f.top_level();
  ASSERT_GE(top.size(), 6u);
  EXPECT_EQ((std::vector<std::string>(top.begin(), top.begin() + 3)), (std::vector<std::string>{"ftyp", "moov", "free"}));
  EXPECT_EQ(top.back(), "mfra");
  EXPECT_EQ(all(f, "moof").size(), 3u);  // one per second, each starting on a keyframe
  EXPECT_EQ(all(f, "mdat").size(), 3u);
  EXPECT_NE(f.find("moov/mvex/trex"), nullptr);
  EXPECT_EQ(f.find("moov/mvex")->count("trex"), 2u);
  // The moov rewritten at finish carries the real duration, in mehd and mvhd (version 1): the audio's
  // 130 frames of 1024 samples end at 3.0187 s, after the video's 3 s.
  EXPECT_EQ(f.find("moov/mvex/mehd")->u64(4), 3019u);
  EXPECT_EQ(f.find("moov/mvhd")->u64(24), 3019u);
  // The ftyp declares iso6 for tfdt.
  EXPECT_NE(std::string(reinterpret_cast<const char*>(f.find("ftyp")->payload.data()), f.find("ftyp")->payload.size())
                .find("iso6"),
            std::string::npos);
}

TEST(FragmentedWriter, fragments_are_numbered_and_their_runs_point_into_the_following_mdat) {
  TempDir dir;
  Recording r(dir.file("n.mp4"), [](AssetWriter& w) { ASSERT_TRUE(w.set_initial_movie_fragment_sequence_number(7).is_ok()); });
  r.append(2);
  ASSERT_TRUE(r.writer->finish_writing().is_ok());
  File f = File::read(dir.file("n.mp4"));
  auto moofs = all(f, "moof");
  ASSERT_EQ(moofs.size(), 2u);
  uint32_t expected_sequence = 7;
  uint64_t video_decode_time = 0;
  for (const Box* moof : moofs) {
    EXPECT_EQ(moof->child("mfhd")->u32(4), expected_sequence++);
    ASSERT_EQ(moof->count("traf"), 2u);
    const Box* traf = moof->child("traf");
    EXPECT_EQ(traf->child("tfhd")->u32(0) & 0x020000u, 0x020000u);  // default-base-is-moof
    EXPECT_EQ(traf->child("tfdt")->u64(4), video_decode_time);
    // Every trun's data offset lands on this track's payload inside the mdat after the moof.
    for (size_t t = 0; t < 2; ++t) {
      const Box* tr = moof->child("traf", t);
      for (size_t i = 0; i < tr->count("trun"); ++i) {
        const Box* trun = tr->child("trun", i);
        uint32_t offset = trun->u32(8);
        EXPECT_EQ(f.bytes[moof->offset + offset], t == 0 ? 0x11 : 0x22);
      }
    }
    video_decode_time += 90000;  // one second at 90 kHz
  }
}

TEST(FragmentedWriter, cuts_on_the_first_keyframe_at_or_after_the_interval) {
  TempDir dir;
  Recording r(dir.file("k.mp4"), [](AssetWriter& w) {
    ASSERT_TRUE(w.set_movie_fragment_interval(Time(1, 1)).is_ok());
    ASSERT_TRUE(w.set_initial_movie_fragment_interval(Time(1, 3)).is_ok());
  });
  r.append(2);
  ASSERT_TRUE(r.writer->finish_writing().is_ok());
  File f = File::read(dir.file("k.mp4"));
  auto moofs = all(f, "moof");
  // Keyframes every 0.5 s: cuts at 0.5 s (first interval 1/3 s, next keyframe), then 1.5 s, then the rest.
  ASSERT_EQ(moofs.size(), 3u);
  EXPECT_EQ(moofs[0]->child("traf")->child("tfdt")->u64(4), 0u);
  EXPECT_EQ(moofs[1]->child("traf")->child("tfdt")->u64(4), 45000u);
  EXPECT_EQ(moofs[2]->child("traf")->child("tfdt")->u64(4), 135000u);
}

TEST(FragmentedWriter, random_access_table_lists_each_fragments_first_keyframe) {
  TempDir dir;
  Recording r(dir.file("r.mp4"));
  r.append(3);
  ASSERT_TRUE(r.writer->finish_writing().is_ok());
  File f = File::read(dir.file("r.mp4"));
  const Box* tfra = f.find("mfra/tfra");
  ASSERT_NE(tfra, nullptr);
  EXPECT_EQ(tfra->u32(4), 1u);  // track 1
  ASSERT_EQ(tfra->u32(12), 3u);
  auto moofs = all(f, "moof");
  for (uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(tfra->u64(16 + i * 28), i * 90000u);
    EXPECT_EQ(tfra->u64(24 + i * 28), moofs[i]->offset);
  }
  const Box* mfro = f.find("mfra/mfro");
  EXPECT_EQ(mfro->u32(4), f.find("mfra")->size);
}

TEST(FragmentedWriter, combinable_fragments_keep_source_decode_times_and_write_no_mfra) {
  TempDir dir;
  Recording r(dir.file("c.mp4"), [](AssetWriter& w) {
    ASSERT_TRUE(w.set_produces_combinable_fragments(true).is_ok());
    ASSERT_TRUE(w.set_initial_movie_fragment_sequence_number(3).is_ok());
  });
  r.append(1, 60);  // the writer of the range 2 s .. 3 s
  ASSERT_TRUE(r.writer->finish_writing().is_ok());
  File f = File::read(dir.file("c.mp4"));
  EXPECT_EQ(f.find("mfra"), nullptr);
  auto moofs = all(f, "moof");
  ASSERT_EQ(moofs.size(), 1u);
  EXPECT_EQ(moofs[0]->child("mfhd")->u32(4), 3u);
  EXPECT_EQ(moofs[0]->child("traf")->child("tfdt")->u64(4), 180000u);  // 2 s at 90 kHz
}

TEST(FragmentedWriter, fragment_settings_are_validated) {
  TempDir dir;
  auto writer = std::move(AssetWriter::create(dir.file("v.mp4"), FileType::kMpeg4)).value();
  EXPECT_EQ(writer->set_movie_fragment_interval(Time(0, 1)).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(writer->set_movie_fragment_interval(Time(-1, 1)).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(writer->set_movie_fragment_interval(Time::invalid()).is_ok());
  EXPECT_EQ(writer->set_initial_movie_fragment_sequence_number(0).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(writer->set_overall_duration_hint(Time(0, 1)).code(), ErrorCode::kInvalidArgument);
}

TEST(FragmentedWriter, duration_hint_goes_into_the_initial_moov) {
  TempDir dir;
  std::string path = dir.file("h.mp4");
  Recording r(path, [](AssetWriter& w) { ASSERT_TRUE(w.set_overall_duration_hint(Time(60, 1)).is_ok()); });
  r.append(2);  // the first fragment is on disk once the second has begun
  File during = File::read(path);
  ASSERT_NE(during.find("moov/mvex/mehd"), nullptr);
  EXPECT_EQ(during.find("moov/mvex/mehd")->u64(4), 60000u);
  ASSERT_GE(all(during, "moof").size(), 1u);
  ASSERT_TRUE(r.writer->finish_writing().is_ok());
  EXPECT_EQ(File::read(path).find("moov/mvex/mehd")->u64(4), 2020u);  // 87 AAC frames end at 2.0201 s
}

}  // namespace
}  // namespace aw

namespace aw {
namespace {

// Found by fuzz_writer_api: with no video track a gap longer than the interval asked for the same empty
// fragment forever.
TEST(FragmentedWriter, audio_only_gap_longer_than_the_interval_does_not_hang) {
  TempDir dir;
  auto writer = std::move(AssetWriter::create(dir.file("gap.m4a"), FileType::kAppleM4A)).value();
  ASSERT_TRUE(writer->set_sync_fragments_to_disk(false).is_ok());  // crash-safe plain: fragments of 2 s
  auto audio = test::aac_input();
  ASSERT_TRUE(writer->add(audio).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  for (int i = 0; i < 200; ++i) {
    // A 10 s gap after the first 100 frames.
    Time t(int64_t{i} * 1024 + (i >= 100 ? 441000 : 0), 44100);
    ASSERT_TRUE(audio->append(make_sample(t, t, 100, true, 0x22)).is_ok());
  }
  ASSERT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string();
  File f = File::read(dir.file("gap.m4a"));
  EXPECT_EQ(f.find("moov/trak/mdia/minf/stbl/stsz")->u32(8), 200u);
}

}  // namespace
}  // namespace aw

namespace aw {
namespace {

TEST(FragmentedWriter, an_interval_shorter_than_the_cut_tolerance_still_moves_on_to_the_next_fragment) {
  // A keyframe just before the target may end a fragment (the cut tolerance), but never at the fragment's
  // own start: with a 1 µs interval that would ask for the same empty fragment forever.
  TempDir dir;
  auto writer = test::make_writer(dir.file("tiny.mp4"));
  ASSERT_TRUE(writer->set_movie_fragment_interval(Time(1, 1000000)).is_ok());
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  for (int v = 0; v < 10; ++v) ASSERT_TRUE(video->append(make_sample(Time(v, 30), Time(v, 30), 100, true)).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok());
  File f = File::read(dir.file("tiny.mp4"));
  auto top = f.top_level();
  EXPECT_EQ(std::count(top.begin(), top.end(), "moof"), 10);
}

}  // namespace
}  // namespace aw
