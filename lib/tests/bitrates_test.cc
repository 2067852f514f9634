#include "tables/bitrates.h"

#include <gtest/gtest.h>

namespace aw {
namespace {

TEST(Bitrates, average_over_the_track_and_peak_over_one_second_windows) {
  SampleTable t;
  // 2 s at 10 samples per second (timescale 1000): 100-byte samples, except a burst of 1000-byte
  // samples in the second half of the first second.
  for (int i = 0; i < 20; ++i) t.add_sample(i * 100, i * 100, (i >= 5 && i < 10) ? 1000 : 100, true);
  t.finish(100);
  Bitrates r = compute_bitrates(t, 1000);
  EXPECT_EQ(r.buffer_size, 1000u);
  EXPECT_EQ(r.avg_bitrate, (15 * 100 + 5 * 1000) * 8 / 2u);
  // The busiest second holds the 5 large samples and 5 small ones.
  EXPECT_EQ(r.max_bitrate, (5 * 1000 + 5 * 100) * 8u);
}

TEST(Bitrates, empty_track_has_zero_rates_and_short_track_peaks_at_its_average) {
  EXPECT_EQ(compute_bitrates(SampleTable{}, 1000).avg_bitrate, 0u);
  SampleTable t;
  t.add_sample(0, 0, 500, true);
  t.finish(500);  // half a second
  Bitrates r = compute_bitrates(t, 1000);
  EXPECT_EQ(r.avg_bitrate, 8000u);
  EXPECT_EQ(r.max_bitrate, 8000u);
}

}  // namespace
}  // namespace aw
