#include "sink/sink_rotation.h"

#include "aw/rotating_writer.h"
#include "convert/buffer_to_sample.h"
#include "sink/sink_private.h"
#include "sink/sink_rotation_messages.h"
#include "sink/sink_segments.h"

namespace gstaw {
namespace {

enum RotationProperty : guint {
  kPropMaxFileDuration = kFirstRotationProperty,
  kPropMaxFileSize,
};

enum RotationSignal { kSignalFormatLocation, kSignalSplitNow, kSignalSplitAtRunningTime, kRotationSignalCount };
guint signals[kRotationSignalCount];

bool has_limits(const Settings& settings) { return settings.max_file_duration != 0 || settings.max_file_size != 0; }

void split_now_action(GstAssetWriterSink* self) {
  SplitRequests& splits = impl(self).splits;
  std::lock_guard<std::mutex> guard(splits.lock);
  splits.now = true;
}

void split_at_action(GstAssetWriterSink* self, guint64 running_time) {
  SplitRequests& splits = impl(self).splits;
  std::lock_guard<std::mutex> guard(splits.lock);
  splits.at.push_back(running_time);
}

// Hands the split requests made since the last append to the rotating writer.
void apply_split_requests(GstAssetWriterSink* self, aw::RotatingWriter& rotation) {
  SplitRequests& splits = impl(self).splits;
  std::lock_guard<std::mutex> guard(splits.lock);
  if (splits.now) (void)rotation.split_now();
  for (GstClockTime at : splits.at) {
    (void)rotation.split_at(to_aw_time(static_cast<int64_t>(std::min<GstClockTime>(at, G_MAXINT64))));
  }
  splits.now = false;
  splits.at.clear();
}

// format-location(fragment-id, first sample): the buffer whose append opens the file (the keyframe of a cut) with
// its pad's caps and segment, as splitmuxsink's format-location-full gives it. Empty: the location pattern.
std::string format_location(GstAssetWriterSink* self, uint64_t index) {
  State& state = impl(self).state;
  GstSample* sample = nullptr;
  if (state.rotation_buffer && state.rotation_pad) {
    GstCaps* caps = gst_pad_get_current_caps(state.rotation_pad);
    GstSegment segment;
    GST_OBJECT_LOCK(state.rotation_pad);
    gst_segment_copy_into(&GST_AGGREGATOR_PAD(state.rotation_pad)->segment, &segment);
    GST_OBJECT_UNLOCK(state.rotation_pad);
    sample = gst_sample_new(state.rotation_buffer, caps, &segment, nullptr);
    if (caps) gst_caps_unref(caps);
  }
  gchar* location = nullptr;
  g_signal_emit(self, signals[kSignalFormatLocation], 0, static_cast<guint>(index), sample, &location);
  if (sample) gst_sample_unref(sample);
  std::string out = location ? location : "";
  g_free(location);
  return out;
}

aw::RotationSettings rotation_settings(GstAssetWriterSink* self, const Settings& settings) {
  aw::RotationSettings rotation;
  rotation.location_pattern = settings.location;
  rotation.location_for = [self](uint64_t index, aw::Time) -> aw::Result<std::string> {
    return format_location(self, index);
  };
  if (settings.max_file_duration != 0 && settings.max_file_duration <= G_MAXINT64) {
    rotation.max_file_duration = to_aw_time(static_cast<int64_t>(settings.max_file_duration));
  }
  rotation.max_file_size = settings.max_file_size;
  rotation.max_files = settings.segments.max_files;
  return rotation;
}

}  // namespace

void install_rotation_properties(GObjectClass* gobject_class, GParamFlags flags) {
  g_object_class_install_property(
      gobject_class, kPropMaxFileDuration,
      g_param_spec_uint64("max-file-duration", "Max file duration",
                          "File rotation: start a new file (location is then a pattern such as video%05d.mp4) at "
                          "the first keyframe at or after this much running time in the current one "
                          "(nanoseconds); splitmuxsink's max-size-time. 0: no limit",
                          0, G_MAXUINT64, 0, flags));
  g_object_class_install_property(
      gobject_class, kPropMaxFileSize,
      g_param_spec_uint64("max-file-size", "Max file size",
                          "File rotation: start a new file at the first keyframe once the current one is "
                          "estimated at this many bytes (it grows by what comes before that keyframe); "
                          "splitmuxsink's max-size-bytes. 0: no limit",
                          0, G_MAXUINT64, 0, flags));
}

bool set_rotation_property(Settings& settings, guint id, const GValue* value) {
  switch (id) {
    case kPropMaxFileDuration: settings.max_file_duration = g_value_get_uint64(value); return true;
    case kPropMaxFileSize: settings.max_file_size = g_value_get_uint64(value); return true;
    default: return false;
  }
}

bool get_rotation_property(const Settings& settings, guint id, GValue* value) {
  switch (id) {
    case kPropMaxFileDuration: g_value_set_uint64(value, settings.max_file_duration); return true;
    case kPropMaxFileSize: g_value_set_uint64(value, settings.max_file_size); return true;
    default: return false;
  }
}

void install_rotation_signals(GObjectClass* gobject_class) {
  const GType type = G_TYPE_FROM_CLASS(gobject_class);
  // format-location(fragment-id, first sample) → location: the file for the next index (splitmuxsink's
  // format-location-full); NULL or no handler: location formatted with the index. Emitted from the streaming
  // thread.
  signals[kSignalFormatLocation] =
      g_signal_new("format-location", type, G_SIGNAL_RUN_LAST, 0, g_signal_accumulator_first_wins, nullptr, nullptr,
                   G_TYPE_STRING, 2, G_TYPE_UINT, GST_TYPE_SAMPLE);
  // split-now(): ends the current file at the next keyframe.
  signals[kSignalSplitNow] =
      g_signal_new_class_handler("split-now", type, static_cast<GSignalFlags>(G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION),
                                 G_CALLBACK(split_now_action), nullptr, nullptr, nullptr, G_TYPE_NONE, 0);
  // split-at-running-time(running time ns): ends the current file at the first keyframe at or after it.
  signals[kSignalSplitAtRunningTime] = g_signal_new_class_handler(
      "split-at-running-time", type, static_cast<GSignalFlags>(G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION),
      G_CALLBACK(split_at_action), nullptr, nullptr, nullptr, G_TYPE_NONE, 1, G_TYPE_UINT64);
}

bool rotation_mode(const Settings& settings) {
  if (segment_mode(settings)) return false;
  return has_limits(settings) || aw::RotatingWriter::check_location_pattern(settings.location).is_ok();
}

std::string rotation_conflict(const Settings& settings) {
  if (!has_limits(settings)) return {};
  if (segment_mode(settings)) {
    return "max-file-duration and max-file-size rotate movie files; they cannot be combined with segment-interval "
           "(segment mode already writes a file per segment; max-files keeps the newest)";
  }
  if (aw::Status status = aw::RotatingWriter::check_location_pattern(settings.location); !status) {
    return "max-file-duration / max-file-size need location to be a pattern: " + status.message();
  }
  return {};
}

aw::Status start_rotation(GstAssetWriterSink* self, State& state) {
  std::vector<std::string> names;
  for (const auto& input : state.writer->inputs()) names.push_back(input->name);
  AW_ASSIGN_OR_RETURN(state.rotation,
                      aw::RotatingWriter::create(rotation_settings(self, state.settings), std::move(state.writer)));
  state.rotation_messages = make_rotation_messages(self, std::move(names));
  AW_RETURN_IF_ERROR(state.rotation->set_delegate(state.rotation_messages.get()));
  return state.rotation->start_writing();
}

aw::Status append_to_rotation(GstAssetWriterSink* self, GstPad* pad, GstBuffer* buffer,
                              const aw::AssetWriterInput& input, aw::Sample sample) {
  State& state = impl(self).state;
  apply_split_requests(self, *state.rotation);
  // Referenced while format-location may be emitted: the sample's own reference can be dropped once written.
  state.rotation_buffer = gst_buffer_ref(buffer);
  state.rotation_pad = pad;
  aw::Status status = state.rotation->append(input, std::move(sample));
  gst_buffer_unref(state.rotation_buffer);
  state.rotation_buffer = nullptr;
  state.rotation_pad = nullptr;
  return status;
}

aw::Status finish_input(State& state, aw::AssetWriterInput& input) {
  return state.rotation ? state.rotation->mark_as_finished(input) : input.mark_as_finished();
}

void plan_rotation_key_units(State& state) {
  if (!state.rotation || !state.settings.segments.send_keyframe_requests) return;
  const aw::Time planned = state.rotation->next_planned_cut();
  if (!planned.is_numeric()) return;
  const auto at = static_cast<int64_t>(to_clock_time(planned));
  if (state.rotation_requested_cut == at) return;
  // Asked for once per planned cut, as soon as it is known: the encoder keeps a future request until a frame
  // reaches its running time.
  state.rotation_requested_cut = at;
  state.key_unit_requests.push_back({at, ++state.rotation_key_unit_count});
}

}  // namespace gstaw
