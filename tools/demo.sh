#!/usr/bin/env bash
# Installs what is missing, builds into build/, writes demo.mp4 (5 s of H.264 + AAC) with assetwritersink
# from a real pipeline, and shows what ffprobe sees in it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/tools/deps.sh"

aw_install_missing
aw_build "$root" build

export GST_PLUGIN_PATH="$root/build/gst${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
out="$root/demo.mp4"
rm -f "$out"
timeout 120 gst-launch-1.0 -e \
  videotestsrc pattern=ball num-buffers=150 \
    ! video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! x264enc ! h264parse \
    ! assetwritersink name=sink location="$out" \
  audiotestsrc wave=ticks num-buffers=216 samplesperbuffer=1024 \
    ! audio/x-raw,rate=44100,channels=2 ! avenc_aac ! aacparse ! sink.

echo
echo "== ffprobe $out"
ffprobe -hide_banner "$out"
