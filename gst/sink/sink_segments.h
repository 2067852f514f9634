// assetwritersink's segment mode (segment-interval > 0): the properties and signals, the writer made with
// AssetWriter::create_for_segments whose delegate is the library's aw::HlsPackager, and the bridge from the
// packager's callbacks to element messages, signals and errors.
#pragma once

#include <gst/gst.h>

#include <memory>
#include <optional>
#include <utility>

#include "aw/asset_writer.h"
#include "sink/assetwritersink.h"
#include "sink/settings.h"

namespace gstaw {

struct State;

// Property ids of segment mode; the element's own ids stay below this.
constexpr guint kFirstSegmentProperty = 100;

void install_segment_properties(GObjectClass* gobject_class, GParamFlags flags);
// False when `id` is not a segment property. Call under the object lock.
bool set_segment_property(SegmentSettings& settings, guint id, const GValue* value);
bool get_segment_property(const SegmentSettings& settings, guint id, GValue* value);
void install_segment_signals(GObjectClass* gobject_class);

inline bool segment_mode(const Settings& settings) { return settings.segments.interval != 0; }

// Why the segment settings cannot be used together (a message naming the properties), else empty.
std::string segment_conflict(const Settings& settings);

// The running time and the wall clock (microseconds since the epoch) now, read together: the mapping
// EXT-X-PROGRAM-DATE-TIME uses when the pipeline clock is not the system's realtime clock. None without a
// clock.
std::optional<std::pair<GstClockTime, gint64>> running_time_and_wall_clock(GstAssetWriterSink* self);

// The writer for segment mode, with its HlsPackager stored in `state` and the segment settings applied.
// Call from start() with the element's state lock held.
aw::Result<std::unique_ptr<aw::AssetWriter>> create_segment_writer(GstAssetWriterSink* self, State& state);

}  // namespace gstaw
