// Golden bytes for the sample table boxes, built from a compact SampleTable, and the table's storage.
#include "boxes/sample_table_boxes.h"

#include <gtest/gtest.h>

#include <random>
#include <utility>

#include "golden.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

template <typename Range>
auto to_vector(const Range& range) {
  std::vector<std::remove_cvref_t<decltype(*range.begin())>> out;
  for (const auto& v : range) out.push_back(v);
  return out;
}

int64_t value_of(const TimeToSampleRun& r) { return r.delta; }
int64_t value_of(const CompositionOffsetRun& r) { return r.offset; }

// Runs as (count, value) pairs, so gtest compares and prints them.
template <typename Run>
std::vector<std::pair<uint32_t, int64_t>> pairs(const std::vector<Run>& runs) {
  std::vector<std::pair<uint32_t, int64_t>> out;
  for (const auto& r : runs) out.emplace_back(r.count, value_of(r));
  return out;
}

std::vector<uint32_t> sizes_of(const SampleTable& t) {
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < t.sample_count(); ++i) out.push_back(t.size_of(i));
  return out;
}

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
  ASSERT_EQ(t.time_to_sample().size(), 1u);
  EXPECT_EQ(t.time_to_sample().back().count, 2048u);
  EXPECT_FALSE(t.has_composition_offsets());
  BoxWriter w;
  write_stsz(w, t);
  EXPECT_EQ(hex(w.data()), "00000014 7374737a 00000000 00000004 00000800");
}

TEST(SampleTable, keeps_no_per_sample_lists_until_a_size_or_sync_flag_differs) {
  SampleTable t;
  t.add_sample(0, 0, 10, true);
  t.add_sample(1, 1, 10, true);
  EXPECT_TRUE(t.constant_size());
  EXPECT_TRUE(t.all_sync());
  t.add_sample(2, 2, 11, false);
  EXPECT_EQ(sizes_of(t), (std::vector<uint32_t>{10, 10, 11}));
  EXPECT_EQ(to_vector(t.sync_samples()), (std::vector<uint32_t>{1, 2}));
  t.add_sample_run(3, 2, 12, 1);
  EXPECT_EQ(sizes_of(t), (std::vector<uint32_t>{10, 10, 11, 12, 12}));
  EXPECT_EQ(to_vector(t.sync_samples()), (std::vector<uint32_t>{1, 2, 4, 5}));
  EXPECT_EQ(t.size_of(4), 12u);
}

// The compact storage against plain vectors: every run, size, sync number and chunk read back exactly,
// across block and page boundaries, escapes (long runs, values the recent-value slots do not hold, sizes
// whose range needs 4 bytes) and offsets of both signs.
TEST(SampleTable, compact_storage_reads_back_what_was_added) {
  std::mt19937 rng(7);
  SampleTable t;
  std::vector<TimeToSampleRun> stts;
  std::vector<CompositionOffsetRun> ctts;
  std::vector<uint32_t> sizes, syncs;
  std::vector<Chunk> chunks;
  auto add_delta = [&](uint32_t delta) {
    if (!stts.empty() && stts.back().delta == delta) {
      ++stts.back().count;
    } else {
      stts.push_back({1, delta});
    }
  };
  auto add_offset = [&](int32_t offset) {
    if (!ctts.empty() && ctts.back().offset == offset) {
      ++ctts.back().count;
    } else {
      ctts.push_back({1, offset});
    }
  };
  const int kSamples = 50'000;
  int64_t dts = -5000;
  uint64_t offset = 0;
  uint32_t previous_delta = 0;
  for (int i = 0; i < kSamples; ++i) {
    // Phases: B-frame offsets from a few values; then many distinct values; then long equal runs.
    int phase = (i / 7000) % 3;
    int32_t cto = phase == 0   ? static_cast<int32_t>((i % 4) * 1500) - 1500
                  : phase == 1 ? static_cast<int32_t>(rng() % 100000) - 50000
                               : ((i / 40) % 2) * 3000;
    uint32_t delta = phase == 1 ? 1000 + rng() % 40 : (i / 3000) % 2 == 0 ? 1500 : 1501;
    uint32_t size = (i / 1024) % 5 == 4 ? (rng() % 2 ? 0xFFFFFFFFu : 0u) : 100 + rng() % (1u << (4 * ((i / 1024) % 5) + 4));
    bool sync = rng() % 9 == 0 || i == 0;
    if (i > 0) add_delta(previous_delta);
    previous_delta = delta;
    t.add_sample(dts, dts + cto, size, sync);
    add_offset(cto);
    sizes.push_back(size);
    if (sync) syncs.push_back(static_cast<uint32_t>(i + 1));
    if (i % 17 == 16) {
      chunks.push_back({offset, 17});
      t.add_chunk(offset, 17);
      offset += (rng() % 2 ? uint64_t{1} << 33 : 1000) + rng() % 100;
    }
    dts += delta;
  }
  t.finish(1500);
  add_delta(1500);
  EXPECT_EQ(pairs(to_vector(t.time_to_sample())), pairs(stts));
  EXPECT_EQ(t.time_to_sample().size(), stts.size());
  EXPECT_EQ(pairs(to_vector(t.composition_offsets())), pairs(ctts));
  EXPECT_EQ(t.composition_offsets().size(), ctts.size());
  EXPECT_EQ(t.composition_offsets().back().offset, ctts.back().offset);
  EXPECT_EQ(sizes_of(t), sizes);
  std::vector<uint32_t> block_sizes;
  t.sizes().for_each_block([&](std::span<const uint32_t> b) { block_sizes.insert(block_sizes.end(), b.begin(), b.end()); });
  EXPECT_EQ(block_sizes, sizes);
  EXPECT_EQ(to_vector(t.sync_samples()), syncs);
  EXPECT_EQ(t.sync_samples().size(), syncs.size());
  auto got_chunks = to_vector(t.chunks());
  ASSERT_EQ(got_chunks.size(), chunks.size());
  for (size_t i = 0; i < chunks.size(); ++i) {
    ASSERT_EQ(got_chunks[i].payload_offset, chunks[i].payload_offset) << i;
    ASSERT_EQ(got_chunks[i].sample_count, chunks[i].sample_count) << i;
  }
}

