#!/usr/bin/env python3
"""sync-fragments: which files a pipeline fdatasyncs, seen through an LD_PRELOAD shim (tests/sync_counter.cc).

Automatic (the default): fragments and segment files are synced when a source upstream is live (what was
recorded exists nowhere else) and not for a remux, whose input is still there; true and false force it.
"""
import os
import shlex

import e2e_util as e

H264 = ("videotestsrc num-buffers=60 {live} ! video/x-raw,width=160,height=120,framerate=30/1 ! "
        "x264enc key-int-max=15 speed-preset=ultrafast tune=zerolatency ! h264parse")


def synced_files(t, name, pipeline):
    """Runs a gst-launch pipeline under the shim; returns (result, {path: fdatasync calls})."""
    log = t.path(name + ".sync.log")
    env = dict(os.environ, AW_SYNC_LOG=log)
    # The sanitizer pass preloads its runtime first: keep it in front.
    env["LD_PRELOAD"] = " ".join(p for p in (os.environ.get("LD_PRELOAD"), os.environ["AW_SYNC_COUNTER"]) if p)
    result = e.run(["gst-launch-1.0", "-e"] + shlex.split(pipeline), env=env)
    counts = {}
    if os.path.exists(log):
        with open(log) as f:
            for line in f:
                call, _, path = line.rstrip("\n").partition(" ")
                if call == "fdatasync":
                    counts[path] = counts.get(path, 0) + 1
    return result, counts


def calls_under(counts, directory):
    return sum(n for path, n in counts.items() if path.startswith(directory))


def main():
    t = e.Tap()
    cases = [
        # name, live source, extra properties, synced?
        ("remux-auto", False, "", False),
        ("live-auto", True, "", True),
        ("remux-forced", False, "sync-fragments=true", True),
        ("live-off", True, "sync-fragments=false", False),
    ]
    for name, live, props, synced in cases:
        out = t.path(name + ".mp4")
        source = H264.format(live="is-live=true" if live else "")
        result, counts = synced_files(
            t, name, f"{source} ! assetwritersink location={out} fragment-interval=500000000 {props}")
        t.ok(result.ok, f"{name}: the pipeline ends", result.describe())
        calls = counts.get(out, 0)
        if synced:
            data = open(out, "rb").read() if os.path.exists(out) else b""
            fragments = sum(1 for box in e.boxes_in(data, 0, len(data)) if box[0] == "moof")
            t.ok(fragments >= 2 and calls >= fragments,
                 f"{name}: every fragment is fdatasynced ({calls} calls, {fragments} fragments)", str(counts))
        else:
            t.ok(calls == 0, f"{name}: no fdatasync of the output ({calls} calls)", str(counts))
        probe = e.ffprobe(out)
        video = e.streams_of(probe, "video") if probe else []
        t.ok(bool(video) and int(video[0].get("nb_read_frames", 0)) == 60, f"{name}: ffprobe reads 60 frames",
             str(video[:1]))

    # Segment files follow the same rule (each is fsynced before its rename).
    for name, live, synced in (("segments-remux", False, False), ("segments-live", True, True)):
        directory = t.path(name)
        os.makedirs(directory)
        source = H264.format(live="is-live=true" if live else "")
        result, counts = synced_files(
            t, name, f"{source} ! assetwritersink segment-interval=500000000 "
            f"location={directory}/segment%05d.m4s init-location={directory}/init.mp4 "
            f"playlist-location={directory}/index.m3u8")
        t.ok(result.ok, f"{name}: the pipeline ends", result.describe())
        calls = calls_under(counts, directory)
        t.ok((calls > 0) == synced, f"{name}: segment files {'are' if synced else 'are not'} synced ({calls} calls)",
             str(counts))

    inspect = e.run(["gst-inspect-1.0", "assetwritersink"])
    text = inspect.stdout.decode(errors="replace")
    described = text[text.find("sync-fragments"):][:600]
    t.ok(inspect.ok and 'Default: 2, "auto"' in described, "gst-inspect shows sync-fragments defaulting to auto",
         described or inspect.describe())
    t.finish()


if __name__ == "__main__":
    main()
