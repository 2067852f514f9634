// assetwriterbin's copies of the sink's signals, found at class init as its properties are (so a signal the
// sink gains is the bin's without code here): the sink's signals are re-emitted by the bin, with the bin as
// the instance; the bin's action signals are forwarded to its "sink" child and return what the sink returns.
#pragma once

#include <gst/gst.h>

namespace gstaw {

// Installs on `bin_class` a signal of the same name and signature for each signal of assetwritersink.
void install_proxied_signals(GObjectClass* bin_class);
// Re-emits the sink's non-action signals on `bin` until disconnect_proxied_signals().
void connect_proxied_signals(GstElement* bin, GstElement* sink);
void disconnect_proxied_signals(GstElement* bin, GstElement* sink);

}  // namespace gstaw
