#!/usr/bin/env python3
"""Bad input and faults end the pipeline with an ERROR (or a clean EOS), never a hang."""
import os
import resource
import stat
import signal
import subprocess
import time

import e2e_util as e


def unwritable_location(tap):
    location = "/nonexistent/x.mp4"
    result = e.our_mux([e.H264], location, timeout=30)
    err = result.stderr.decode(errors="replace") + result.stdout.decode(errors="replace")
    tap.ok(not result.timed_out, "unwritable location: the pipeline does not hang")
    tap.ok(result.returncode not in (0, None), "unwritable location: gst-launch fails", result.describe())
    tap.ok("ERROR" in err and location in err, "unwritable location: an ERROR names the path",
           err.strip().splitlines()[-3:] if err.strip() else "no output")


def fifo_location(tap):
    """A FIFO (as any non-regular file) named as the location: an ERROR naming it, and it is left in place
    (issue 22: the sink unlinked it when writing failed at start, in plain mode and moov-first)."""
    for label, props in (("plain", ""), ("moov-first", "reserved-moov-size=65536")):
        fifo = tap.path(f"{label}.fifo")
        os.mkfifo(fifo)
        result = e.our_mux([e.H264], fifo, props, timeout=30)
        err = result.stderr.decode(errors="replace") + result.stdout.decode(errors="replace")
        tap.ok(not result.timed_out and result.returncode not in (0, None),
               f"{label}: a FIFO as location fails without hanging", result.describe())
        tap.ok("ERROR" in err and fifo in err and "not a regular file" in err,
               f"{label}: an ERROR names the FIFO and why", err.strip().splitlines()[-3:] if err.strip() else "")
        tap.ok(os.path.exists(fifo) and stat.S_ISFIFO(os.stat(fifo).st_mode),
               f"{label}: the FIFO is still there")


def eos_without_data(tap):
    path = tap.path("empty.mp4")
    result = e.gst_launch(f"videotestsrc num-buffers=0 ! video/x-raw,width=320,height=240,framerate=30/1 ! "
                          f"x264enc ! h264parse ! assetwritersink location={path}", timeout=30)
    tap.ok(not result.timed_out, "EOS with no data: the pipeline ends by itself", result.describe())
    tap.ok(result.returncode == 0, "EOS with no data: the pipeline ends with a clean EOS", result.describe())
    text = (result.stdout + result.stderr).decode(errors="replace")
    # Either a (trackless) file that ffprobe reads, or a WARNING that nothing was written: never silence.
    said = "WARNING" in text and "empty.mp4" in text
    readable = os.path.exists(path) and e.ffprobe(path, count_frames=False) is not None
    tap.ok(said or readable, "EOS with no data: a WARNING says nothing was written (or the file is readable)",
           text.strip().splitlines()[-3:] if text.strip() else "no output")


def interrupted_before_eos(tap):
    """Stopping a live pipeline (NULL before EOS) still finalises a playable file."""
    path = tap.path("interrupted.mp4")
    cmd = ["gst-launch-1.0", "videotestsrc", "is-live=true", "!",
           "video/x-raw,width=320,height=240,framerate=30/1", "!", "x264enc", "tune=zerolatency", "!", "h264parse",
           "!", "assetwritersink", f"location={path}"]
    # gst-launch stops reading the bus once it goes to NULL, so the WARNING is seen in the debug log.
    env = dict(os.environ, GST_DEBUG="GST_ERROR_SYSTEM:4", GST_DEBUG_NO_COLOR="1")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env)
    time.sleep(2)
    proc.send_signal(signal.SIGINT)  # gst-launch without -e: straight to NULL, no EOS
    try:
        out, err = proc.communicate(timeout=20)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        timed_out = True
    tap.ok(not timed_out, "interrupted: gst-launch stops after SIGINT")
    text = (out + err).decode(errors="replace")
    warnings = [line for line in text.splitlines() if "posted warning message" in line]
    tap.ok(bool(warnings), "interrupted: a WARNING says the file was finalised without EOS",
           text.strip().splitlines()[-2:] if text.strip() else "no output")
    for line in warnings:
        tap.diag(line.split("posted warning message: ", 1)[-1])
    probe = e.ffprobe(path) if os.path.exists(path) else None
    frames = int(e.streams_of(probe, "video")[0].get("nb_read_frames", 0)) if probe and e.streams_of(probe, "video") \
        else 0
    tap.ok(frames > 0, "interrupted: the file is playable with the frames accepted so far", f"{frames} frames")
    if frames:
        e.check_decodes_cleanly(tap, "interrupted", path)


def write_error_mid_stream(tap):
    """A file-size limit (ulimit -f) makes writes fail part-way: an ERROR names the path, nothing hangs, and
    SIGXFSZ, left at its default (killing the process), is never raised: the writer checks the limit first."""
    path = tap.path("limited.mp4")
    limit = 64 * 1024

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)

    cmd = ["gst-launch-1.0", "-e"] + e.shlex.split(f"{e.H264} ! assetwritersink location={path}")
    result = e.run(cmd, timeout=60, preexec_fn=limit_file_size)
    text = (result.stdout + result.stderr).decode(errors="replace")
    tap.ok(not result.timed_out, "write error: the pipeline does not hang")
    tap.ok(result.returncode not in (0, None), "write error: gst-launch fails", f"exit {result.returncode}")
    tap.ok(result.returncode != -signal.SIGXFSZ, "write error: the process is not killed by SIGXFSZ",
           f"exit {result.returncode}")
    errors = [line for line in text.splitlines() if "ERROR" in line or "rror" in line]
    tap.ok(any("limited.mp4" in line and "File too large" in line for line in errors),
           "write error: the ERROR names the path and the system's reason", errors[-3:] if errors else text[-300:])


tap = e.Tap()
tap.check("unwritable location", lambda: unwritable_location(tap))
tap.check("FIFO location", lambda: fifo_location(tap))
tap.check("EOS with no data", lambda: eos_without_data(tap))
tap.check("interrupted", lambda: interrupted_before_eos(tap))
tap.check("write error", lambda: write_error_mid_stream(tap))
tap.finish()
