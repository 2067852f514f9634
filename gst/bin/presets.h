// Settings presets, like AVOutputSettingsAssistant's: a name ("h264-1280x720", "hevc-1920x1080",
// "aac-stereo-48k") stands for a complete aw::OutputSettings.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "aw/output_settings.h"
#include "aw/status.h"

namespace gstaw {

struct Preset {
  const char* name;
  aw::OutputSettings settings;
};

// Every preset, video first.
std::span<const Preset> presets();
// "h264-640x480, h264-960x540, ..." for messages and property descriptions.
std::string preset_names();
// The named preset's settings, or an error listing the known names.
aw::Result<aw::OutputSettings> preset_settings(std::string_view name);

// The element's `preset` property: one or more preset names separated by ',', '+' or spaces, at most one
// per media type ("h264-1280x720,aac-stereo-48k").
struct PresetChoice {
  std::optional<aw::OutputSettings> video;
  std::optional<aw::OutputSettings> audio;
};
aw::Result<PresetChoice> parse_preset_list(std::string_view text);

}  // namespace gstaw
