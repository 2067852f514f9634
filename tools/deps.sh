# Sourced by demo.sh and run-tests.sh: the Debian 12 packages the build, the demo and the tests need, and
# an installer that calls apt-get only for the ones that are missing.

# Every program the tests and tools run (tests/*.py, gst/tests, lib/tests, tools/, fuzz/), and its package;
# coreutils' timeout and tail and the shell are always there:
#   meson, ninja                            meson, ninja-build
#   g++, pkg-config, readelf                g++ (and its binutils), pkg-config (e2e-install: docs/example.cc from the .pc)
#   gst-launch-1.0, gst-inspect-1.0         gstreamer1.0-tools
#   gst-discoverer-1.0                      gstreamer1.0-plugins-base-apps (e2e-text-tracks)
#   ffprobe, ffmpeg                         ffmpeg
#   mediainfo                               mediainfo (e2e-codecs, e2e-text-tracks)
#   python3                                 python3 (every e2e script)
#   cc                                      gcc (e2e-examples: docs/examples/record.c from pkg-config's flags)
#   python3's gi (PyGObject) with Gst       python3-gi, gir1.2-gstreamer-1.0, gir1.2-gst-plugins-base-1.0
#                                           (e2e-examples: docs/examples/record.py)
#   clang++, libFuzzer                      clang, libclang-rt-14-dev (build-fuzz/)
#   chromium                                chromium (e2e-segments, driven by playwright-core)
#   node, npm                               nodejs, npm (e2e-segments; see below)
# The pipelines' elements (x264enc, x265enc, vp9enc, av1enc, avenc_aac, avenc_ac3, avenc_prores_ks, opusenc,
# flacenc, lamemp3enc, jpegenc, qtmux, qtdemux, ...) come from the plugin sets and gstreamer1.0-libav.
AW_PACKAGES=(
  meson ninja-build pkg-config g++ libgtest-dev libssl-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-base-apps gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav
  ffmpeg mediainfo python3
  gcc python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0  # docs/examples (e2e-examples)
  clang libclang-rt-14-dev  # libFuzzer for the fuzz pass (build-fuzz/)
  chromium
)
# tests/test_segments.py runs hls.js, mp4box.js and playwright-core (tests/web, npm ci) under Node.js. A
# machine that has node and npm already keeps them (NodeSource's nodejs ships npm and conflicts with
# Debian's npm package); elsewhere Debian's nodejs and npm are installed.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  AW_PACKAGES+=(nodejs npm)
fi

aw_install_missing() {
  local missing=() pkg
  for pkg in "${AW_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "deps: all ${#AW_PACKAGES[@]} packages present"
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "deps: missing ${missing[*]}; run as root or install sudo" >&2
      return 1
    fi
    sudo=(sudo)
  fi
  echo "deps: installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# aw_build ROOT DIR [MESON OPTIONS...]: configures ROOT/DIR once with the options, then builds it.
aw_build() {
  local root=$1 dir=$2
  shift 2
  if [ ! -f "$root/$dir/build.ninja" ]; then
    meson setup "$root/$dir" "$root" "$@" || return 1
  fi
  ninja -C "$root/$dir"
}
