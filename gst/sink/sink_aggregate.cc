// aggregate(): starts the writer once every pad that will carry data has its first buffer (live: or once
// the latency deadline passed, without the silent pads), then appends buffers in decode-time order across
// pads until one pad runs dry, and finishes the file when all are EOS.
#include <gst/gst.h>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#include "convert/buffer_to_sample.h"
#include "convert/sparse_payload.h"
#include "convert/tags_to_metadata.h"
#include "convert/toc_to_chapters.h"
#include "sink/sink_private.h"
#include "sink/sink_segments.h"

#define GST_CAT_DEFAULT gst_asset_writer_sink_debug

namespace gstaw {
namespace {

// How much running time each pad may queue when nothing upstream is live. GstAggregator lets a pad hold
// only as much as its latency: at latency 0 a pad holds one buffer, so every buffer costs two thread
// hand-offs (the streaming thread waits until aggregate() pops it) — most of mp4mux's cost by default.
// Without a live source nothing waits on the clock and the latency is only this queue depth, so a deep
// queue lets aggregate() drain in batches. Half a second is the default interleave interval: the writer
// holds that much per track anyway.
constexpr GstClockTime kNonLiveQueueTime = 500 * GST_MSECOND;

// How much longer than the latency a live pad may take to deliver its first buffer before writing starts
// without it. Encoders that do not report their latency (avenc_aac's first frame comes a few frames after
// live video's) would otherwise be left out of every recording; a pad that never delivers delays the start
// by this much once. The other pads block meanwhile (their queues hold only the latency), as they did while
// the element waited for every pad.
constexpr GstClockTime kLiveStartGrace = GST_SECOND;

// The sink pads, referenced, so a concurrent release cannot free one under us.
class PadList {
 public:
  explicit PadList(GstElement* element) {
    GST_OBJECT_LOCK(element);
    for (GList* l = element->sinkpads; l; l = l->next) {
      pads_.push_back(GST_ASSET_WRITER_PAD(gst_object_ref(l->data)));
    }
    GST_OBJECT_UNLOCK(element);
  }
  ~PadList() {
    for (auto* pad : pads_) gst_object_unref(pad);
  }
  PadList(const PadList&) = delete;
  PadList& operator=(const PadList&) = delete;
  auto begin() const { return pads_.begin(); }
  auto end() const { return pads_.end(); }

 private:
  std::vector<GstAssetWriterPad*> pads_;
};

// Unchecked: every pad of this element is a GstAssetWriterPad, whose instance starts with its GstAggregatorPad
// parent, and a checked cast costs a type lookup several times per buffer in the drain loop.
GstAggregatorPad* agg_pad(GstAssetWriterPad* pad) { return reinterpret_cast<GstAggregatorPad*>(pad); }

std::string name_of(GstAssetWriterPad* pad) {
  gchar* name = gst_pad_get_name(GST_PAD(pad));
  std::string out = name;
  g_free(name);
  return out;
}

bool is_audio(const PadState& st) { return st.format && st.format->media_type == aw::MediaType::kAudio; }

// The times the buffer is written with. Audio: a buffer past the segment's stop ends at the stop, and
// after clipped (priming) buffers the times move by the clipped audio, which the library counts as part of
// the media and hides with the edit list (see PadState::clipped_ns). Call with impl->lock held.
std::optional<RunningTimes> times_of(GstAssetWriterPad* pad, GstBuffer* buffer) {
  GstSegment segment;
  GST_OBJECT_LOCK(pad);
  gst_segment_copy_into(&agg_pad(pad)->segment, &segment);
  GST_OBJECT_UNLOCK(pad);
  auto times = running_times(buffer, segment);
  const PadState& st = pad_state(pad);
  if (!times || !is_audio(st)) return times;
  clip_duration_to_segment(*times, buffer, segment);
  times->pts += st.clipped_ns;
  times->dts += st.clipped_ns;
  if (times->duration) *times->duration += audio_clipping(buffer, st.format->format.sample_rate).start_ns;
  return times;
}

GstFlowReturn fail(GstAssetWriterSink* self, GstAssetWriterPad* pad, const char* what) {
  const std::string text = pad_message(GST_PAD(pad), what);
  GST_ELEMENT_ERROR(self, STREAM, FORMAT, ("%s", text.c_str()), (nullptr));
  impl(self).state.failed = true;
  return GST_FLOW_ERROR;
}

// Raises the latency property to kNonLiveQueueTime once per run when upstream is not live and the user left
// it at 0. With a live source the property stays as set: the base class adds it to the latency it reports,
// and the pads already queue up to the upstream latency. Call without impl->lock (the setter takes the base
// class's locks and posts a LATENCY message).
void choose_queue_depth(GstAssetWriterSink* self) {
  Impl& im = impl(self);
  if (im.queue_depth_chosen) return;
  im.queue_depth_chosen = true;
  if (im.upstream_live.load(std::memory_order_relaxed)) return;  // as aggregate() just asked the base class
  guint64 latency = 0;
  g_object_get(self, "latency", &latency, nullptr);
  if (latency != 0) return;
  GST_INFO_OBJECT(self, "upstream is not live: pads queue up to %" GST_TIME_FORMAT,
                  GST_TIME_ARGS(kNonLiveQueueTime));
  im.auto_latency = kNonLiveQueueTime;
  g_object_set(self, "latency", static_cast<guint64>(kNonLiveQueueTime), nullptr);
}

// The running time up to which a timed-out aggregate() may append while a live pad is silent: what the
// clock says now minus the latency, since everything older would already have been waited for.
std::optional<int64_t> timeout_limit(GstAggregator* agg) {
  const GstClockTime now = gst_element_get_current_running_time(GST_ELEMENT(agg));
  const GstClockTime latency = gst_aggregator_get_latency(agg);
  if (!GST_CLOCK_TIME_IS_VALID(now)) return std::nullopt;
  const GstClockTime wait = GST_CLOCK_TIME_IS_VALID(latency) ? latency : 0;
  return static_cast<int64_t>(now) - static_cast<int64_t>(wait);
}

// Codecs whose parsers repeat the caps' streamheader in band (flacparse pushes the FLAC metadata blocks as
// HEADER buffers): the sample entry already carries it, and it is not media.
bool has_streamheader_in_caps(GstAssetWriterPad* pad) {
  const PadState& st = pad_state(pad);
  return st.format && (st.format->format.codec == aw::Codec::kFlac || st.format->format.codec == aw::Codec::kOpus);
}

// Empty GAP buffers stand for GAP events; a file has nothing to store for them. Header buffers of
// streamheader codecs are dropped the same way.
bool is_droppable(GstAssetWriterPad* pad, GstBuffer* buffer) {
  const bool gap = GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_GAP) && gst_buffer_get_size(buffer) == 0;
  return gap || (GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_HEADER) && has_streamheader_in_caps(pad));
}

