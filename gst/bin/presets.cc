// The presets follow AVOutputSettingsAssistant's sizes; bitrates are typical streaming rates for each size
// (H.265 about 60% of H.264 for the same quality), AAC at 64 kbit/s per channel.
#include "bin/presets.h"

#include <array>

namespace gstaw {
namespace {

aw::OutputSettings video(aw::Codec codec, uint32_t width, uint32_t height, uint32_t bitrate) {
  aw::OutputSettings s;
  s.codec = codec;
  s.width = width;
  s.height = height;
  s.bitrate = bitrate;
  s.key_frame_interval = 60;  // two seconds at 30 fps: a seek lands at most that far from a key frame
  return s;
}

aw::OutputSettings aac(uint32_t channels, uint32_t rate) {
  aw::OutputSettings s;
  s.codec = aw::Codec::kAac;
  s.channels = channels;
  s.sample_rate = rate;
  s.bitrate = 64'000 * channels;
  return s;
}

const std::array<Preset, 14> kPresets{{
    {"h264-640x480", video(aw::Codec::kH264, 640, 480, 1'500'000)},
    {"h264-960x540", video(aw::Codec::kH264, 960, 540, 2'500'000)},
    {"h264-1280x720", video(aw::Codec::kH264, 1280, 720, 5'000'000)},
    {"h264-1920x1080", video(aw::Codec::kH264, 1920, 1080, 10'000'000)},
    {"h264-3840x2160", video(aw::Codec::kH264, 3840, 2160, 40'000'000)},
    {"hevc-640x480", video(aw::Codec::kHevc, 640, 480, 900'000)},
    {"hevc-1280x720", video(aw::Codec::kHevc, 1280, 720, 3'000'000)},
    {"hevc-1920x1080", video(aw::Codec::kHevc, 1920, 1080, 6'000'000)},
    {"hevc-3840x2160", video(aw::Codec::kHevc, 3840, 2160, 24'000'000)},
    {"aac-mono-44k", aac(1, 44'100)},
    {"aac-stereo-44k", aac(2, 44'100)},
    {"aac-mono-48k", aac(1, 48'000)},
    {"aac-stereo-48k", aac(2, 48'000)},
    {"aac-5.1-48k", aac(6, 48'000)},
}};

}  // namespace

std::span<const Preset> presets() { return kPresets; }

std::string preset_names() {
  std::string names;
  for (const Preset& p : kPresets) names += (names.empty() ? "" : ", ") + std::string(p.name);
  return names;
}

aw::Result<aw::OutputSettings> preset_settings(std::string_view name) {
  for (const Preset& p : kPresets) {
    if (name == p.name) return p.settings;
  }
  return aw::Status(aw::ErrorCode::kInvalidArgument,
                    "unknown preset \"" + std::string(name) + "\" (known: " + preset_names() + ")");
}

aw::Result<PresetChoice> parse_preset_list(std::string_view text) {
  PresetChoice choice;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = std::min(text.find_first_of(",+ ", pos), text.size());
    const std::string_view name = text.substr(pos, end - pos);
    pos = end + 1;
    if (name.empty()) continue;
    AW_ASSIGN_OR_RETURN(aw::OutputSettings settings, preset_settings(name));
    auto& slot = aw::media_type_of(settings.codec) == aw::MediaType::kVideo ? choice.video : choice.audio;
    if (slot) {
      return aw::Status(aw::ErrorCode::kInvalidArgument, "preset \"" + std::string(name) + "\" is a second " +
                                                             aw::to_string(aw::media_type_of(settings.codec)) +
                                                             " preset; give at most one per media type");
    }
    slot = std::move(settings);
  }
  return choice;
}

}  // namespace gstaw
