// Storage hooks of segment mode, hlssink3's: get-init-stream, get-fragment-stream and get-playlist-stream
// hand the element a GOutputStream to write a file to instead of the local file, and delete-fragment
// replaces deleting a segment that left the live window. Without a handler, local files as before.
#pragma once

#include <gst/gst.h>

#include <memory>

#include "aw/hls_storage.h"
#include "sink/assetwritersink.h"

namespace gstaw {

void install_storage_signals(GObjectClass* gobject_class);

// The packager's storage for `self`: each kind of file goes to its signal's stream while a handler is
// connected, else to local files (fsynced when `sync`; HlsPackager::set_sync still reaches it).
std::shared_ptr<aw::HlsStorage> create_sink_storage(GstAssetWriterSink* self, bool sync);

// assetwriterbin relays the sink's signals with handlers on the sink whose data is the bin, set here: a
// relay counts as a storage handler only while the bin itself has one connected.
void set_storage_signal_relay(GstElement* sink, GstElement* bin);

}  // namespace gstaw
