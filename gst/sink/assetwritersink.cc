// assetwritersink's GObject plumbing: properties, pad templates and requests, start/stop and reset().
#include "sink/assetwritersink.h"

#include <gst/gst.h>

#include <cstring>
#include <string>
#include <utility>

#include "convert/buffer_to_sample.h"
#include "convert/codec_caps.h"
#include "sink/sink_private.h"
#include "sink/sink_progress.h"
#include "sink/sink_rotation.h"
#include "sink/sink_segments.h"
#include "sink/sink_storage.h"

GST_DEBUG_CATEGORY(gst_asset_writer_sink_debug);
#define GST_CAT_DEFAULT gst_asset_writer_sink_debug

namespace {

enum Property {
  kPropLocation = 1,
  kPropFileType,
  kPropOptimizeForNetworkUse,
  kPropMovieTimescale,
  kPropInterleaveInterval,
  kPropFragmentInterval,
  kPropInitialFragmentInterval,
  kPropInitialFragmentSequenceNumber,
  kPropOverallDurationHint,
  kPropCombinableFragments,
  kPropCrashRecoveryInterval,
  kPropSyncFragments,
  kPropSignedCompositionOffsets,
  kPropReservedMoovSize,
  kPropSessionStartTime,
  kPropSessionEndTime,
  kPropMetadata,
};

// GstAggregator needs a src pad; the file is the output, so nothing is ever pushed on it.
GstStaticPadTemplate src_template =
    GST_STATIC_PAD_TEMPLATE("src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS("video/quicktime"));

}  // namespace

static void child_proxy_init(gpointer g_iface, gpointer iface_data);
G_DEFINE_TYPE_WITH_CODE(GstAssetWriterSink, gst_asset_writer_sink, GST_TYPE_AGGREGATOR,
                        G_IMPLEMENT_INTERFACE(GST_TYPE_TAG_SETTER, nullptr)
                            G_IMPLEMENT_INTERFACE(GST_TYPE_CHILD_PROXY, child_proxy_init)
                            G_IMPLEMENT_INTERFACE(GST_TYPE_TOC_SETTER, nullptr))
GST_ELEMENT_REGISTER_DEFINE(assetwritersink, "assetwritersink", GST_RANK_NONE, GST_TYPE_ASSET_WRITER_SINK)

namespace gstaw {

Impl& impl(GstAssetWriterSink* self) { return *self->impl; }

GstAggregatorClass* parent_class() { return GST_AGGREGATOR_CLASS(gst_asset_writer_sink_parent_class); }

std::string pad_message(GstPad* pad, const std::string& message) {
  gchar* name = gst_pad_get_name(pad);
  std::string prefix = std::string(name) + ":";
  g_free(name);
  if (message.starts_with(prefix)) return message;
  return prefix + " " + message;
}

void post_status_error(GstAssetWriterSink* self, const std::string& where, const aw::Status& status) {
  std::string text = status.message();
  if (!text.starts_with(where + ":")) text = where + ": " + text;
  if (status.code() == aw::ErrorCode::kIo) {
    GST_ELEMENT_ERROR(self, RESOURCE, WRITE, ("%s", text.c_str()), ("%s", aw::to_string(status.code())));
  } else {
    GST_ELEMENT_ERROR(self, STREAM, FAILED, ("%s", text.c_str()), ("%s", aw::to_string(status.code())));
  }
  impl(self).state.failed = true;
}

void reset(GstAssetWriterSink* self) {
  std::lock_guard<std::mutex> guard(impl(self).lock);
  State& state = impl(self).state;
  if (state.file_tags) gst_tag_list_unref(state.file_tags);
  state = State{};
  GST_OBJECT_LOCK(self);
  for (GList* l = GST_ELEMENT(self)->sinkpads; l; l = l->next) pad_state(GST_ASSET_WRITER_PAD(l->data)).reset();
  GST_OBJECT_UNLOCK(self);
}

}  // namespace gstaw

namespace {

using gstaw::impl;

// A GstClockTime setting where 0 means "not set".
aw::Time optional_time(GstClockTime t) {
  return t == 0 || !GST_CLOCK_TIME_IS_VALID(t) ? aw::Time::invalid() : gstaw::to_aw_time(static_cast<int64_t>(t));
}

aw::Status apply_fragment_settings(aw::AssetWriter& writer, const gstaw::Settings& settings) {
  for (const aw::Status& status :
       {writer.set_movie_fragment_interval(optional_time(settings.fragment_interval)),
        writer.set_initial_movie_fragment_interval(optional_time(settings.initial_fragment_interval)),
        writer.set_initial_movie_fragment_sequence_number(settings.initial_fragment_sequence_number),
        writer.set_overall_duration_hint(optional_time(settings.overall_duration_hint)),
        writer.set_produces_combinable_fragments(settings.combinable_fragments),
        // Automatic crash safety is decided with the first buffers, once it is known whether upstream is live.
        GST_CLOCK_TIME_IS_VALID(settings.crash_recovery_interval)
            ? writer.set_crash_recovery_interval(optional_time(settings.crash_recovery_interval))
            : aw::Status::ok(),
        // Automatic syncing is decided with crash safety, in begin_writing().
        settings.sync_fragments != gstaw::SyncFragments::kAuto
            ? writer.set_sync_fragments_to_disk(settings.sync_fragments == gstaw::SyncFragments::kOn)
            : aw::Status::ok(),
        writer.set_uses_signed_composition_offsets(settings.signed_composition_offsets),
        writer.set_reserved_moov_size(settings.reserved_moov_size)}) {
    AW_RETURN_IF_ERROR(status);
  }
  return aw::Status::ok();
}

gboolean start(GstAggregator* agg) {
  auto* self = GST_ASSET_WRITER_SINK(agg);
  gstaw::reset(self);
  std::lock_guard<std::mutex> guard(impl(self).lock);
  gstaw::State& state = impl(self).state;
  GST_OBJECT_LOCK(self);
  state.settings = impl(self).settings;
  GST_OBJECT_UNLOCK(self);

  const gstaw::Settings& settings = state.settings;
  const bool segments = gstaw::segment_mode(settings);  // location is a pattern, with a default
  if (settings.location.empty() && !segments) {
    GST_ELEMENT_ERROR(self, RESOURCE, NOT_FOUND, ("No file name specified for writing."), (nullptr));
    return FALSE;
  }
  if (std::string conflict = gstaw::rotation_conflict(settings); !conflict.empty()) {
    GST_ELEMENT_ERROR(self, LIBRARY, SETTINGS, ("%s", conflict.c_str()), (nullptr));
    return FALSE;
  }
  if (std::string conflict = gstaw::segment_conflict(settings); !conflict.empty()) {
    GST_ELEMENT_ERROR(self, LIBRARY, SETTINGS, ("%s", conflict.c_str()), (nullptr));
    return FALSE;
  }
  state.file_type = gstaw::resolve_file_type(settings);
  auto writer = segments ? gstaw::create_segment_writer(self, state)
                         : aw::AssetWriter::create(settings.location, state.file_type);
  if (!writer) {
    GST_ELEMENT_ERROR(self, RESOURCE, OPEN_WRITE,
                      ("Could not open file \"%s\" for writing: %s", settings.location.c_str(),
                       writer.status().message().c_str()),
                      (nullptr));
    return FALSE;
  }
  state.writer = std::move(writer).value();
  if (!segments && !gstaw::rotation_mode(settings)) {
    // Progress and durability messages (issue 16): a message per fragment written, one for the complete file.
    state.progress = gstaw::make_progress_observer(self, settings.location);
    if (aw::Status status = state.writer->set_observer(state.progress.get()); !status) {
      GST_ELEMENT_ERROR(self, LIBRARY, SETTINGS, ("%s", status.message().c_str()), (nullptr));
      return FALSE;
    }
  }
  for (const aw::Status& status :
       {state.writer->set_should_optimize_for_network_use(settings.optimize_for_network_use),
        state.writer->set_movie_time_scale(static_cast<int32_t>(settings.movie_timescale)),
        state.writer->set_interleave_interval(
            gstaw::to_aw_time(static_cast<int64_t>(settings.interleave_interval))),
        apply_fragment_settings(*state.writer, settings)}) {
    if (!status) {
      GST_ELEMENT_ERROR(self, LIBRARY, SETTINGS, ("%s", status.message().c_str()), (nullptr));
      return FALSE;
    }
  }
  GST_INFO_OBJECT(self, "will write %s as %s", settings.location.c_str(), aw::to_string(state.file_type));
  return TRUE;
}

// Stopping before EOS still finalises the file, so what was accepted stays playable.
gboolean stop(GstAggregator* agg) {
  auto* self = GST_ASSET_WRITER_SINK(agg);
  {
    std::lock_guard<std::mutex> guard(impl(self).lock);
    gstaw::State& state = impl(self).state;
    if (state.writing && !state.done) {
      const bool had_error = state.failed;
      if (aw::Status status = gstaw::finish(self); status) {
        GST_ELEMENT_WARNING(self, RESOURCE, WRITE,
                            ("stopped before EOS; finalised %s with data received so far",
                             state.settings.location.c_str()),
                            (nullptr));
      } else if (had_error) {
        GST_WARNING_OBJECT(self, "could not finalise %s after an error: %s", state.settings.location.c_str(),
                           status.message().c_str());
      } else {
        GST_ELEMENT_WARNING(self, RESOURCE, WRITE,
                            ("stopped before EOS; could not finalise %s: %s", state.settings.location.c_str(),
                             status.message().c_str()),
                            (nullptr));
      }
    }
  }
  gstaw::reset(self);
  gstaw::restore_latency(self);
  return TRUE;
}

// A sink has no downstream to agree caps with; the fixed src caps only keep the base class's sticky
// event order (caps before segment) valid on the unlinked src pad.
gboolean negotiate(GstAggregator* agg) {
  GstCaps* caps = gst_static_pad_template_get_caps(&src_template);
  gst_aggregator_set_src_caps(agg, caps);
  gst_caps_unref(caps);
  return TRUE;
}

// video_%u / audio_%u / text_%u / meta_%u names; the base class would call every pad sink_%u.
GstAggregatorPad* create_new_pad(GstAggregator* agg, GstPadTemplate* templ, const gchar* req_name,
                                 const GstCaps*) {
  auto* self = GST_ASSET_WRITER_SINK(agg);
  {
    std::lock_guard<std::mutex> guard(impl(self).lock);
    if (impl(self).state.writing) {
      GST_WARNING_OBJECT(self, "refusing a new pad: the file's tracks were fixed when writing started");
      return nullptr;
    }
  }
  const char* name_template = GST_PAD_TEMPLATE_NAME_TEMPLATE(templ);
  gstaw::Impl& im = impl(self);
  struct Kind {
    const char* name_template;
    const char* prefix;
    guint* next;
  };
  const Kind kinds[] = {{"video_%u", "video_", &im.next_video},
                        {"audio_%u", "audio_", &im.next_audio},
                        {"text_%u", "text_", &im.next_text},
                        {"meta_%u", "meta_", &im.next_meta}};
  const Kind* kind = &kinds[1];
  for (const Kind& k : kinds) {
    if (std::strcmp(name_template, k.name_template) == 0) kind = &k;
  }
  const char* prefix = kind->prefix;
  GST_OBJECT_LOCK(self);
  guint& next = *kind->next;
  guint index = next;
  if (req_name && g_str_has_prefix(req_name, prefix) && !std::strchr(req_name, '%')) {
    gchar* end = nullptr;
    const guint64 wanted = g_ascii_strtoull(req_name + std::strlen(prefix), &end, 10);
    if (!end || *end != '\0' || wanted > G_MAXUINT) {
      GST_OBJECT_UNLOCK(self);
      GST_WARNING_OBJECT(self, "invalid pad name %s", req_name);
      return nullptr;
    }
    index = static_cast<guint>(wanted);
  }
  gchar* name = g_strdup_printf("%s%u", prefix, index);
  for (GList* l = GST_ELEMENT(self)->sinkpads; l; l = l->next) {
    if (g_strcmp0(GST_PAD_NAME(l->data), name) == 0) {
      GST_OBJECT_UNLOCK(self);
      GST_WARNING_OBJECT(self, "pad %s already exists", name);
      g_free(name);
      return nullptr;
    }
  }
  next = MAX(next, index + 1);
  GST_OBJECT_UNLOCK(self);
  auto* pad = static_cast<GstAggregatorPad*>(
      g_object_new(GST_TYPE_ASSET_WRITER_PAD, "name", name, "direction", GST_PAD_SINK, "template", templ, nullptr));
  g_free(name);
  return pad;
}

// A released pad's track ends where its data ended.
void release_pad(GstElement* element, GstPad* pad) {
  auto* self = GST_ASSET_WRITER_SINK(element);
  {
    std::lock_guard<std::mutex> guard(impl(self).lock);
    gstaw::PadState& st = gstaw::pad_state(GST_ASSET_WRITER_PAD(pad));
    if (st.input && !st.finished && !impl(self).state.done) {
      st.finished = true;
      if (aw::Status status = gstaw::finish_input(impl(self).state, *st.input); !status) {
        GST_WARNING_OBJECT(pad, "mark_as_finished: %s", status.message().c_str());
      }
    }
  }
  GST_ELEMENT_CLASS(gst_asset_writer_sink_parent_class)->release_pad(element, pad);
}

// The sink pads are the element's children, so gst-launch's `assetwritersink audio_1::group=1` reaches the
// pad's properties: the parser retries such a property when the child is announced (pad-added).
GObject* get_child_by_name(GstChildProxy* proxy, const gchar* name) {
  return G_OBJECT(gst_element_get_static_pad(GST_ELEMENT(proxy), name));
}

GObject* get_child_by_index(GstChildProxy* proxy, guint index) {
  GST_OBJECT_LOCK(proxy);
  gpointer pad = g_list_nth_data(GST_ELEMENT(proxy)->sinkpads, index);
  if (pad) gst_object_ref(pad);
  GST_OBJECT_UNLOCK(proxy);
  return G_OBJECT(pad);
}

guint get_children_count(GstChildProxy* proxy) {
  GST_OBJECT_LOCK(proxy);
  const guint count = GST_ELEMENT(proxy)->numsinkpads;
  GST_OBJECT_UNLOCK(proxy);
  return count;
}

void announce_pad(GstElement* element, GstPad* pad) {
  if (GST_PAD_IS_SINK(pad)) gst_child_proxy_child_added(GST_CHILD_PROXY(element), G_OBJECT(pad), GST_PAD_NAME(pad));
}

void set_property(GObject* object, guint id, const GValue* value, GParamSpec* pspec) {
  auto* self = GST_ASSET_WRITER_SINK(object);
  gstaw::Settings& settings = impl(self).settings;
  GST_OBJECT_LOCK(self);
  switch (id) {
    case kPropLocation: {
      const gchar* location = g_value_get_string(value);
      settings.location = location ? location : "";
      break;
    }
    case kPropFileType:
      settings.file_type = static_cast<gstaw::FileTypeChoice>(g_value_get_enum(value));
      break;
    case kPropOptimizeForNetworkUse:
      settings.optimize_for_network_use = g_value_get_boolean(value);
      break;
    case kPropMovieTimescale:
      settings.movie_timescale = g_value_get_uint(value);
      break;
    case kPropInterleaveInterval:
      settings.interleave_interval = g_value_get_uint64(value);
      break;
    case kPropFragmentInterval:
      settings.fragment_interval = g_value_get_uint64(value);
      break;
    case kPropInitialFragmentInterval:
      settings.initial_fragment_interval = g_value_get_uint64(value);
      break;
    case kPropInitialFragmentSequenceNumber:
      settings.initial_fragment_sequence_number = g_value_get_uint(value);
      break;
    case kPropOverallDurationHint:
      settings.overall_duration_hint = g_value_get_uint64(value);
      break;
    case kPropCombinableFragments:
      settings.combinable_fragments = g_value_get_boolean(value);
      break;
    case kPropCrashRecoveryInterval:
      settings.crash_recovery_interval = g_value_get_uint64(value);
      break;
    case kPropSyncFragments:
      settings.sync_fragments = static_cast<gstaw::SyncFragments>(g_value_get_enum(value));
      break;
    case kPropSignedCompositionOffsets:
      settings.signed_composition_offsets = g_value_get_boolean(value);
      break;
    case kPropReservedMoovSize:
      settings.reserved_moov_size = g_value_get_uint(value);
      break;
    case kPropSessionStartTime:
      settings.session_start_time = g_value_get_uint64(value);
      break;
    case kPropSessionEndTime:
      settings.session_end_time = g_value_get_uint64(value);
      break;
    case kPropMetadata:
      settings.metadata = gstaw::share_structure(gst_value_get_structure(value));
      break;
    default:
      if (!gstaw::set_segment_property(settings.segments, id, value) &&
          !gstaw::set_rotation_property(settings, id, value)) {
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
      }
      break;
  }
  GST_OBJECT_UNLOCK(self);
}

void get_property(GObject* object, guint id, GValue* value, GParamSpec* pspec) {
  auto* self = GST_ASSET_WRITER_SINK(object);
  const gstaw::Settings& settings = impl(self).settings;
  GST_OBJECT_LOCK(self);
  switch (id) {
    case kPropLocation:
      g_value_set_string(value, settings.location.empty() ? nullptr : settings.location.c_str());
      break;
    case kPropFileType:
      g_value_set_enum(value, static_cast<gint>(settings.file_type));
      break;
    case kPropOptimizeForNetworkUse:
      g_value_set_boolean(value, settings.optimize_for_network_use);
      break;
    case kPropMovieTimescale:
      g_value_set_uint(value, settings.movie_timescale);
      break;
    case kPropInterleaveInterval:
      g_value_set_uint64(value, settings.interleave_interval);
      break;
    case kPropFragmentInterval:
      g_value_set_uint64(value, settings.fragment_interval);
      break;
    case kPropInitialFragmentInterval:
      g_value_set_uint64(value, settings.initial_fragment_interval);
      break;
    case kPropInitialFragmentSequenceNumber:
      g_value_set_uint(value, settings.initial_fragment_sequence_number);
      break;
    case kPropOverallDurationHint:
      g_value_set_uint64(value, settings.overall_duration_hint);
      break;
    case kPropCombinableFragments:
      g_value_set_boolean(value, settings.combinable_fragments);
      break;
    case kPropCrashRecoveryInterval:
      g_value_set_uint64(value, settings.crash_recovery_interval);
      break;
    case kPropSyncFragments:
      g_value_set_enum(value, static_cast<gint>(settings.sync_fragments));
      break;
    case kPropSignedCompositionOffsets:
      g_value_set_boolean(value, settings.signed_composition_offsets);
      break;
    case kPropReservedMoovSize:
      g_value_set_uint(value, settings.reserved_moov_size);
      break;
    case kPropSessionStartTime:
      g_value_set_uint64(value, settings.session_start_time);
      break;
    case kPropSessionEndTime:
      g_value_set_uint64(value, settings.session_end_time);
      break;
    case kPropMetadata:
      gst_value_set_structure(value, settings.metadata.get());
      break;
    default:
      if (!gstaw::get_segment_property(settings.segments, id, value) &&
          !gstaw::get_rotation_property(settings, id, value)) {
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
      }
      break;
  }
  GST_OBJECT_UNLOCK(self);
}

void finalize(GObject* object) {
  auto* self = GST_ASSET_WRITER_SINK(object);
  gstaw::reset(self);
  delete self->impl;
  G_OBJECT_CLASS(gst_asset_writer_sink_parent_class)->finalize(object);
}

void install_fragment_properties(GObjectClass* gobject_class, GParamFlags flags) {
  g_object_class_install_property(
      gobject_class, kPropFragmentInterval,
      g_param_spec_uint64("fragment-interval", "Fragment interval",
                          "Write a fragmented movie: an initial moov, then a moof+mdat fragment about this often "
                          "(nanoseconds), each starting on a video keyframe and playable as soon as it is "
                          "written; at EOS an mfra index is added and the real duration written. 0: not "
                          "fragmented",
                          0, G_MAXUINT64, 0, flags));
  g_object_class_install_property(
      gobject_class, kPropInitialFragmentInterval,
      g_param_spec_uint64("initial-fragment-interval", "Initial fragment interval",
                          "Interval of the first fragment (nanoseconds); 0: the same as fragment-interval", 0,
                          G_MAXUINT64, 0, flags));
  g_object_class_install_property(
      gobject_class, kPropInitialFragmentSequenceNumber,
      g_param_spec_uint("initial-fragment-sequence-number", "Initial fragment sequence number",
                        "Sequence number of the first fragment (mfhd); set it to continue another writer's "
                        "numbering when producing combinable fragments",
                        1, G_MAXUINT32, 1, flags));
  g_object_class_install_property(
      gobject_class, kPropOverallDurationHint,
      g_param_spec_uint64("overall-duration-hint", "Overall duration hint",
                          "Expected duration of the movie (nanoseconds), written in the initial moov of a "
                          "fragmented movie (mehd) so players show a duration while it is being written; 0: none",
                          0, G_MAXUINT64, 0, flags));
  g_object_class_install_property(
      gobject_class, kPropCombinableFragments,
      g_param_spec_boolean("combinable-fragments", "Combinable fragments",
                           "Keep fragment decode times on the running-time timeline and write no mfra or final "
                           "duration, so the fragments of several files (consecutive sequence numbers) can be "
                           "concatenated after the first file's header into one movie",
                           FALSE, flags));
  g_object_class_install_property(
      gobject_class, kPropCrashRecoveryInterval,
      g_param_spec_uint64("crash-recovery-interval", "Crash recovery interval",
                          "For plain (not fragmented, not network-optimised) movies: record as fragments of this "
                          "interval (nanoseconds) so a killed or crashed recording stays playable up to the last "
                          "fragment, and rewrite the file as a plain movie at EOS. 0: one media box, as other "
                          "muxers write, lost if the recording is interrupted. Default (-1, automatic): 2 s when "
                          "a source upstream is live, 0 otherwise (a remux can run again from its input)",
                          0, G_MAXUINT64, GST_CLOCK_TIME_NONE, flags));
  g_object_class_install_property(
      gobject_class, kPropSyncFragments,
      g_param_spec_enum("sync-fragments", "Sync fragments to disk",
                        "fdatasync every fragment (and every segment file) before marking it complete, so it "
                        "survives power loss and not just a killed process. Automatic: when a source upstream is "
                        "live; a remux can run again from its input",
                        gstaw::sync_fragments_get_type(), static_cast<gint>(gstaw::SyncFragments::kAuto), flags));
  g_object_class_install_property(
      gobject_class, kPropSignedCompositionOffsets,
      g_param_spec_boolean("signed-composition-offsets", "Signed composition offsets",
                           "Store B-frame reordering as signed offsets (ctts version 1 + cslg) so the first "
                           "frame is at time 0 without an edit list. Default: non-negative offsets and an edit "
                           "list, which every player reads",
                           FALSE, flags));
  g_object_class_install_property(
      gobject_class, kPropReservedMoovSize,
      g_param_spec_uint("reserved-moov-size", "Reserved moov size",
                        "optimize-for-network-use: bytes reserved in front of the media for the index, written in "
                        "place at EOS with no second pass (the rest becomes a 'free' box). 0: estimated from "
                        "overall-duration-hint when that is set; otherwise, or when the index does not fit, the "
                        "media is copied once behind the index at EOS",
                        0, G_MAXUINT32, 0, flags));
}

// AVAssetWriter's session and metadata.
void install_session_properties(GObjectClass* gobject_class, GParamFlags flags) {
  g_object_class_install_property(
      gobject_class, kPropSessionStartTime,
      g_param_spec_uint64("session-start-time", "Session start time",
                          "Running time at which the movie's timeline starts (startSession(atSourceTime:)). "
                          "Earlier buffers are still written, so decoders get the whole GOP, and an edit list "
                          "hides them. Default (-1): the earliest first buffer, never before running time 0",
                          0, G_MAXUINT64, GST_CLOCK_TIME_NONE, flags));
  g_object_class_install_property(
      gobject_class, kPropSessionEndTime,
      g_param_spec_uint64("session-end-time", "Session end time",
                          "Running time at which the movie's timeline ends (endSession(atSourceTime:)). Later "
                          "buffers are still written and cut by the edit list. Default (-1): the end of the "
                          "media at EOS",
                          0, G_MAXUINT64, GST_CLOCK_TIME_NONE, flags));
  g_object_class_install_property(
      gobject_class, kPropMetadata,
      g_param_spec_boxed("metadata", "Metadata",
                         "File metadata as a structure of name=value fields, e.g. "
                         "\"meta, title=Foo, artist=Bar, creation-date=2026-11-25\". Names are the writer's keys "
                         "(title, artist, album, comment, creation-date, encoder, copyright, genre, description, "
                         "location (ISO 6709), make, model, track-number) or GStreamer tag names; others are "
                         "skipped (logged at DEBUG). A field here wins over the same key from tag events and "
                         "the GstTagSetter interface",
                         GST_TYPE_STRUCTURE, flags));
}

void install_properties(GObjectClass* gobject_class) {
  constexpr auto flags = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                                  GST_PARAM_MUTABLE_READY);
  g_object_class_install_property(
      gobject_class, kPropLocation,
      g_param_spec_string("location", "File location",
                          "File modes (plain, moov-first, fragmented): the path of the movie file to write; its "
                          "parent directory must exist, the file is created when the first buffers arrive and "
                          "completed at EOS (or when the element stops). Segment mode (segment-interval) and file "
                          "rotation: a printf pattern with one integer conversion naming each file, e.g. "
                          "segment%05d.m4s (%s for the pad name with one-track-per-header)",
                          nullptr, flags));
  g_object_class_install_property(
      gobject_class, kPropFileType,
      g_param_spec_enum("file-type", "File type",
                        "Container flavour, which decides brands, allowed codecs and the metadata style; auto "
                        "picks it from the location's extension and falls back to mp4",
                        gstaw::file_type_choice_get_type(), static_cast<gint>(gstaw::FileTypeChoice::kAuto),
                        flags));
  g_object_class_install_property(
      gobject_class, kPropOptimizeForNetworkUse,
      g_param_spec_boolean("optimize-for-network-use", "Optimize for network use",
                           "Place the movie header (moov) before the media data (mdat) so players can start "
                           "before the whole file has arrived; the media data then goes to a temporary file first "
                           "and is copied behind the header at the end",
                           FALSE, flags));
  g_object_class_install_property(
      gobject_class, kPropMovieTimescale,
      g_param_spec_uint("movie-timescale", "Movie timescale",
                        "Units per second of the movie header's durations and edit lists; 0 lets the writer "
                        "choose (600 for mov, 1000 otherwise)",
                        0, G_MAXINT32, 0, flags));
  g_object_class_install_property(
      gobject_class, kPropInterleaveInterval,
      g_param_spec_uint64("interleave-interval", "Interleave interval",
                          "Duration of media of one track written together before switching to another track "
                          "(nanoseconds); shorter chunks ease playback from slow storage, longer ones shrink "
                          "the sample tables",
                          GST_MSECOND, 3600 * GST_SECOND, gstaw::kDefaultInterleaveInterval, flags));
  install_fragment_properties(gobject_class, flags);
  install_session_properties(gobject_class, flags);
  gstaw::install_segment_properties(gobject_class, flags);
  gstaw::install_rotation_properties(gobject_class, flags);
}

}  // namespace

