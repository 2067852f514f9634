// Picks an encoder from the registry for aw::OutputSettings: every element factory of klass Encoder whose
// source template can produce the codec (and profile) and whose sink template takes the raw caps, highest
// rank first, and the first whose properties can express every setting (bitrate in the encoder's unit and
// range, key-frame interval, quality). Encoders of rank NONE (e.g. avenc_aac) are the last resort.
#pragma once

#include <gst/gst.h>

#include <string>
#include <utility>
#include <vector>

#include "aw/output_settings.h"
#include "aw/status.h"

namespace gstaw {

enum class EncoderSpeed {
  kDefault,   // the encoder's own defaults
  kFastest,   // its fastest preset (x264enc/x265enc speed-preset=ultrafast)
  kRealTime,  // fastest, and no frame reordering or lookahead (tune=zerolatency): for live sources
};

struct EncoderChoice {
  std::string factory;  // e.g. "x264enc"
  // Properties to set, as gst_util_set_object_arg() strings, in order.
  std::vector<std::pair<std::string, std::string>> properties;
  std::string raw_format;  // the raw video format to convert to ("" for audio or when any will do)
};

// The encoder for `settings`, or an error saying which setting no installed encoder can meet (naming the
// candidates and why each was passed over), or that no encoder for the codec is installed.
aw::Result<EncoderChoice> choose_encoder(const aw::OutputSettings& settings, EncoderSpeed speed);

// Creates the chosen encoder with its properties set; nullptr if the factory vanished.
GstElement* make_encoder(const EncoderChoice& choice);

}  // namespace gstaw