void drop_gap_buffers(GstAssetWriterPad* pad) {
  while (GstBuffer* buffer = gst_aggregator_pad_peek_buffer(agg_pad(pad))) {
    const bool droppable = is_droppable(pad, buffer);
    gst_buffer_unref(buffer);
    if (!droppable) return;
    gst_aggregator_pad_drop_buffer(agg_pad(pad));
  }
}

// Text and timed metadata pads: never waited for (see docs/text-and-metadata.md).
bool is_sparse_pad(GstAssetWriterPad* pad) {
  const PadState& st = pad_state(pad);
  return st.format && aw::is_sparse(st.format->media_type);
}

// A sparse pad keeps a GAP buffer at its head until the other pads are past the gap: GstAggregator calls
// aggregate() only while every pad holds something (or, live, after a timeout), so the gap is what lets the
// others go on without the pad's next buffer. Returns the gap's end in running time, for a GAP buffer.
std::optional<int64_t> gap_end(GstAssetWriterPad* pad, GstBuffer* buffer) {
  if (!GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_GAP) || gst_buffer_get_size(buffer) != 0) return std::nullopt;
  auto times = times_of(pad, buffer);
  if (!times) return std::numeric_limits<int64_t>::min();  // untimed: nothing to wait for
  return times->pts + (times->duration ? *times->duration : 0);
}

// The text or metadata buffer as the file stores it (a tx3g sample, mebx atoms); the GstBuffer is released.
aw::Status to_sparse_sample(const PadState& st, aw::Sample& sample) {
  auto payload = sparse_payload(*st.format, sample.data.data(), sample.data.size());
  if (!payload) return payload.status();
  auto bytes = std::make_shared<std::vector<uint8_t>>(std::move(payload).value());
  sample.data = *bytes;
  sample.owner = std::move(bytes);
  return aw::Status::ok();
}

// Chapters: the application's GstTocSetter TOC, else the last TOC event's.
void apply_chapters(GstAssetWriterSink* self) {
  State& state = impl(self).state;
  GstToc* toc = gst_toc_setter_get_toc(GST_TOC_SETTER(self));
  std::vector<aw::Chapter> chapters = toc ? toc_to_chapters(toc) : state.toc_chapters;
  if (toc) gst_toc_unref(toc);
  if (chapters.empty()) return;
  if (aw::Status status = state.writer->set_chapters(std::move(chapters)); !status) {
    GST_ELEMENT_WARNING(self, STREAM, ENCODE, ("Chapters were not written"), ("%s", status.message().c_str()));
  }
}

