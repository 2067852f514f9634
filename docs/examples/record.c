/* Records live video (H.264) and audio (AAC) into an MP4 through assetwritersink, for a number of seconds or
 * until Ctrl-C, and prints the element's progress messages. The C twin of record.py.
 *
 *   cc -o record record.c $(pkg-config --cflags --libs gstreamer-1.0)
 *   ./record OUTPUT.mp4 [SECONDS]      (default 10 s; Ctrl-C ends the recording early)
 *
 * An application recording with assetwritersink ends the recording with an EOS event (never by stopping the
 * pipeline) and waits for EOS on the bus: the sink posts it only once the file is complete. A live recording
 * is crash-safe by default (crash-recovery-interval): each assetwritersink-fragment message says that the
 * media up to there is in the file; assetwritersink-file-complete comes once, before EOS. Any ERROR ends the
 * program with a non-zero exit status. */
#include <glib-unix.h>
#include <gst/gst.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

/* Live test sources stand in for a camera and a microphone; x264enc tune=zerolatency adds no latency, and a
 * keyframe a second bounds how long a fragment waits for one. */
static const char *const kPipeline =
    "assetwritersink name=sink "
    "videotestsrc is-live=true ! video/x-raw,width=640,height=360,framerate=30/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 ! h264parse ! sink. "
    "audiotestsrc is-live=true ! audioconvert ! audio/x-raw,rate=48000,channels=2 "
    "! avenc_aac ! aacparse ! sink.";
static const guint kEosTimeoutS = 20; /* after EOS was sent, give up waiting for the file to be finished */

typedef struct {
  GstElement *pipeline;
  GMainLoop *loop;
  gboolean failed;
  gboolean eos_sent;
  const char *why; /* what ended the recording, for stop() */
} Recorder;

static double seconds(guint64 ns) { return ns == GST_CLOCK_TIME_NONE ? -1.0 : (double)ns / GST_SECOND; }

static guint64 uint64_field(const GstStructure *s, const char *name) {
  guint64 value = 0;
  gst_structure_get_uint64(s, name, &value);
  return value;
}

static gboolean eos_timed_out(gpointer data) {
  Recorder *r = data;
  g_printerr("error: no EOS %u s after sending it\n", kEosTimeoutS);
  r->failed = TRUE;
  g_main_loop_quit(r->loop);
  return G_SOURCE_REMOVE;
}

/* Ends the recording: EOS from the sources down to the sink, which then finishes the file. */
static void stop(Recorder *r, const char *why) {
  if (r->eos_sent) {
    g_print("%s: still finishing the file\n", why);
    return;
  }
  r->eos_sent = TRUE;
  g_print("%s: sending EOS\n", why);
  gst_element_send_event(r->pipeline, gst_event_new_eos());
  g_timeout_add_seconds(kEosTimeoutS, eos_timed_out, r);
}

static gboolean on_time_up(gpointer data) {
  stop(data, "time is up");
  return G_SOURCE_REMOVE;
}

/* The signal handlers stay installed: once removed, GLib restores the default action, and a second Ctrl-C
 * would kill the program while the file is being finished. */
static gboolean on_sigint(gpointer data) {
  stop(data, "interrupted");
  return G_SOURCE_CONTINUE;
}

static gboolean on_sigterm(gpointer data) {
  stop(data, "terminated");
  return G_SOURCE_CONTINUE;
}

static void on_element_message(const GstStructure *s) {
  if (gst_structure_has_name(s, "assetwritersink-fragment")) {
    gboolean synced = FALSE;
    gst_structure_get_boolean(s, "synced", &synced);
    g_print("fragment %" G_GUINT64_FORMAT ": %.3f s + %.3f s, %" G_GUINT64_FORMAT " bytes at %" G_GUINT64_FORMAT
            ", synced=%s\n",
            uint64_field(s, "index"), seconds(uint64_field(s, "running-time")), seconds(uint64_field(s, "duration")),
            uint64_field(s, "size"), uint64_field(s, "offset"), synced ? "yes" : "no");
  } else if (gst_structure_has_name(s, "assetwritersink-file-complete")) {
    g_print("file complete: %s, %" G_GUINT64_FORMAT " bytes, %.3f s, %" G_GUINT64_FORMAT " fragments\n",
            gst_structure_get_string(s, "location"), uint64_field(s, "size"), seconds(uint64_field(s, "duration")),
            uint64_field(s, "fragments"));
  }
}

