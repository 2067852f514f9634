#!/usr/bin/env bash
# Generates the benchmark inputs once into bench/inputs/ (git-ignored; media is never committed).
#   large.mp4  5 min 1920x1080 30 fps H.264 (x264 ultrafast, 3 B-frames, ~20 Mbit/s) + 48 kHz stereo AAC
#   small.mp4  5 min  160x90 240 fps H.264 (x264 ultrafast, 2 B-frames) + 48 kHz AAC (1024-sample frames):
#              72,000 video + ~14,000 audio samples, the many-small-samples case
# ffmpeg's encoders are used because x264enc/avenc_aac through GStreamer are 2-3x slower on 2 cores; the
# muxers under test only see the demuxed, already-encoded samples. Set BENCH_SECONDS for shorter inputs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/inputs"
seconds=${BENCH_SECONDS:-300}
mkdir -p "$out"

gen() {  # name size rate video-bitrate x264-params
  local name=$1 size=$2 rate=$3 bitrate=$4 params=$5
  local file="$out/$name.mp4"
  if [[ -s "$file" && -f "$file.done-$seconds" ]]; then return; fi
  echo "generating $file ($seconds s of ${size}@${rate} + AAC)..." >&2
  rm -f "$file" "$file".done-*
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=$size:rate=$rate" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -t "$seconds" -map 0:v -map 1:a \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -b:v "$bitrate" -x264-params "$params" \
    -c:a aac -b:a 128k -ac 2 "$file"
  touch "$file.done-$seconds"
}

gen large 1920x1080 30 20M bframes=3:b-adapt=0:keyint=60
gen small 160x90 240 200k bframes=2:b-adapt=0:keyint=240
ls -la "$out"/*.mp4 >&2