// Formats whose configuration comes from the stream (AC-3's dac3, an AV1 sequence header, in-band parameter
// sets without codec_data) get the pad's first buffer as FormatDescription::first_sample.
aw::FormatDescription format_with_first_sample(GstAssetWriterPad* pad, const PadState& st) {
  aw::FormatDescription format = st.format->format;
  if (!aw::needs_first_sample(format)) return format;
  if (GstBuffer* buffer = gst_aggregator_pad_peek_buffer(agg_pad(pad))) {
    GstMapInfo map;
    if (gst_buffer_map(buffer, &map, GST_MAP_READ)) {
      format.first_sample.assign(map.data, map.data + map.size);
      gst_buffer_unmap(buffer, &map);
    }
    gst_buffer_unref(buffer);
  }
  return format;
}

// The encoder delay an audio pad's first buffer announces (GstAudioClippingMeta), as priming samples.
uint64_t priming_of_head(GstAssetWriterPad* pad, const PadState& st) {
  if (!is_audio(st)) return 0;
  GstBuffer* buffer = gst_aggregator_pad_peek_buffer(agg_pad(pad));
  if (!buffer) return 0;
  const uint64_t samples = audio_clipping(buffer, st.format->format.sample_rate).start_samples;
  gst_buffer_unref(buffer);
  return samples;
}

std::shared_ptr<aw::AssetWriterInput> make_input(GstAssetWriterPad* pad, PadState& st) {
  aw::FormatDescription format = format_with_first_sample(pad, st);
  st.priming_samples = priming_of_head(pad, st);
  if (st.priming_samples > 0) {
    format.priming_samples = static_cast<uint32_t>(std::min<uint64_t>(st.priming_samples, G_MAXUINT32));
    GST_INFO_OBJECT(pad, "encoder delay of %" G_GUINT64_FORMAT " samples (clipping meta)", st.priming_samples);
  }
  auto input = aw::AssetWriterInput::create(st.format->media_type, std::move(format));
  input->name = name_of(pad);
  input->natural_size = st.format->natural_size;
  input->language_code = st.language;
  if (st.rotation != 0) {
    input->transform =
        aw::rotation_transform(st.rotation, st.format->natural_size.width, st.format->natural_size.height);
  }
  input->metadata = tags_to_metadata(st.tags);
  return input;
}

// An input whose pad reached EOS: the interleaver stops waiting for it.
aw::Status mark_finished(GstAssetWriterSink* self, GstAssetWriterPad* pad) {
  PadState& st = pad_state(pad);
  if (!st.input || st.finished) return aw::Status::ok();
  st.finished = true;
  return finish_input(impl(self).state, *st.input);
}

// A live pad left out when writing started: a track cannot be added any more, so what arrives is dropped
// (with one warning) rather than failing a recording that is already running.
void drop_left_out_data(GstAssetWriterSink* self, GstAssetWriterPad* pad) {
  PadState& st = pad_state(pad);
  bool dropped = false;
  while (gst_aggregator_pad_drop_buffer(agg_pad(pad))) dropped = true;
  if (!dropped || st.warned_dropping) return;
  st.warned_dropping = true;
  const std::string text = name_of(pad) + ": data arrived after writing started without this pad; it is dropped";
  GST_ELEMENT_WARNING(self, STREAM, MUX, ("%s", text.c_str()), (nullptr));
}

enum class Begin { kStarted, kWait, kNoData, kFailed };

// Pads with the same `group` property become one input group: alternatives of each other, the default
// one enabled. Call after every pad's input was added.
bool add_input_groups(GstAssetWriterSink* self, const std::vector<GstAssetWriterPad*>& pads) {
  std::map<int, std::vector<GstAssetWriterPad*>> groups;
  for (GstAssetWriterPad* pad : pads) {
    const int group = pad_group_settings(pad).group;
    if (group >= 0) groups[group].push_back(pad);
  }
  for (const auto& [number, members] : groups) {
    std::vector<std::shared_ptr<aw::AssetWriterInput>> inputs;
    GstAssetWriterPad* default_pad = nullptr;
    for (GstAssetWriterPad* pad : members) {
      inputs.push_back(pad_state(pad).input);
      if (!pad_group_settings(pad).is_default) continue;
      if (default_pad) {
        GST_WARNING_OBJECT(self, "group %d: %s and %s are both default; %s is", number, name_of(default_pad).c_str(),
                           name_of(pad).c_str(), name_of(default_pad).c_str());
      } else {
        default_pad = pad;
      }
    }
    // No pad marked: the first is the default, so the file plays some audio rather than none.
    if (!default_pad) default_pad = members.front();
    auto group = aw::AssetWriterInputGroup::create(std::move(inputs), pad_state(default_pad).input);
    if (aw::Status status = impl(self).state.writer->add(group); !status) {
      post_status_error(self, name_of(members.front()) + ": group " + std::to_string(number), status);
      return false;
    }
    GST_INFO_OBJECT(self, "group %d: %zu tracks, default %s", number, members.size(), name_of(default_pad).c_str());
  }
  return true;
}

