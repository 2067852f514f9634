// aw::Time mirrors CMTime: a rational time value/timescale with invalid and infinite states.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace aw {

class Time {
 public:
  // An invalid time (CMTime's kCMTimeInvalid).
  constexpr Time() = default;
  constexpr Time(int64_t value, int32_t timescale)
      : value_(value), timescale_(timescale), kind_(timescale > 0 ? Kind::kValid : Kind::kInvalid) {}

  static constexpr Time invalid() { return Time(); }
  static constexpr Time positive_infinity() {
    Time t;
    t.kind_ = Kind::kPositiveInfinity;
    return t;
  }
  static constexpr Time zero() { return Time(0, 1); }
  static Time from_seconds(double seconds, int32_t timescale);

  constexpr bool is_valid() const { return kind_ != Kind::kInvalid; }
  constexpr bool is_numeric() const { return kind_ == Kind::kValid; }
  constexpr bool is_positive_infinity() const { return kind_ == Kind::kPositiveInfinity; }
  constexpr int64_t value() const { return value_; }
  constexpr int32_t timescale() const { return timescale_; }
  double seconds() const;

  // The same instant in another timescale, rounded to nearest (ties away from zero).
  // nullopt when the time is not numeric or the result does not fit in int64.
  std::optional<int64_t> rescaled(int32_t timescale) const;
  // Like rescaled() but rounding toward negative infinity.
  std::optional<int64_t> rescaled_floor(int32_t timescale) const;
  Time converted(int32_t timescale) const;

  // Exact arithmetic in the finer (lcm-free: product-free when equal) timescale; invalid on overflow.
  Time operator+(const Time& other) const;
  Time operator-(const Time& other) const;

  // Exact comparison of the rationals. Invalid sorts before everything, infinity after.
  std::strong_ordering operator<=>(const Time& other) const;
  bool operator==(const Time& other) const { return (*this <=> other) == std::strong_ordering::equal; }

  std::string to_string() const;

 private:
  enum class Kind : uint8_t { kInvalid, kValid, kPositiveInfinity };
  int64_t value_ = 0;
  int32_t timescale_ = 0;
  Kind kind_ = Kind::kInvalid;
};

}  // namespace aw