static void gst_asset_writer_sink_class_init(GstAssetWriterSinkClass* klass) {
  GST_DEBUG_CATEGORY_INIT(gst_asset_writer_sink_debug, "assetwritersink", 0, "AVAssetWriter-like file sink");
  auto* gobject_class = G_OBJECT_CLASS(klass);
  auto* element_class = GST_ELEMENT_CLASS(klass);
  auto* aggregator_class = GST_AGGREGATOR_CLASS(klass);

  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;
  gobject_class->finalize = finalize;
  install_properties(gobject_class);
  gstaw::install_segment_signals(gobject_class);
  gstaw::install_storage_signals(gobject_class);
  gstaw::install_rotation_signals(gobject_class);

  // One request pad template per media type, its caps and the description from the codec table.
  for (auto [name, type] :
       {std::pair{"video_%u", aw::MediaType::kVideo}, std::pair{"audio_%u", aw::MediaType::kAudio},
        std::pair{"text_%u", aw::MediaType::kText}, std::pair{"meta_%u", aw::MediaType::kMetadata}}) {
    GstCaps* caps = gstaw::template_caps(type);
    gst_element_class_add_pad_template(
        element_class,
        gst_pad_template_new_with_gtype(name, GST_PAD_SINK, GST_PAD_REQUEST, caps, GST_TYPE_ASSET_WRITER_PAD));
    gst_caps_unref(caps);
  }
  gst_element_class_add_static_pad_template_with_gtype(element_class, &src_template, GST_TYPE_AGGREGATOR_PAD);
  gst_element_class_set_metadata(element_class, "Asset writer sink", "Sink/Muxer", gstaw::sink_description().c_str(),
                                 "gst-assetwriter");
  element_class->release_pad = release_pad;
  element_class->pad_added = announce_pad;

  aggregator_class->start = start;
  aggregator_class->stop = stop;
  aggregator_class->negotiate = negotiate;
  aggregator_class->create_new_pad = create_new_pad;
  aggregator_class->aggregate = gstaw::aggregate;
  aggregator_class->get_next_time = gstaw::get_next_time;
  aggregator_class->sink_event = gstaw::sink_event;
  aggregator_class->sink_query = gstaw::sink_query;

  gst_type_mark_as_plugin_api(GST_TYPE_ASSET_WRITER_PAD, static_cast<GstPluginAPIFlags>(0));
  gst_type_mark_as_plugin_api(gstaw::file_type_choice_get_type(), static_cast<GstPluginAPIFlags>(0));
  gst_type_mark_as_plugin_api(gstaw::sync_fragments_get_type(), static_cast<GstPluginAPIFlags>(0));
}

static void gst_asset_writer_sink_init(GstAssetWriterSink* self) {
  self->impl = new gstaw::Impl();
  // A sink for the bin: it waits for this element's EOS message before the pipeline's EOS.
  GST_OBJECT_FLAG_SET(self, GST_ELEMENT_FLAG_SINK);
}

static void child_proxy_init(gpointer g_iface, gpointer) {
  auto* iface = static_cast<GstChildProxyInterface*>(g_iface);
  iface->get_child_by_name = get_child_by_name;
  iface->get_child_by_index = get_child_by_index;
  iface->get_children_count = get_children_count;
}
