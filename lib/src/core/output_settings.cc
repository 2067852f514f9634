// Output settings validation: the codec's media type, the file type's codecs and sane ranges. The limits
// are what the formats allow (AAC sample rates, ISO/IEC 14496-3 Table 1.18) or far beyond any real use,
// so they only catch mistakes such as a bitrate given in the wrong unit.
#include "aw/output_settings.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "aw/format_description.h"

namespace aw {
namespace {

Status invalid(std::string message) { return Status(ErrorCode::kInvalidArgument, std::move(message)); }

Status check_range(const char* name, const std::optional<uint32_t>& value, uint32_t min, uint32_t max,
                   const std::string& what, const char* unit = "") {
  if (!value || (*value >= min && *value <= max)) return Status::ok();
  return invalid(std::string(name) + " " + std::to_string(*value) + unit + " is outside " + std::to_string(min) + ".." +
                 std::to_string(max) + unit + " for " + what);
}

constexpr std::array<std::string_view, 10> kH264Profiles{
    "constrained-baseline", "baseline",         "main",    "extended",   "high",
    "progressive-high",     "constrained-high", "high-10", "high-4:2:2", "high-4:4:4"};
constexpr std::array<std::string_view, 8> kHevcProfiles{"main",        "main-10",  "main-still-picture", "main-12",
                                                        "main-422-10", "main-444", "main-444-10",        "main-422-12"};
constexpr std::array<std::string_view, 5> kAacProfiles{"lc", "he-aac-v1", "he-aac-v2", "main", "ltp"};

template <size_t N>
Status check_profile(const std::string& profile, const std::array<std::string_view, N>& known, Codec codec) {
  if (std::find(known.begin(), known.end(), profile) != known.end()) return Status::ok();
  std::string list;
  for (std::string_view name : known) list += (list.empty() ? "" : ", ") + std::string(name);
  return invalid("profile \"" + profile + "\" is not a " + to_string(codec) + " profile (" + list + ")");
}

}  // namespace

Status check_output_settings(const OutputSettings& s, MediaType media_type, FileType file_type) {
  if (media_type_of(s.codec) != media_type) {
    return invalid(std::string("codec ") + to_string(s.codec) + " is not a " + to_string(media_type) + " codec");
  }
  AW_RETURN_IF_ERROR(check_codec_allowed(file_type, s.codec));
  const std::string what = std::string(to_string(s.codec)) + " " + to_string(media_type);
  if (s.bitrate && s.quality) return invalid("bitrate and quality exclude each other (" + what + ")");
  if (s.quality && !(*s.quality >= 0.0 && *s.quality <= 1.0)) {
    return invalid("quality " + std::to_string(*s.quality) + " is outside 0..1 for " + what);
  }
  if (media_type == MediaType::kVideo) {
    if (s.sample_rate || s.channels) return invalid("sample rate and channels are audio settings, not " + what);
    AW_RETURN_IF_ERROR(check_range("bitrate", s.bitrate, 16'000, 800'000'000, what, " bit/s"));
    // 4:2:0 pictures have whole chroma samples only for even sizes; both codecs cap at 16384 (level 6.2).
    AW_RETURN_IF_ERROR(check_range("width", s.width, 16, 16384, what));
    AW_RETURN_IF_ERROR(check_range("height", s.height, 16, 16384, what));
    for (const auto& [name, value] : {std::pair{"width", s.width}, std::pair{"height", s.height}}) {
      if (value && *value % 2 != 0) return invalid(std::string(name) + " " + std::to_string(*value) + " is odd");
    }
    AW_RETURN_IF_ERROR(check_range("key frame interval", s.key_frame_interval, 1, 100'000, what, " frames"));
    if (s.profile && s.codec == Codec::kH264) return check_profile(*s.profile, kH264Profiles, s.codec);
    if (s.profile && s.codec == Codec::kHevc) return check_profile(*s.profile, kHevcProfiles, s.codec);
    return Status::ok();
  }
  if (s.width || s.height || s.key_frame_interval) {
    return invalid("width, height and key frame interval are video settings, not " + what);
  }
  AW_RETURN_IF_ERROR(check_range("bitrate", s.bitrate, 8'000, 2'000'000, what, " bit/s"));
  AW_RETURN_IF_ERROR(check_range("sample rate", s.sample_rate, 7'350, 96'000, what, " Hz"));
  AW_RETURN_IF_ERROR(check_range("channels", s.channels, 1, 8, what));
  if (s.profile && s.codec == Codec::kAac) return check_profile(*s.profile, kAacProfiles, s.codec);
  return Status::ok();
}

}  // namespace aw
