// seek_check FILE SECONDS: opens FILE with qtdemux, seeks to SECONDS (flushing, to the keyframe before)
// and prints the presentation time of the first video buffer after the seek. Exit 0 when it lands in
// [SECONDS - 1.5 s, SECONDS + 0.1 s], 1 otherwise, 2 on errors. The e2e tests use it to check that
// qtdemux can seek into a file, which gst-launch cannot do.
#include <gst/gst.h>

#include <cstdio>
#include <cstdlib>

namespace {

GstClockTime g_first_pts = GST_CLOCK_TIME_NONE;
bool g_seeked = false;

GstPadProbeReturn on_buffer(GstPad*, GstPadProbeInfo* info, gpointer) {
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  if (g_seeked && !GST_CLOCK_TIME_IS_VALID(g_first_pts) && GST_BUFFER_PTS_IS_VALID(buffer)) {
    g_first_pts = GST_BUFFER_PTS(buffer);
  }
  return GST_PAD_PROBE_OK;
}

bool wait_for(GstElement* pipeline, GstMessageType types, GstClockTime timeout) {
  GstBus* bus = gst_element_get_bus(pipeline);
  GstMessage* msg = gst_bus_timed_pop_filtered(bus, timeout, static_cast<GstMessageType>(types | GST_MESSAGE_ERROR));
  bool ok = msg && GST_MESSAGE_TYPE(msg) != GST_MESSAGE_ERROR;
  if (msg && !ok) {
    GError* err = nullptr;
    gst_message_parse_error(msg, &err, nullptr);
    std::fprintf(stderr, "error: %s\n", err ? err->message : "?");
    g_clear_error(&err);
  }
  if (msg) gst_message_unref(msg);
  gst_object_unref(bus);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  gst_init(&argc, &argv);
  if (argc != 3) {
    std::fprintf(stderr, "usage: seek_check FILE SECONDS\n");
    return 2;
  }
  double target = std::atof(argv[2]);
  gchar* description = g_strdup_printf(
      "filesrc location=\"%s\" ! qtdemux name=d d.video_0 ! queue ! fakesink name=sink sync=false", argv[1]);
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(description, &error);
  g_free(description);
  if (!pipeline) {
    std::fprintf(stderr, "error: %s\n", error ? error->message : "?");
    return 2;
  }
  GstElement* sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
  GstPad* pad = gst_element_get_static_pad(sink, "sink");
  gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, on_buffer, nullptr, nullptr);
  gst_object_unref(pad);

  gst_element_set_state(pipeline, GST_STATE_PAUSED);
  if (!wait_for(pipeline, GST_MESSAGE_ASYNC_DONE, 10 * GST_SECOND)) return 2;
  g_seeked = true;
  auto position = static_cast<gint64>(target * GST_SECOND);
  if (!gst_element_seek_simple(pipeline, GST_FORMAT_TIME,
                               static_cast<GstSeekFlags>(GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_KEY_UNIT), position)) {
    std::fprintf(stderr, "error: seek refused\n");
    return 2;
  }
  if (!wait_for(pipeline, GST_MESSAGE_ASYNC_DONE, 10 * GST_SECOND)) return 2;
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(sink);
  gst_object_unref(pipeline);
  if (!GST_CLOCK_TIME_IS_VALID(g_first_pts)) {
    std::fprintf(stderr, "error: no buffer after the seek\n");
    return 2;
  }
  double landed = static_cast<double>(g_first_pts) / GST_SECOND;
  std::printf("%.6f\n", landed);
  return landed >= target - 1.5 && landed <= target + 0.1 ? 0 : 1;
}
