#include "aw/time.h"

#include <cmath>
#include <limits>

namespace aw {
namespace {

// 128-bit intermediates make rescaling exact for any int64 value (GCC and Clang extension).
__extension__ using i128 = __int128;

bool fits_i64(i128 v) {
  return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
}

// num / from, rounded half away from zero, or toward negative infinity with `floor`.
template <typename Int>
Int divide(Int num, int32_t from, bool floor) {
  Int q = num / from;
  Int r = num % from;
  if (floor) {
    if (r < 0) q -= 1;
  } else if (r != 0) {
    // Compare 2|r| with the divisor.
    Int twice = (r < 0 ? -r : r) * 2;
    if (twice >= from) q += (num < 0 ? -1 : 1);
  }
  return q;
}

// value * to / from, exact for any int64 value and int32 timescales: in 64 bits when the product fits
// (media times always do), so a per-sample rescale costs no 128-bit division; else in 128 bits.
std::optional<int64_t> rescale(int64_t value, int32_t from, int32_t to, bool floor) {
  int64_t num64 = 0;
  if (!__builtin_mul_overflow(value, static_cast<int64_t>(to), &num64)) return divide(num64, from, floor);
  i128 q = divide(static_cast<i128>(value) * to, from, floor);
  if (!fits_i64(q)) return std::nullopt;
  return static_cast<int64_t>(q);
}

}  // namespace

Time Time::from_seconds(double seconds, int32_t timescale) {
  if (timescale <= 0 || !std::isfinite(seconds)) return invalid();
  double v = std::round(seconds * timescale);
  if (std::fabs(v) > 9.2e18) return invalid();
  return Time(static_cast<int64_t>(v), timescale);
}

double Time::seconds() const {
  if (is_positive_infinity()) return std::numeric_limits<double>::infinity();
  if (!is_numeric()) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(value_) / timescale_;
}

std::optional<int64_t> Time::rescaled(int32_t timescale) const {
  if (!is_numeric() || timescale <= 0) return std::nullopt;
  if (timescale == timescale_) return value_;
  return rescale(value_, timescale_, timescale, false);
}

std::optional<int64_t> Time::rescaled_floor(int32_t timescale) const {
  if (!is_numeric() || timescale <= 0) return std::nullopt;
  if (timescale == timescale_) return value_;
  return rescale(value_, timescale_, timescale, true);
}

Time Time::converted(int32_t timescale) const {
  if (is_positive_infinity()) return *this;
  auto v = rescaled(timescale);
  return v ? Time(*v, timescale) : invalid();
}

namespace {

// a + b or a - b exactly: in the common timescale when one divides the other, else in the larger
// timescale (rounded), which is what CMTimeAdd does for incommensurable scales.
Time combine(const Time& a, const Time& b, int sign) {
  if (!a.is_valid() || !b.is_valid()) return Time::invalid();
  if (a.is_positive_infinity() || b.is_positive_infinity()) {
    if (sign < 0 && b.is_positive_infinity()) return Time::invalid();
    return Time::positive_infinity();
  }
  int32_t ts = a.timescale();
  if (b.timescale() != ts) {
    if (b.timescale() % ts == 0) {
      ts = b.timescale();
    } else if (ts % b.timescale() != 0) {
      ts = std::max(ts, b.timescale());
    }
  }
  auto av = a.rescaled(ts);
  auto bv = b.rescaled(ts);
  if (!av || !bv) return Time::invalid();
  i128 sum = static_cast<i128>(*av) + sign * static_cast<i128>(*bv);
  if (!fits_i64(sum)) return Time::invalid();
  return Time(static_cast<int64_t>(sum), ts);
}

}  // namespace

Time Time::operator+(const Time& other) const { return combine(*this, other, 1); }
Time Time::operator-(const Time& other) const { return combine(*this, other, -1); }

std::strong_ordering Time::operator<=>(const Time& other) const {
  if (kind_ != other.kind_) {
    auto rank = [](Kind k) { return k == Kind::kInvalid ? 0 : k == Kind::kValid ? 1 : 2; };
    return rank(kind_) <=> rank(other.kind_);
  }
  if (kind_ != Kind::kValid) return std::strong_ordering::equal;
  // a/s < b/t  <=>  a*t < b*s (timescales are positive).
  i128 lhs = static_cast<i128>(value_) * other.timescale_;
  i128 rhs = static_cast<i128>(other.value_) * timescale_;
  return lhs < rhs ? std::strong_ordering::less : lhs > rhs ? std::strong_ordering::greater : std::strong_ordering::equal;
}

std::string Time::to_string() const {
  if (is_positive_infinity()) return "+inf";
  if (!is_valid()) return "invalid";
  return std::to_string(value_) + "/" + std::to_string(timescale_);
}

}  // namespace aw