// Adds one input per pad that has data, then start_writing() and start_session(): at session-start-time, or
// at the lowest PTS among the pads' first buffers (the first buffer of each stream in decode order is its
// earliest presentation for closed GOPs and audio) but never before running time 0: what lies before the
// segment start (a demuxer's pre-roll from the keyframe before a seek or an edit, leading audio priming) is
// written for the decoder and hidden by the edit list.
// `timed_out`: the live start deadline passed, so pads still without data are left out instead of waited for.
Begin begin_writing(GstAssetWriterSink* self, const PadList& pads, bool timed_out) {
  State& state = impl(self).state;
  // First check every pad without side effects, so waiting leaves nothing half added to the writer.
  std::vector<GstAssetWriterPad*> with_data;
  std::vector<GstAssetWriterPad*> silent;
  int64_t session_start = std::numeric_limits<int64_t>::max();
  std::optional<int64_t> sparse_start;
  bool sparse_waiting = false;
  for (GstAssetWriterPad* pad : pads) {
    if (is_sparse_pad(pad)) {
      // Not waited for: a sparse pad with caps gets its track now. Its first buffer decides the session start
      // only in a file of nothing but text or metadata.
      GstBuffer* buffer = gst_aggregator_pad_peek_buffer(agg_pad(pad));
      if (!buffer && gst_aggregator_pad_is_eos(agg_pad(pad))) continue;
      if (buffer && !gap_end(pad, buffer)) {
        if (auto times = times_of(pad, buffer); times && (!sparse_start || times->pts < *sparse_start)) {
          sparse_start = times->pts;
        }
      } else {
        sparse_waiting = true;
      }
      if (buffer) gst_buffer_unref(buffer);
      with_data.push_back(pad);
      continue;
    }
    drop_gap_buffers(pad);
    GstBuffer* buffer = gst_aggregator_pad_peek_buffer(agg_pad(pad));
    if (!buffer) {
      // A pad that ended without data gets no track; one that has not delivered yet is waited for, up to
      // the live deadline.
      if (gst_aggregator_pad_is_eos(agg_pad(pad))) continue;
      if (!timed_out) return Begin::kWait;
      silent.push_back(pad);
      continue;
    }
    auto times = times_of(pad, buffer);
    gst_buffer_unref(buffer);
    if (!pad_state(pad).format) {
      fail(self, pad, "buffer arrived before caps");
      return Begin::kFailed;
    }
    if (!times) {
      fail(self, pad, "buffer has no timestamp");
      return Begin::kFailed;
    }
    session_start = std::min(session_start, times->pts);
    with_data.push_back(pad);
  }
  if (session_start == std::numeric_limits<int64_t>::max()) {
    // No audio or video yet: wait for those still to deliver; with none, the session starts with the first
    // text or metadata buffer.
    if (!silent.empty()) return Begin::kWait;
    if (!sparse_start) return sparse_waiting ? Begin::kWait : Begin::kNoData;
    session_start = *sparse_start;
  }
  for (GstAssetWriterPad* pad : with_data) {
    PadState& st = pad_state(pad);
    st.input = make_input(pad, st);
    if (aw::Status status = state.writer->add(st.input); !status) {
      post_status_error(self, name_of(pad), status);
      return Begin::kFailed;
    }
  }
  for (GstAssetWriterPad* pad : silent) {
    pad_state(pad).left_out = true;
    const std::string text =
        name_of(pad) + ": no data within the live latency when writing started: the file has no track for it";
    GST_ELEMENT_WARNING(self, STREAM, MUX, ("%s", text.c_str()), (nullptr));
  }
  if (!add_input_groups(self, with_data)) return Begin::kFailed;
  if (GST_CLOCK_TIME_IS_VALID(state.settings.session_start_time)) {
    session_start = static_cast<int64_t>(std::min<GstClockTime>(state.settings.session_start_time, G_MAXINT64));
  } else {
    session_start = std::max<int64_t>(session_start, 0);
  }
  const GstClockTime session_end = state.settings.session_end_time;
  if (GST_CLOCK_TIME_IS_VALID(session_end) && static_cast<guint64>(session_start) > session_end) {
    GST_ELEMENT_ERROR(self, LIBRARY, SETTINGS,
                      ("session-end-time %" GST_TIME_FORMAT " is before the session start %" GST_STIME_FORMAT,
                       GST_TIME_ARGS(session_end), GST_STIME_ARGS(session_start)),
                      (nullptr));
    state.failed = true;
    return Begin::kFailed;
  }

  state.applied_file_metadata = file_metadata(self);
  if (aw::Status status = state.writer->set_metadata(state.applied_file_metadata); !status) {
    post_status_error(self, "metadata", status);
    return Begin::kFailed;
  }
  // As aggregate() asked the base class this call: it has a latency only when a source upstream is live.
  const bool live = impl(self).upstream_live.load(std::memory_order_relaxed);
  if (state.settings.sync_fragments == SyncFragments::kAuto) {
    GST_INFO_OBJECT(self, "upstream is %slive: fragments and segment files %ssynced to disk", live ? "" : "not ",
                    live ? "" : "not ");
    if (aw::Status status = state.writer->set_sync_fragments_to_disk(live); !status) {
      post_status_error(self, "settings", status);
      return Begin::kFailed;
    }
    if (state.packager) state.packager->set_sync(live);
  }
  if (!GST_CLOCK_TIME_IS_VALID(state.settings.crash_recovery_interval)) {
    // Automatic crash safety, for the same reason.
    aw::Time interval = live ? to_aw_time(static_cast<int64_t>(kLiveCrashRecoveryInterval)) : aw::Time::invalid();
    GST_INFO_OBJECT(self, "upstream is %slive: crash-safe recording %s", live ? "" : "not ", live ? "on" : "off");
    if (aw::Status status = state.writer->set_crash_recovery_interval(interval); !status) {
      post_status_error(self, "settings", status);
      return Begin::kFailed;
    }
  }
  // Rotation: the configured writer becomes the prototype of every file (sink_rotation.h).
  const bool rotating = rotation_mode(state.settings);
  if (aw::Status status = rotating ? start_rotation(self, state) : state.writer->start_writing(); !status) {
    if (status.code() == aw::ErrorCode::kIo) {
      GST_ELEMENT_ERROR(self, RESOURCE, OPEN_WRITE,
                        ("Could not open file \"%s\" for writing: %s", state.settings.location.c_str(),
                         status.message().c_str()),
                        (nullptr));
    } else {
      // The stream's fault (a codec configuration the file cannot carry: the library names the pad's input),
      // or a location that is not a regular file: not a file that failed to open.
      GST_ELEMENT_ERROR(self, STREAM, FORMAT, ("%s", status.message().c_str()),
                        ("%s", aw::to_string(status.code())));
    }
    state.failed = true;
    return Begin::kFailed;
  }
  state.writing = true;
  state.wall_clock_anchor = running_time_and_wall_clock(self);
  const aw::Time session = to_aw_time(session_start);
  if (aw::Status status = rotating ? state.rotation->start_session(session) : state.writer->start_session(session);
      !status) {
    post_status_error(self, "session", status);
    return Begin::kFailed;
  }
  GST_INFO_OBJECT(self, "writing %s, session starts at %" GST_STIME_FORMAT, state.settings.location.c_str(),
                  GST_STIME_ARGS(session_start));
  state.key_units = key_unit_schedule_for(state.settings);
  return Begin::kStarted;
}

