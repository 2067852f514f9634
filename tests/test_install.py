#!/usr/bin/env python3
"""`meson install` into a scratch DESTDIR installs what a GStreamer project does: the shared library with its
SONAME, the public headers and assetwriter.pc, enough to build docs/example.cc with g++ and
`pkg-config --cflags --libs assetwriter` alone; the plugin in <libdir>/gstreamer-1.0, where gst-inspect-1.0
finds assetwritersink; and aw-recover.

Arguments: the meson command, the build directory, docs/example.cc.
"""
import json
import os
import re
import sys

import e2e_util as e


def build_options(meson, builddir):
    result = e.run([meson, "introspect", "--buildoptions", builddir], timeout=60)
    if not result.ok:
        raise RuntimeError(result.describe())
    return {option["name"]: option["value"] for option in json.loads(result.stdout)}


def inside(destdir, path):
    """<destdir><path> for an absolute install path, as DESTDIR lays it out."""
    return os.path.join(destdir, path.lstrip("/"))


def without_build_libraries():
    """The environment less the LD_LIBRARY_PATH meson test sets to the build's libraries: what is installed
    must run without them."""
    env = dict(os.environ)
    env.pop("LD_LIBRARY_PATH", None)
    return env


def readelf_dynamic(path):
    result = e.run(["readelf", "-d", path], timeout=30)
    return result.stdout.decode(errors="replace") if result.ok else ""


def check_library(tap, libdir, includedir):
    shared = os.path.join(libdir, "libassetwriter.so")
    tap.ok(os.path.islink(shared), "library: libassetwriter.so is a link for the linker", shared)
    real = os.path.realpath(shared)
    tap.ok(re.fullmatch(r"libassetwriter\.so\.\d+\.\d+\.\d+", os.path.basename(real)) is not None,
           "library: the link points at a versioned file", real)
    soname = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", readelf_dynamic(real))
    tap.equal(soname.group(1) if soname else None, "libassetwriter.so.0", "library: its SONAME")
    tap.ok(os.path.exists(os.path.join(libdir, "libassetwriter.so.0")), "library: the SONAME link exists")
    headers = os.path.join(includedir, "assetwriter", "aw")
    names = sorted(os.listdir(headers)) if os.path.isdir(headers) else []
    tap.ok("asset_writer.h" in names and "status.h" in names,
           "headers: the public API under include/assetwriter/aw", ", ".join(names) or headers)


def check_example(tap, destdir, libdir, example, sanitize):
    env = dict(without_build_libraries(), PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"),
               PKG_CONFIG_SYSROOT_DIR=destdir)
    env.pop("PKG_CONFIG_LIBDIR", None)
    flags = e.run(["pkg-config", "--cflags", "--libs", "assetwriter"], env=env, timeout=30)
    if not tap.ok(flags.ok, "pkg-config: assetwriter.pc is found and read", flags.describe()):
        return
    words = flags.stdout.decode().split()
    tap.ok(all(not w.startswith(("-I", "-L")) or w[2:].startswith(destdir) for w in words),
           "pkg-config: every path points into the install", " ".join(words))
    exe = tap.path("example")
    # The build's sanitizers are compiled into the installed library; a program linking it needs them too.
    sanitizers = [f"-fsanitize={sanitize}"] if sanitize and sanitize != "none" else []
    built = e.run(["g++", "-std=c++20"] + sanitizers + [example, "-o", exe] + words, timeout=180)
    if not tap.ok(built.ok, "example: g++ builds docs/example.cc with only the pkg-config flags", built.describe()):
        return
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", readelf_dynamic(exe))
    tap.ok("libassetwriter.so.0" in needed, "example: linked against the shared library", ", ".join(needed))
    out = tap.path("example.mp4")
    ran = e.run([exe, out], env=dict(without_build_libraries(), LD_LIBRARY_PATH=libdir), timeout=60)
    if not tap.ok(ran.ok, "example: runs against the installed library", ran.describe()):
        return
    probe = e.ffprobe(out, count_frames=False)  # placeholder payloads: read the structure, do not decode
    if not tap.ok(probe is not None, "example: ffprobe reads its file"):
        return
    codecs = sorted(s.get("codec_name") for s in probe.get("streams", []))
    tap.equal(codecs, ["aac", "h264"], "example: one h264 and one aac stream")


def check_plugin(tap, plugindir):
    plugin = os.path.join(plugindir, "libgstassetwriter.so")
    tap.ok(os.path.isfile(plugin), "plugin: installed in <libdir>/gstreamer-1.0", plugin)
    env = dict(without_build_libraries(), GST_PLUGIN_PATH=plugindir, GST_REGISTRY=tap.path("registry.bin"))
    inspect = e.run(["gst-inspect-1.0", "assetwritersink"], env=env, timeout=120)
    text = inspect.stdout.decode(errors="replace")
    tap.ok(inspect.ok and "Sink/Muxer" in text, "plugin: gst-inspect-1.0 finds assetwritersink", inspect.describe())
    filename = re.search(r"Filename\s+(\S+)", text)
    tap.equal(os.path.realpath(filename.group(1)) if filename else None, os.path.realpath(plugin),
              "plugin: the installed file is the one loaded")
    tap.ok("libassetwriter" not in readelf_dynamic(plugin), "plugin: carries the library (no LD_LIBRARY_PATH)")


def main(tap, meson, builddir, example):
    options = build_options(meson, builddir)
    prefix = options["prefix"]
    libdir = os.path.join(prefix, options["libdir"])
    includedir = os.path.join(prefix, options["includedir"])
    bindir = os.path.join(prefix, options["bindir"])
    destdir = tap.path("destdir")
    installed = e.run([meson, "install", "-C", builddir, "--no-rebuild", "--quiet", "--destdir", destdir],
                      timeout=120)
    if not tap.ok(installed.ok, "meson install --destdir succeeds", installed.describe()):
        return
    files = sorted(os.path.relpath(os.path.join(d, f), destdir) for d, _, fs in os.walk(destdir) for f in fs)
    tap.diag("installed:\n" + "\n".join(files))
    check_library(tap, inside(destdir, libdir), inside(destdir, includedir))
    tap.check("example", lambda: check_example(tap, destdir, inside(destdir, libdir), example,
                                               options.get("b_sanitize")))
    tap.check("plugin", lambda: check_plugin(tap, inside(destdir, os.path.join(libdir, "gstreamer-1.0"))))
    recover = inside(destdir, os.path.join(bindir, "aw-recover"))
    usage = e.run([recover, "--help"], env=without_build_libraries(), timeout=10)
    tap.ok(usage.ok and b"Usage: aw-recover" in usage.stdout, "aw-recover: installed in bindir and runs",
           usage.describe())


tap = e.Tap()
tap.check("install", lambda: main(tap, *sys.argv[1:4]))
tap.finish()
