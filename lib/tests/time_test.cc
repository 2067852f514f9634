#include "aw/time.h"

#include <gtest/gtest.h>

#include <limits>

namespace aw {
namespace {

TEST(Time, default_is_invalid_and_sorts_first) {
  EXPECT_FALSE(Time().is_valid());
  EXPECT_LT(Time(), Time(-1000, 1));
  EXPECT_LT(Time(1000000, 1), Time::positive_infinity());
  EXPECT_EQ(Time(0, 0), Time::invalid());  // a zero timescale is not a time
}

TEST(Time, compares_exact_rationals_across_timescales) {
  EXPECT_EQ(Time(1, 3), Time(30000, 90000));
  EXPECT_LT(Time(1001, 30000), Time(3004, 90000));
  EXPECT_GT(Time(1001, 30000), Time(3002, 90000));
  // Values near the int64 limit still compare exactly (no overflow in the cross product).
  int64_t big = std::numeric_limits<int64_t>::max() - 1;
  EXPECT_LT(Time(big, 1000000000), Time(big, 999999999));
}

TEST(Time, rescale_rounds_to_nearest_and_half_away_from_zero) {
  EXPECT_EQ(Time(1, 3).rescaled(1000), 333);
  EXPECT_EQ(Time(2, 3).rescaled(1000), 667);
  EXPECT_EQ(Time(1, 2).rescaled(1), 1);
  EXPECT_EQ(Time(-1, 2).rescaled(1), -1);
  EXPECT_EQ(Time(-1, 3).rescaled(1000), -333);
  EXPECT_EQ(Time(-1, 3).rescaled_floor(1000), -334);
}

TEST(Time, rescale_of_nanoseconds_does_not_overflow_for_centuries) {
  // 250 years in nanoseconds to a 90 kHz timescale.
  int64_t ns = int64_t{250} * 365 * 24 * 3600 * 1000000000;
  EXPECT_EQ(Time(ns, 1000000000).rescaled(90000), ns / 1000000000 * 90000);
  EXPECT_EQ(Time(std::numeric_limits<int64_t>::max(), 1).rescaled(90000), std::nullopt);
}

TEST(Time, add_and_subtract_in_a_common_timescale) {
  EXPECT_EQ(Time(1, 30) + Time(1, 90), Time(4, 90));
  EXPECT_EQ((Time(1, 30) + Time(1, 90)).timescale(), 90);
  EXPECT_EQ(Time(1, 2) - Time(1, 3), Time(1, 6).converted(3));  // incommensurable: larger scale, rounded
  EXPECT_FALSE((Time(1, 2) + Time()).is_valid());
  EXPECT_TRUE((Time(1, 2) + Time::positive_infinity()).is_positive_infinity());
  EXPECT_FALSE((Time(std::numeric_limits<int64_t>::max(), 1) + Time(1, 1)).is_valid());
}

TEST(Time, seconds_and_from_seconds_round_trip) {
  EXPECT_DOUBLE_EQ(Time(3, 2).seconds(), 1.5);
  EXPECT_EQ(Time::from_seconds(1.5, 1000), Time(1500, 1000));
  EXPECT_EQ(Time(1, 3).to_string(), "1/3");
}

}  // namespace
}  // namespace aw
