// Parses an init segment followed by each media segment with mp4box.js and prints one JSON line:
// {init: {brands, tracks: [{id, type, codec}]}, segments: [{file, errors, moofs, trafs, styp, samples: {id: n},
// tfdt: {id: t}}]}. Each segment is parsed on its own after the init segment, as an HLS or DASH client
// fetches it, so every segment must be complete and independently parseable.
//   node check_segments.js init.mp4 segment00000.m4s ...
"use strict";
const fs = require("fs");
const MP4Box = require("mp4box");

// mp4box.js reports malformed input through its logger (console.error) and onError.
const logged = [];
const originalError = console.error;
console.error = (...args) => logged.push(args.join(" "));

function arrayBuffer(data, fileStart) {
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  buffer.fileStart = fileStart;
  return buffer;
}

function parse(init, segment) {
  logged.length = 0;
  const errors = [];
  const file = MP4Box.createFile();
  const samples = {};
  let info = null;
  file.onError = e => errors.push(`onError: ${e}`);
  file.onReady = i => {
    info = i;
    for (const track of i.tracks) {
      samples[track.id] = 0;
      file.setExtractionOptions(track.id, null, { nbSamples: 1000000 });
    }
    file.start();
  };
  file.onSamples = (id, _user, list) => { samples[id] += list.length; };
  file.appendBuffer(arrayBuffer(init, 0));
  if (segment) file.appendBuffer(arrayBuffer(segment, init.length));
  file.flush();
  errors.push(...logged.filter(line => !/^\[\d+:\d+:\d+\.\d+\]\s*\[(?:BoxParser|ISOFile)\] (?:Parsing|Done)/.test(line)));
  if (!info) errors.push("no moov: onReady never called");
  const tfdt = {};
  let moofs = 0;
  let trafs = 0;
  for (const box of file.boxes) {
    if (box.type !== "moof") continue;
    moofs += 1;
    trafs += (box.trafs || []).length;
    for (const traf of box.trafs || []) {
      if (traf.tfdt && !(traf.tfhd.track_id in tfdt)) tfdt[traf.tfhd.track_id] = Number(traf.tfdt.baseMediaDecodeTime);
    }
  }
  return { file, info, errors, samples, moofs, trafs, tfdt, styp: file.boxes.some(b => b.type === "styp") };
}

function main() {
  const [initPath, ...segmentPaths] = process.argv.slice(2);
  const init = fs.readFileSync(initPath);
  const header = parse(init, null);
  const out = {
    init: {
      errors: header.errors,
      brands: header.info ? [header.info.brands].flat() : [],
      fragmented: header.info ? header.info.isFragmented : false,
      tracks: header.info ? header.info.tracks.map(t => ({ id: t.id, type: t.type, codec: t.codec,
                                                            timescale: t.timescale, samples: t.nb_samples })) : [],
    },
    segments: [],
  };
  for (const path of segmentPaths) {
    const r = parse(init, fs.readFileSync(path));
    out.segments.push({ file: path, errors: r.errors, moofs: r.moofs, trafs: r.trafs, styp: r.styp,
                        samples: r.samples, tfdt: r.tfdt });
  }
  console.error = originalError;
  process.stdout.write(JSON.stringify(out) + "\n");
}

main();
