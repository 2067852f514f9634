// recovery::ShownPrefix: which decode-order prefix of a killed track fills its presentation without a hole,
// on streams written out frame by frame (slots of 10 ticks, presented after a reorder delay).
#include "recovery/shown_prefix.h"

#include <gtest/gtest.h>

#include <vector>

namespace aw::recovery {
namespace {

// Frame slots in decode order: each frame decodes at its index and presents at its slot plus `delay`,
// in ticks of `step` (give or take `jitter` ticks on odd frames, as timestamps rounded to a timescale).
uint32_t shown(const std::vector<int>& slots, int delay = 1, int64_t step = 10, int64_t jitter = 0) {
  ShownPrefix prefix;
  for (size_t i = 0; i < slots.size(); ++i) {
    int64_t dts = static_cast<int64_t>(i) * step;
    prefix.add(dts, (slots[i] + delay) * step + (i % 2 ? jitter : 0));
  }
  return prefix.count(static_cast<uint32_t>(step));
}

TEST(ShownPrefix, keeps_every_frame_of_a_stream_without_reordering) {
  EXPECT_EQ(shown({0, 1, 2, 3, 4}, 0), 5u);
  EXPECT_EQ(shown({0, 1, 2, 3, 4}, 2), 5u);  // a constant delay is no hole
}

TEST(ShownPrefix, keeps_every_frame_when_the_kill_came_after_a_complete_mini_gop) {
  // I P B B P B B: decode order of presentation slots 0 3 1 2 6 4 5.
  EXPECT_EQ(shown({0, 3, 1, 2, 6, 4, 5}), 7u);
  // b-pyramid: I P B b b, slots 0 4 2 1 3.
  EXPECT_EQ(shown({0, 4, 2, 1, 3}, 2), 5u);
}

TEST(ShownPrefix, drops_a_p_frame_whose_b_frames_were_lost) {
  EXPECT_EQ(shown({0, 3, 1, 2, 6}), 4u);
  EXPECT_EQ(shown({0, 3, 1, 2, 6}, 1, 3000, 1), 4u);  // timestamps a tick off
}

TEST(ShownPrefix, drops_the_b_frame_that_references_a_dropped_p_frame) {
  // The second B-frame (slot 5) lost: the P at 6 follows the hole, and the B at 4 references it: both go.
  EXPECT_EQ(shown({0, 3, 1, 2, 6, 4}), 4u);
}

TEST(ShownPrefix, drops_what_a_b_pyramid_presents_after_the_hole) {
  // I P8 B4 b2 b1 b3 b6: b5 and b7 lost, so P8 and b6 follow a hole; b6 references P8 and B4 only.
  EXPECT_EQ(shown({0, 4, 2, 1, 3, 8, 6}, 2), 5u);
}

TEST(ShownPrefix, keeps_everything_when_the_last_filled_prefix_lies_further_back_than_any_reordering) {
  // One reordered pair, then presentation times drifting a tick a frame later than their decode slots:
  // no prefix past the fifth frame fills its presentation, yet no lost frame explains that.
  ShownPrefix prefix;
  for (int i = 0; i < 30; ++i) {
    int slot = i == 1 ? 2 : i == 2 ? 1 : i;
    prefix.add(i * 10, (slot + 1) * 10 + i);
  }
  EXPECT_EQ(prefix.count(10), 30u);
}

TEST(ShownPrefix, an_empty_track_keeps_nothing) {
  ShownPrefix prefix;
  EXPECT_EQ(prefix.count(1), 0u);
}

}  // namespace
}  // namespace aw::recovery