TEST(SampleTable, stts_runs_are_maximal_and_read_back_in_order) {
  SampleTable t;
  // 29.97 fps at 1/1000: 33, 33, 34 deltas, every run short; then a run past the 4-bit count.
  int64_t dts = 0;
  uint32_t deltas[] = {33, 33, 34};
  for (int i = 0; i < 30; ++i) {
    t.add_sample(dts, dts, 1, true);
    dts += deltas[i % 3];
  }
  for (int i = 0; i < 100; ++i) {
    t.add_sample(dts, dts, 1, true);
    dts += 40;
  }
  t.finish(40);
  auto runs = to_vector(t.time_to_sample());
  ASSERT_EQ(runs.size(), 21u);
  for (int k = 0; k < 10; ++k) {
    EXPECT_EQ(runs[2 * k].count, 2u);
    EXPECT_EQ(runs[2 * k].delta, 33u);
    EXPECT_EQ(runs[2 * k + 1].count, 1u);
    EXPECT_EQ(runs[2 * k + 1].delta, 34u);
  }
  EXPECT_EQ(runs[20].count, 100u);  // the 30th sample's delta was 34; then 100 of 40
  EXPECT_EQ(runs[20].delta, 40u);
}

// Issue #10's target: at most 8 bytes of index per sample for realistic streams, counted by the table's
// own accounting (pages, blocks), not by the process's resident memory.
struct StreamKind {
  const char* name;
  int64_t samples;
  void (*add)(SampleTable& t, int64_t i, uint32_t& rng);
};

uint32_t next(uint32_t& rng) { return rng = rng * 1664525u + 1013904223u; }

const StreamKind kStreams[] = {
    {"h264_60fps_bframes_90khz", 216'000,
     [](SampleTable& t, int64_t i, uint32_t& rng) {
       // I P B B (pyramid offsets), a key frame every 2 s, 20-60 KB frames.
       static const int64_t kShow[] = {1, 4, 2, 3};
       int64_t shown = i - i % 4 + kShow[i % 4];
       bool key = i % 120 == 0;
       t.add_sample(i * 1500, shown * 1500, key ? 150'000 : 20'000 + next(rng) % 40'000, key);
       if (i % 30 == 29) t.add_chunk(uint64_t(i) * 40'000, 30);
     }},
    {"h264_240fps_small", 864'000,
     [](SampleTable& t, int64_t i, uint32_t& rng) {
       int64_t shown = i % 3 == 0 ? i + 2 : i - 1;
       bool key = i % 240 == 0;
       t.add_sample(i, shown + 1, key ? 1200 : 75 + next(rng) % 150, key);
       if (i % 120 == 119) t.add_chunk(uint64_t(i) * 150, 120);
     }},
    {"aac_1024", 168'750,
     [](SampleTable& t, int64_t i, uint32_t& rng) {
       t.add_sample(i * 1024, i * 1024, 300 + next(rng) % 100, true);
       if (i % 23 == 22) t.add_chunk(uint64_t(i) * 350, 23);
     }},
    {"pcm_48khz_runs", 1'000,
     [](SampleTable& t, int64_t i, uint32_t&) {
       t.add_sample_run(i * 1024, 1024, 4, 1);
       if (i % 23 == 22) t.add_chunk(uint64_t(i) * 4096, 23 * 1024);
     }},
};

TEST(SampleTable, index_memory_is_at_most_8_bytes_per_sample) {
  for (const auto& kind : kStreams) {
    SampleTable t;
    uint32_t rng = 1;
    for (int64_t i = 0; i < kind.samples; ++i) kind.add(t, i, rng);
    t.finish(1024);
    double per_sample = double(t.memory_bytes()) / t.sample_count();
    std::printf("# %s: %u samples, %zu bytes of index, %.3f bytes/sample\n", kind.name, t.sample_count(),
                t.memory_bytes(), per_sample);
    EXPECT_LE(per_sample, 8.0) << kind.name;
  }
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

// A format change mid-stream: chunks of the second sample description start an entry even with the same
// sample count, and going back to the first starts another.
TEST(Stsc, a_change_of_sample_description_starts_an_entry) {
  SampleTable t;
  for (int i = 0; i < 8; ++i) t.add_sample(i, i, 1, true);
  t.add_chunk(0, 2);
  t.add_chunk(10, 2, 2);
  t.add_chunk(20, 2, 2);
  t.add_chunk(30, 2, 1);
  BoxWriter w;
  write_stsc(w, t);
  EXPECT_EQ(hex(w.data()), "00000034 73747363 00000000 00000003 00000001 00000002 00000001 00000002 "
                           "00000002 00000002 00000004 00000002 00000001");
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
  EXPECT_EQ(test::child_types(test::parse_boxes(w.data(), 0).at(0)),
            (std::vector<std::string>{"stsd", "stts", "ctts", "stss", "stsc", "stsz", "stco"}));
}

}  // namespace
}  // namespace aw
