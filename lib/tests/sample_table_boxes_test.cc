// Golden bytes for the sample table boxes, built from a run-length SampleTable.
#include "boxes/sample_table_boxes.h"

#include <gtest/gtest.h>

#include "golden.h"

namespace aw {
namespace {

// Five 30 fps frames at 90 kHz in decode order I P B B P, the B frames shown before the P.
SampleTable ipbbp() {
  SampleTable t;
  int64_t pts[] = {6000, 15000, 9000, 12000, 18000};
  uint32_t sizes[] = {500, 200, 100, 100, 200};
  for (int i = 0; i < 5; ++i) t.add_sample(i * 3000, pts[i], sizes[i], i == 0);
  t.finish(3000);
  t.add_chunk(0, 3);
  t.add_chunk(5000, 2);
  return t;
}

TEST(SampleTable, tracks_durations_and_presentation_range) {
  SampleTable t = ipbbp();
  EXPECT_EQ(t.sample_count(), 5u);
  EXPECT_EQ(t.media_duration(), 15000u);
  EXPECT_EQ(t.min_pts(), 6000);
  EXPECT_EQ(t.max_pts_end(), 21000);
  EXPECT_EQ(t.total_bytes(), 1100u);
  EXPECT_EQ(t.composition_shift(), 0);
}

TEST(SampleTable, pcm_frames_are_added_as_one_run) {
  SampleTable t;
  t.add_sample_run(0, 1024, 4, 1);
  t.add_sample_run(1024, 1024, 4, 1);
  t.finish(1);
  EXPECT_EQ(t.sample_count(), 2048u);
  EXPECT_EQ(t.media_duration(), 2048u);
  EXPECT_EQ(t.max_pts_end(), 2048);
  EXPECT_TRUE(t.constant_size());
  EXPECT_TRUE(t.sizes().empty());
  ASSERT_EQ(t.time_to_sample().size(), 1u);
  EXPECT_EQ(t.time_to_sample()[0].count, 2048u);
  EXPECT_FALSE(t.has_composition_offsets());
  BoxWriter w;
  write_stsz(w, t);
  EXPECT_EQ(hex(w.data()), "00000014 7374737a 00000000 00000004 00000800");
}

TEST(SampleTable, keeps_no_per_sample_lists_until_a_size_or_sync_flag_differs) {
  SampleTable t;
  t.add_sample(0, 0, 10, true);
  t.add_sample(1, 1, 10, true);
  EXPECT_TRUE(t.sizes().empty());
  EXPECT_TRUE(t.sync_samples().empty());
  t.add_sample(2, 2, 11, false);
  EXPECT_EQ(t.sizes(), (std::vector<uint32_t>{10, 10, 11}));
  EXPECT_EQ(t.sync_samples(), (std::vector<uint32_t>{1, 2}));
  t.add_sample_run(3, 2, 12, 1);
  EXPECT_EQ(t.sizes(), (std::vector<uint32_t>{10, 10, 11, 12, 12}));
  EXPECT_EQ(t.sync_samples(), (std::vector<uint32_t>{1, 2, 4, 5}));
  EXPECT_EQ(t.size_of(4), 12u);
}

TEST(Stts, equal_deltas_share_one_entry) {
  BoxWriter w;
  write_stts(w, ipbbp());
  EXPECT_EQ(hex(w.data()), "00000018 73747473 00000000 00000001 00000005 00000bb8");
}

TEST(Ctts, runs_of_offsets) {
  BoxWriter w;
  write_ctts(w, ipbbp());
  EXPECT_EQ(hex(w.data()), "00000030 63747473 00000000 00000004 00000001 00001770 00000001 00002ee0 "
                           "00000002 00000bb8 00000001 00001770");
}

TEST(Ctts, negative_offsets_are_shifted_to_version_0) {
  SampleTable t;
  t.add_sample(0, -3000, 1, true);
  t.add_sample(3000, 3000, 1, false);
  t.finish(3000);
  EXPECT_EQ(t.composition_shift(), 3000);
  BoxWriter w;
  write_ctts(w, t);
  EXPECT_EQ(hex(w.data()), "00000020 63747473 00000000 00000002 00000001 00000000 00000001 00000bb8");
}

TEST(Ctts, nothing_when_presentation_equals_decode_order) {
  SampleTable t;
  t.add_sample(0, 0, 1, true);
  t.add_sample(1024, 1024, 1, true);
  t.finish(1024);
  BoxWriter w;
  write_ctts(w, t);
  EXPECT_EQ(w.size(), 0u);
}

TEST(Stss, lists_sync_samples_and_is_left_out_when_all_are_sync) {
  BoxWriter w;
  write_stss(w, ipbbp());
  EXPECT_EQ(hex(w.data()), "00000014 73747373 00000000 00000001 00000001");
  SampleTable all;
  all.add_sample(0, 0, 1, true);
  BoxWriter none;
  write_stss(none, all);
  EXPECT_EQ(none.size(), 0u);
}

TEST(Stsc, one_entry_per_change_of_samples_per_chunk) {
  SampleTable t;
  for (int i = 0; i < 9; ++i) t.add_sample(i, i, 1, true);
  t.add_chunk(0, 3);
  t.add_chunk(10, 3);
  t.add_chunk(20, 2);
  t.add_chunk(30, 1);
  BoxWriter w;
  write_stsc(w, t);
  EXPECT_EQ(hex(w.data()), "00000034 73747363 00000000 00000003 00000001 00000003 00000001 00000003 "
                           "00000002 00000001 00000004 00000001 00000001");
}

TEST(Stsz, variable_sizes_are_listed) {
  BoxWriter w;
  write_stsz(w, ipbbp());
  EXPECT_EQ(hex(w.data()), "00000028 7374737a 00000000 00000000 00000005 000001f4 000000c8 00000064 00000064 000000c8");
}

TEST(Stsz, constant_size_is_one_value) {
  SampleTable t;
  for (int i = 0; i < 4; ++i) t.add_sample(i * 1024, i * 1024, 4096, true);
  BoxWriter w;
  write_stsz(w, t);
  EXPECT_EQ(hex(w.data()), "00000014 7374737a 00000000 00001000 00000004");
}

// Found by fuzz_writer_api: a sample_size of 0 means "a table follows", so empty samples are listed.
TEST(Stsz, samples_that_are_all_empty_are_listed_not_written_as_constant_size_0) {
  SampleTable t;
  for (int i = 0; i < 3; ++i) t.add_sample(i * 1024, i * 1024, 0, true);
  BoxWriter w;
  write_stsz(w, t);
  EXPECT_EQ(hex(w.data()), "00000020 7374737a 00000000 00000000 00000003 00000000 00000000 00000000");
}

TEST(ChunkOffsets, stco_adds_the_payload_base) {
  BoxWriter w;
  write_chunk_offsets(w, ipbbp(), 48, false);
  EXPECT_EQ(hex(w.data()), "00000018 7374636f 00000000 00000002 00000030 000013b8");
}

TEST(ChunkOffsets, stco_switches_to_co64_past_4GiB) {
  SampleTable t;
  t.add_sample(0, 0, 1, true);
  t.add_sample(1, 1, 1, true);
  t.add_chunk(0, 1);
  t.add_chunk(0xFFFFFFF0, 1);
  EXPECT_FALSE(needs_co64(t, 0xF));
  EXPECT_TRUE(needs_co64(t, 0x10));
  BoxWriter w;
  write_chunk_offsets(w, t, 0x10, true);
  EXPECT_EQ(hex(w.data()), "00000020 636f3634 00000000 00000002 00000000 00000010 00000001 00000000");
}

TEST(Stbl, holds_the_tables_in_order) {
  BoxWriter w;
  write_stbl(w, ipbbp(), [&] { w.box(FourCC("avc1"), [] {}); }, 0, false);
  std::vector<std::string> children;
  for (size_t pos = 8; pos < w.size();) {
    const auto& d = w.data();
    uint32_t size = uint32_t{d[pos]} << 24 | uint32_t{d[pos + 1]} << 16 | uint32_t{d[pos + 2]} << 8 | d[pos + 3];
    children.emplace_back(reinterpret_cast<const char*>(&d[pos + 4]), 4);
    pos += size;
  }
  EXPECT_EQ(children, (std::vector<std::string>{"stsd", "stts", "ctts", "stss", "stsc", "stsz", "stco"}));
}

}  // namespace
}  // namespace aw
