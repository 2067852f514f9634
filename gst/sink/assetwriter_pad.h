// GstAssetWriterPad: a request sink pad and what the element knows about its track before and while it is
// an aw::AssetWriterInput.
#pragma once

#include <gst/base/gstaggregator.h>

#include <memory>
#include <optional>
#include <string>

#include "aw/asset_writer_input.h"
#include "convert/caps_to_format.h"

G_BEGIN_DECLS
#define GST_TYPE_ASSET_WRITER_PAD (gst_asset_writer_pad_get_type())
G_DECLARE_FINAL_TYPE(GstAssetWriterPad, gst_asset_writer_pad, GST, ASSET_WRITER_PAD, GstAggregatorPad)
G_END_DECLS

namespace gstaw {

// Per-pad state, guarded by the element's state mutex (events, aggregate and pad release run on
// different threads).
struct PadState {
  std::optional<CapsFormat> format;  // from the last accepted CAPS event
  std::string language = "und";      // ISO 639-2/T
  int rotation = 0;                  // clockwise degrees
  GstTagList* tags = nullptr;        // stream-scope tags (track metadata), owned
  std::shared_ptr<aw::AssetWriterInput> input;  // set once writing started
  std::optional<int64_t> last_dts;   // running time of the last appended sample
  bool finished = false;             // mark_as_finished() called
  bool late_tags = false;            // track tags arrived after the input was configured
  // Audio encoder delay from GstAudioClippingMeta. The library counts priming inside the media (a sample's
  // time is where its decoded audio would start if nothing were clipped, shifted by the priming), so every
  // buffer after a clipped one is written this much later than its running time; the edit list takes it
  // back. priming_samples is what the input was created with.
  int64_t clipped_ns = 0;
  uint64_t clipped_samples = 0;
  uint64_t priming_samples = 0;
  // Live: the pad had no data when the latency deadline let writing start without it, so it has no track
  // (tracks cannot be added once writing started); what it gets later is dropped, and EOS does not wait for it.
  bool left_out = false;
  bool warned_dropping = false;      // the warning about dropping a left-out pad's data was posted
  bool warned_empty = false;         // the warning about dropping an empty buffer was posted

  PadState() = default;
  PadState(const PadState&) = delete;
  PadState& operator=(const PadState&) = delete;
  ~PadState();
  // Forgets the track: back to a freshly requested pad.
  void reset();
};

PadState& pad_state(GstAssetWriterPad* pad);

// The pad's properties, read under its object lock. Pads with the same group (>= 0) become one
// aw::AssetWriterInputGroup: alternatives sharing an alternate_group, only the default one enabled.
struct PadGroupSettings {
  int group = -1;  // -1: in no group
  bool is_default = false;
};
PadGroupSettings pad_group_settings(GstAssetWriterPad* pad);

}  // namespace gstaw