// One pad's head buffer as the drain loop sees it. The loop looks at every pad for each buffer it appends;
// the times (segment copy, running time, audio clipping) are worked out once per buffer, not once per look.
// The reference held on the buffer keeps its address from being reused, so a peek that returns the same
// pointer returns the same buffer.
class PadHead {
 public:
  PadHead(GstAssetWriterPad* pad, bool sparse) : pad_(pad), sparse_(sparse) {}
  PadHead(PadHead&& other) noexcept : pad_(other.pad_), sparse_(other.sparse_), buffer_(other.buffer_),
                                      times_(other.times_), gap_(other.gap_) {
    other.buffer_ = nullptr;
  }
  PadHead(const PadHead&) = delete;
  PadHead& operator=(const PadHead&) = delete;
  PadHead& operator=(PadHead&&) = delete;
  ~PadHead() { forget(); }

  // Looks at the pad's queue again. Audio and video pads drop GAP and header buffers first; a sparse pad keeps
  // its GAP buffer at the head (gap()).
  void refresh() {
    for (;;) {
      GstBuffer* buffer = gst_aggregator_pad_peek_buffer(agg_pad(pad_));
      if (buffer && buffer == buffer_) {
        gst_buffer_unref(buffer);
        return;
      }
      forget();
      if (!buffer) return;
      if (!sparse_ && is_droppable(pad_, buffer)) {
        gst_buffer_unref(buffer);
        gst_aggregator_pad_drop_buffer(agg_pad(pad_));
        continue;
      }
      buffer_ = buffer;
      if (auto end = sparse_ ? gap_end(pad_, buffer) : std::nullopt) {
        gap_ = true;
        times_ = RunningTimes{*end, *end, std::nullopt};
      } else {
        gap_ = false;
        times_ = times_of(pad_, buffer);
      }
      return;
    }
  }
  void forget() {
    if (buffer_) gst_buffer_unref(buffer_);
    buffer_ = nullptr;
  }

