// The assetwritersink instance and its State, shared by the files that implement the element:
// assetwritersink.cc (GObject plumbing, properties, pads, start/stop), sink_events.cc (caps, tags,
// segments, accept-caps), sink_aggregate.cc (decode-order draining and the writer's lifecycle).
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aw/asset_writer.h"
#include "aw/hls_packager.h"
#include "aw/status.h"
#include "sink/assetwriter_pad.h"
#include "sink/assetwritersink.h"
#include "sink/key_units.h"
#include "sink/settings.h"

GST_DEBUG_CATEGORY_EXTERN(gst_asset_writer_sink_debug);

namespace gstaw {

// Everything that lives for one READY→PAUSED…PAUSED→READY run; reset() puts it back as a whole.
struct State {
  Settings settings;  // copied at start(); property changes apply to the next run
  aw::FileType file_type = aw::FileType::kMpeg4;
  // File modes: the writer's observer (sink_progress.h), declared before `writer` so it outlives it.
  std::unique_ptr<aw::WriterObserver> progress;
  std::unique_ptr<aw::AssetWriter> writer;
  // Segment mode: the writer's delegate. Declared after `writer` so reset()'s memberwise assignment
  // destroys the writer before the delegate it refers to.
  std::unique_ptr<aw::HlsPackager> packager;
  bool writing = false;  // start_writing() succeeded
  bool done = false;     // finish_writing() ran
  bool failed = false;   // an error was posted: every later aggregate() returns GST_FLOW_ERROR
  GstTagList* file_tags = nullptr;  // global-scope tags from events, owned
  aw::Metadata applied_file_metadata;  // what set_metadata() got before start_writing()
  std::vector<aw::Chapter> toc_chapters;  // from the last global TOC event; the GstTocSetter's TOC wins
  // Segment and fragment modes: where keyframes are asked for (set when writing starts), and the requests
  // aggregate() sends once it let go of the lock.
  std::optional<KeyUnitSchedule> key_units;
  std::vector<KeyUnitRequest> key_unit_requests;
  // Segment mode's EXT-X-PROGRAM-DATE-TIME when the pipeline clock is not the system's realtime clock: the
  // running time and the wall clock (g_get_real_time, microseconds) read together when writing started.
  std::optional<std::pair<GstClockTime, gint64>> wall_clock_anchor;
};

struct Impl {
  std::mutex lock;    // guards state and every pad's PadState
  State state;
  Settings settings;  // the properties, under the object lock
  guint next_video = 0;  // request pad numbering, under the object lock
  guint next_audio = 0;
  guint next_text = 0;
  guint next_meta = 0;
  // The aggregator latency that aggregate() set as the pads' queue depth for a non-live upstream (0: none);
  // touched only by the aggregate thread and by stop() once that thread is gone.
  GstClockTime auto_latency = 0;
  bool queue_depth_chosen = false;
  // Whether a source upstream is live, as aggregate() last saw it; get_next_time() (called by the base
  // class with its source lock held, so it cannot ask itself) has nothing to compute without one. Live until
  // aggregate() ran: a live pipeline's first deadline comes before any aggregate().
  std::atomic<bool> upstream_live{true};
};

// Frees what State owns and puts it and every sink pad's PadState back to their initial values.
// Takes impl->lock.
void reset(GstAssetWriterSink* self);

Impl& impl(GstAssetWriterSink* self);
GstAggregatorClass* parent_class();

// "video_0: <message>", unless the library already named the input in the message.
std::string pad_message(GstPad* pad, const std::string& message);

// Posts the GST_ELEMENT_ERROR that matches a library error (RESOURCE WRITE for I/O, STREAM otherwise) with
// `where` leading the text, and marks the state failed. Call with impl->lock held.
void post_status_error(GstAssetWriterSink* self, const std::string& where, const aw::Status& status);

// Converts stream tags of a pad and file tags into what the library holds; defined in sink_events.cc.
aw::Metadata file_metadata(GstAssetWriterSink* self);
bool same_metadata(const aw::Metadata& a, const aw::Metadata& b);

// Marks every input finished, hands over metadata that changed since start_writing() when the library
// allows it, and finishes the file. Call with impl->lock held and only while writing.
aw::Status finish(GstAssetWriterSink* self);

GstFlowReturn aggregate(GstAggregator* agg, gboolean timeout);
// Live upstream: when a pad has nothing queued, the running time of the earliest queued buffer, so the base
// class times out and aggregate() goes on without the silent pad (before writing starts: leaves it out of
// the file); 0 once only left-out pads are still open, so EOS does not wait for them. In sink_aggregate.cc.
GstClockTime get_next_time(GstAggregator* agg);
// Puts back the latency property that aggregate() raised for a non-live run. Call once streaming stopped.
void restore_latency(GstAssetWriterSink* self);
gboolean sink_event(GstAggregator* agg, GstAggregatorPad* pad, GstEvent* event);
gboolean sink_query(GstAggregator* agg, GstAggregatorPad* pad, GstQuery* query);

}  // namespace gstaw

struct _GstAssetWriterSink {
  GstAggregator parent;
  gstaw::Impl* impl;
};