static gboolean on_message(GstBus *bus, GstMessage *message, gpointer data) {
  Recorder *r = data;
  (void)bus;
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ELEMENT: {
      const GstStructure *s = gst_message_get_structure(message);
      if (s) on_element_message(s);
      break;
    }
    case GST_MESSAGE_ERROR: {
      GError *error = NULL;
      gchar *debug = NULL;
      gst_message_parse_error(message, &error, &debug);
      g_printerr("error from %s: %s (%s)\n", GST_OBJECT_NAME(message->src), error->message, debug ? debug : "");
      g_clear_error(&error);
      g_free(debug);
      r->failed = TRUE;
      g_main_loop_quit(r->loop);
      break;
    }
    case GST_MESSAGE_WARNING: {
      GError *warning = NULL;
      gst_message_parse_warning(message, &warning, NULL);
      g_printerr("warning from %s: %s\n", GST_OBJECT_NAME(message->src), warning->message);
      g_clear_error(&warning);
      break;
    }
    case GST_MESSAGE_EOS:
      g_print("EOS: the file is complete\n");
      g_main_loop_quit(r->loop);
      break;
    default: break;
  }
  return G_SOURCE_CONTINUE;
}

int main(int argc, char **argv) {
  /* Progress lines are read by people and by programs watching the output: one write per line. */
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc != 2 && argc != 3) {
    g_printerr("usage: %s OUTPUT.mp4 [SECONDS]\n", argv[0]);
    return 2;
  }
  const double duration_s = argc == 3 ? g_ascii_strtod(argv[2], NULL) : 10.0;
  if (!(duration_s > 0)) {
    g_printerr("error: SECONDS must be a positive number, not '%s'\n", argv[2]);
    return 2;
  }
  gst_init(&argc, &argv);

  GError *error = NULL;
  Recorder r = {0};
  r.pipeline = gst_parse_launch(kPipeline, &error);
  if (!r.pipeline || error) {
    g_printerr("error: %s (is GST_PLUGIN_PATH set to build/gst?)\n", error ? error->message : "no pipeline");
    g_clear_error(&error);
    if (r.pipeline) gst_object_unref(r.pipeline);
    return 1;
  }
  /* Set as a property rather than in the description: no quoting of the path. */
  GstElement *sink = gst_bin_get_by_name(GST_BIN(r.pipeline), "sink");
  g_object_set(sink, "location", argv[1], NULL);
  gst_object_unref(sink);

  r.loop = g_main_loop_new(NULL, FALSE);
  GstBus *bus = gst_element_get_bus(r.pipeline);
  const guint bus_watch = gst_bus_add_watch(bus, on_message, &r);

  if (gst_element_set_state(r.pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    /* The element's ERROR (an unwritable location, ...) says why. */
    GstMessage *message = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR);
    if (message) {
      on_message(bus, message, &r);
      gst_message_unref(message);
    }
    g_printerr("error: the pipeline does not start\n");
    r.failed = TRUE;
  } else {
    g_print("recording for %g s (Ctrl-C to stop earlier)\n", duration_s);
    g_timeout_add((guint)(duration_s * 1000), on_time_up, &r);
    g_unix_signal_add(SIGINT, on_sigint, &r);
    g_unix_signal_add(SIGTERM, on_sigterm, &r);
    g_main_loop_run(r.loop);
  }

  gst_element_set_state(r.pipeline, GST_STATE_NULL);
  g_source_remove(bus_watch);
  gst_object_unref(bus);
  gst_object_unref(r.pipeline);
  g_main_loop_unref(r.loop);
  return r.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