  GstAssetWriterPad* pad() const { return pad_; }
  bool sparse() const { return sparse_; }
  GstBuffer* buffer() const { return buffer_; }  // null: nothing queued
  // The buffer's running times; for a gap, its end. Empty: the buffer has no timestamp.
  const std::optional<RunningTimes>& times() const { return times_; }
  bool gap() const { return gap_; }

 private:
  GstAssetWriterPad* pad_;
  bool sparse_;
  GstBuffer* buffer_ = nullptr;
  std::optional<RunningTimes> times_;
  bool gap_ = false;
};

// Pops the head buffer of `pad` and appends it to its input. `expected` is the buffer `times` belong to: a
// flush between the look and the pop leaves another buffer at the head, whose own times are used.
// A 0-byte buffer without the GAP flag holds no frame, and the library refuses an empty audio or video
// sample (no decoder takes one): it is dropped, with one WARNING per pad, and the recording goes on.
void drop_empty_buffer(GstAssetWriterSink* self, GstAssetWriterPad* pad, GstBuffer* buffer) {
  PadState& st = pad_state(pad);
  GST_DEBUG_OBJECT(pad, "dropping an empty buffer at pts %" GST_TIME_FORMAT, GST_TIME_ARGS(GST_BUFFER_PTS(buffer)));
  gst_buffer_unref(buffer);
  if (st.warned_empty) return;
  st.warned_empty = true;
  const std::string text = name_of(pad) + ": dropped an empty (0-byte) buffer that is not a GAP: it holds no frame";
  GST_ELEMENT_WARNING(self, STREAM, FORMAT, ("%s", text.c_str()), (nullptr));
}

GstFlowReturn append_head(GstAssetWriterSink* self, GstAssetWriterPad* pad, GstBuffer* expected, RunningTimes times) {
  PadState& st = pad_state(pad);
  GstBuffer* buffer = gst_aggregator_pad_pop_buffer(agg_pad(pad));
  if (!buffer) return GST_FLOW_OK;
  if (gst_buffer_get_size(buffer) == 0 && !aw::is_sparse(st.format->media_type)) {
    drop_empty_buffer(self, pad, buffer);
    return GST_FLOW_OK;
  }
  if (buffer != expected) {
    auto fresh = times_of(pad, buffer);
    if (!fresh) {
      gst_buffer_unref(buffer);
      return fail(self, pad, "buffer has no timestamp");
    }
    times = *fresh;
  }
  if (st.last_dts && times.dts < *st.last_dts) {
    gst_buffer_unref(buffer);
    gchar* text = g_strdup_printf("decode timestamp went backwards (%" GST_STIME_FORMAT " after %" GST_STIME_FORMAT
                                  ")",
                                  GST_STIME_ARGS(times.dts), GST_STIME_ARGS(*st.last_dts));
    GstFlowReturn ret = fail(self, pad, text);
    g_free(text);
    return ret;
  }
  GST_LOG_OBJECT(pad, "appending pts %" GST_STIME_FORMAT " dts %" GST_STIME_FORMAT, GST_STIME_ARGS(times.pts),
                 GST_STIME_ARGS(times.dts));
  const AudioClipping clip = is_audio(st) ? audio_clipping(buffer, st.format->format.sample_rate) : AudioClipping{};
  auto sample = buffer_to_sample(buffer, times);
  if (!sample) return fail(self, pad, "could not map buffer");
  if (aw::is_sparse(st.format->media_type)) {
    if (aw::Status status = to_sparse_sample(st, *sample); !status) {
      post_status_error(self, name_of(pad), status);
      return GST_FLOW_ERROR;
    }
  }
  State& state = impl(self).state;
  const aw::Status appended = state.rotation
                                  ? append_to_rotation(self, GST_PAD(pad), buffer, *st.input, std::move(*sample))
                                  : st.input->append(std::move(*sample));
  if (!appended) {
    post_status_error(self, name_of(pad), appended);
    return GST_FLOW_ERROR;
  }
  st.last_dts = times.dts;
  if (st.format->media_type == aw::MediaType::kVideo) plan_rotation_key_units(state);
  if (state.key_units && st.format->media_type == aw::MediaType::kVideo) {
    for (const KeyUnitRequest& request : state.key_units->due(times.pts)) state.key_unit_requests.push_back(request);
  }
  if (clip.start_ns > 0) {
    st.clipped_ns += clip.start_ns;
    st.clipped_samples += clip.start_samples;
    // The input's priming was fixed from the first buffer; delay spread over later buffers is presented.
    if (st.clipped_samples > st.priming_samples) {
      GST_WARNING_OBJECT(pad, "clipping meta after the first buffer (%" G_GUINT64_FORMAT " samples in all, %"
                         G_GUINT64_FORMAT " announced): the rest is presented",
                         st.clipped_samples, st.priming_samples);
    }
  }
  return GST_FLOW_OK;
}

