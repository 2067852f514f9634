// assetwritersink's file rotation (splitmuxsink's job): with max-file-duration, max-file-size or a location
// pattern, the element writes a sequence of complete movies through aw::RotatingWriter. Here: the properties,
// the split-now / split-at-running-time action signals and the format-location signal, the file-opened /
// file-closed / file-deleted bus messages, and the keyframe requests ahead of each planned cut.
#pragma once

#include <gst/gst.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aw/asset_writer.h"
#include "aw/sample.h"
#include "sink/assetwritersink.h"
#include "sink/settings.h"

namespace gstaw {

struct State;

// Property ids of rotation; the element's own and the segment ids stay below this.
constexpr guint kFirstRotationProperty = 200;

void install_rotation_properties(GObjectClass* gobject_class, GParamFlags flags);
// False when `id` is not a rotation property. Call under the object lock.
bool set_rotation_property(Settings& settings, guint id, const GValue* value);
bool get_rotation_property(const Settings& settings, guint id, GValue* value);
void install_rotation_signals(GObjectClass* gobject_class);

// Rotation is on when a limit is set or `location` holds an integer conversion (video%05d.mp4), so split-now
// alone can cut files.
bool rotation_mode(const Settings& settings);
// Why the settings cannot rotate (segment mode, or a location that is not a pattern), naming the properties;
// empty when they can.
std::string rotation_conflict(const Settings& settings);

// Split requests from the action signals, kept apart from the element's state lock: a bus sync handler of a
// file-opened message (posted with that lock held) may ask for a split.
struct SplitRequests {
  std::mutex lock;
  bool now = false;
  std::vector<GstClockTime> at;  // running times
};

// Turns the configured state.writer into the rotation's prototype (state.writer is then null) and starts
// writing; no file exists before the first buffer. Call from begin_writing() with the element's state lock held.
aw::Status start_rotation(GstAssetWriterSink* self, State& state);
// Appends the buffer `buffer` of `pad` (for format-location's sample) as `sample` to the rotation.
aw::Status append_to_rotation(GstAssetWriterSink* self, GstPad* pad, GstBuffer* buffer,
                              const aw::AssetWriterInput& input, aw::Sample sample);
// Marks `input` finished in the rotation, or in the element's single writer.
aw::Status finish_input(State& state, aw::AssetWriterInput& input);
// After a video sample: asks upstream for a keyframe at the next planned cut, once per cut, when
// send-keyframe-requests is on (the request goes into state.key_unit_requests).
void plan_rotation_key_units(State& state);

}  // namespace gstaw
