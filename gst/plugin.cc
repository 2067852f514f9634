// The assetwriter plugin: registers assetwritersink and assetwriterbin.
#include <gst/gst.h>

#include "bin/assetwriterbin.h"
#include "sink/assetwritersink.h"

static gboolean plugin_init(GstPlugin* plugin) {
  gboolean ok = GST_ELEMENT_REGISTER(assetwritersink, plugin);
  ok = GST_ELEMENT_REGISTER(assetwriterbin, plugin) && ok;
  return ok;
}

GST_PLUGIN_DEFINE(GST_VERSION_MAJOR, GST_VERSION_MINOR, assetwriter,
                  "Writes QuickTime/MP4 files through the AVAssetWriter-like aw library", plugin_init, "0.1.0", "LGPL",
                  "gst-assetwriter", "gst-assetwriter")