// Rotation: each file got the metadata when it opened; chapters describe one movie, not a sequence of files.
aw::Status finish_rotation(GstAssetWriterSink* self) {
  State& state = impl(self).state;
  if (GST_CLOCK_TIME_IS_VALID(state.settings.session_end_time)) {
    AW_RETURN_IF_ERROR(state.rotation->end_session(
        to_aw_time(static_cast<int64_t>(std::min<GstClockTime>(state.settings.session_end_time, G_MAXINT64)))));
  }
  state.done = true;
  return state.rotation->finish_writing();
}

GstFlowReturn end_of_stream(GstAssetWriterSink* self) {
  State& state = impl(self).state;
  if (!state.writing) {
    GST_ELEMENT_WARNING(self, STREAM, DEMUX, ("No data received: nothing written to \"%s\"",
                                               state.settings.location.c_str()),
                        (nullptr));
  } else if (aw::Status status = finish(self); !status) {
    post_status_error(self, state.settings.location, status);
    return GST_FLOW_ERROR;
  }
  state.done = true;
  return GST_FLOW_EOS;
}

}  // namespace

aw::Status finish(GstAssetWriterSink* self) {
  State& state = impl(self).state;
  PadList pads(GST_ELEMENT(self));
  for (GstAssetWriterPad* pad : pads) {
    PadState& st = pad_state(pad);
    if (st.late_tags) {
      const std::string text = name_of(pad) + ": stream tags that arrived after writing started were not written";
      GST_ELEMENT_WARNING(self, STREAM, ENCODE, ("%s", text.c_str()), (nullptr));
    }
    if (aw::Status status = mark_finished(self, pad); !status) return status;
  }
  if (state.rotation) return finish_rotation(self);
  // The library writes metadata at finish, but set_metadata() is refused once writing started; tags that
  // changed since are only written if that rule is lifted.
  aw::Metadata now = file_metadata(self);
  if (!same_metadata(now, state.applied_file_metadata)) {
    if (aw::Status status = state.writer->set_metadata(std::move(now)); !status) {
      GST_ELEMENT_WARNING(self, STREAM, ENCODE, ("Tags that arrived after writing started were not written"),
                          ("%s", status.message().c_str()));
    }
  }
  if (GST_CLOCK_TIME_IS_VALID(state.settings.session_end_time)) {
    AW_RETURN_IF_ERROR(state.writer->end_session(
        to_aw_time(static_cast<int64_t>(std::min<GstClockTime>(state.settings.session_end_time, G_MAXINT64)))));
  }
  apply_chapters(self);
  state.done = true;
  AW_RETURN_IF_ERROR(state.writer->finish_writing());
  // Segment mode: the last segment came out of finish_writing(); the playlists get EXT-X-ENDLIST.
  return state.packager ? state.packager->finish() : aw::Status::ok();
}

void restore_latency(GstAssetWriterSink* self) {
  Impl& im = impl(self);
  if (im.auto_latency != 0) {
    guint64 latency = 0;
    g_object_get(self, "latency", &latency, nullptr);
    if (latency == im.auto_latency) g_object_set(self, "latency", static_cast<guint64>(0), nullptr);
  }
  im.auto_latency = 0;
  im.queue_depth_chosen = false;
  im.upstream_live.store(true, std::memory_order_relaxed);  // the next run may have a live source
}

GstClockTime get_next_time(GstAggregator* agg) {
  auto* self = GST_ASSET_WRITER_SINK(agg);
  // Without a live source the base class waits for every pad whatever this returns; looking at every pad's
  // head here would cost as much as a fifth of the element's own work per buffer.
  if (!impl(self).upstream_live.load(std::memory_order_relaxed)) return GST_CLOCK_TIME_NONE;
  std::lock_guard<std::mutex> guard(impl(self).lock);
  const State& state = impl(self).state;
  if (state.done) return GST_CLOCK_TIME_NONE;
  // Before writing starts too: the deadline of the earliest first buffer lets begin_writing() leave out a
  // pad that never delivers (a track cannot be added later, but the others must not wait forever).
  PadList pads(GST_ELEMENT(self));
  std::optional<int64_t> earliest;
  bool waiting_for_a_track = false;
  for (GstAssetWriterPad* pad : pads) {
    GstBuffer* buffer = gst_aggregator_pad_peek_buffer(agg_pad(pad));
    if (!buffer) {
      if (!gst_aggregator_pad_is_eos(agg_pad(pad)) && !pad_state(pad).left_out) waiting_for_a_track = true;
      continue;
    }
    auto times = times_of(pad, buffer);
    gst_buffer_unref(buffer);
    if (times && (!earliest || times->dts < *earliest)) earliest = times->dts;
  }
  if (earliest) {
    const auto next = static_cast<GstClockTime>(std::max<int64_t>(*earliest, 0));
    return state.writing ? next : next + kLiveStartGrace;
  }
  // Every track ended and only left-out pads are open: nothing the file waits for can come, so time out
  // now and let aggregate() finish (the base class waits for every pad's EOS otherwise).
  if (state.writing && !waiting_for_a_track) return 0;
  return GST_CLOCK_TIME_NONE;
}

GstFlowReturn aggregate(GstAggregator* agg, gboolean timeout) {
  auto* self = GST_ASSET_WRITER_SINK(agg);
  GstFlowReturn ret = GST_FLOW_OK;
  impl(self).upstream_live.store(GST_CLOCK_TIME_IS_VALID(gst_aggregator_get_latency(agg)), std::memory_order_relaxed);
  choose_queue_depth(self);
  const std::optional<int64_t> limit = timeout ? timeout_limit(agg) : std::nullopt;
  std::vector<KeyUnitRequest> requests;  // sent upstream once the lock is let go
  {
    std::lock_guard<std::mutex> guard(impl(self).lock);
    State& state = impl(self).state;
    if (state.failed) return GST_FLOW_ERROR;
    if (state.done) return GST_FLOW_EOS;
    PadList pads(GST_ELEMENT(self));
    if (!state.writing) {
      switch (begin_writing(self, pads, timeout)) {
        case Begin::kStarted:
          break;
        case Begin::kWait:
          return GST_FLOW_OK;
        case Begin::kNoData:
          ret = end_of_stream(self);
          break;
        case Begin::kFailed:
          return GST_FLOW_ERROR;
      }
    }
    // Drain in decode order while every pad that is not EOS has a buffer: the pad that ran dry may hold the
    // next earliest sample. After a live timeout (a pad went silent past its deadline) the others go on,
    // up to the running time whose deadline has passed, and at least one buffer.
    std::vector<PadHead> heads;
    std::vector<GstAssetWriterPad*> left_out;
    for (GstAssetWriterPad* pad : pads) {
      if (pad_state(pad).left_out) {
        left_out.push_back(pad);  // neither waited for nor waited on for EOS
      } else {
        heads.emplace_back(pad, is_sparse_pad(pad));
      }
    }
    bool appended = false;
    while (ret == GST_FLOW_OK) {
      for (GstAssetWriterPad* pad : left_out) drop_left_out_data(self, pad);
      PadHead* next = nullptr;
      bool all_eos = true;
      bool must_wait = false;
      bool starving = false;
      for (PadHead& head : heads) {
        head.refresh();
        GstAssetWriterPad* pad = head.pad();
        if (!head.buffer()) {
          if (head.sparse() && !gst_aggregator_pad_is_eos(agg_pad(pad))) {
            all_eos = false;  // a sparse pad with nothing queued is not waited for
          } else if (!gst_aggregator_pad_is_eos(agg_pad(pad))) {
            all_eos = false;
            starving = true;
            must_wait = must_wait || !timeout;
          } else if (aw::Status status = mark_finished(self, pad); !status) {
            post_status_error(self, name_of(pad), status);
            return GST_FLOW_ERROR;
          }
          continue;
        }
        all_eos = false;
        // A sparse pad's gap is dropped once nothing queued elsewhere decodes before its end.
        if (!head.gap()) {
          if (!pad_state(pad).input) return fail(self, pad, "pad has no track: it was added after writing started");
          if (!head.times()) return fail(self, pad, "buffer has no timestamp");
        }
        if (!next || head.times()->dts < next->times()->dts) next = &head;
      }
      if (must_wait) break;
      if (!next) {
        if (all_eos) ret = end_of_stream(self);
        break;
      }
      if (next->gap()) {
        gst_aggregator_pad_drop_buffer(agg_pad(next->pad()));
        continue;
      }
      if (starving && appended && (!limit || next->times()->dts > *limit)) break;
      ret = append_head(self, next->pad(), next->buffer(), *next->times());
      appended = true;
    }
    requests.swap(state.key_unit_requests);
  }
  request_key_units(GST_ELEMENT(self), requests);
  if (ret == GST_FLOW_EOS) gst_element_post_message(GST_ELEMENT(self), gst_message_new_eos(GST_OBJECT(self)));
  return ret;
}

}  // namespace gstaw
