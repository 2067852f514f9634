#!/usr/bin/env python3
"""Regenerates the seed corpora under fuzz/corpus/ from real encoders (ffmpeg's libx264, libx265, libaom,
aac, libopus, flac, alac, ac3, eac3): each seed is a configuration record exactly as an encoder or muxer
hands it over (avcC, hvcC, AudioSpecificConfig, av1C and a first temporal unit, OpusHead, FLAC metadata
blocks, the ALAC cookie, an AC-3 / E-AC-3 syncframe), plus composite seeds for the make_track_format and
writer-API targets. Usage: fuzz/make_seeds.py [corpus dir] (default: fuzz/corpus next to this script).
"""
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def boxes(data, start=0, end=None):
    """(type, payload offset, payload end) of the boxes in data[start:end]."""
    pos, end = start, len(data) if end is None else end
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        header = 8
        if size == 1:
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header:
            return
        yield kind.decode("latin-1"), pos + header, pos + size
        pos += size


# Where the children of a box start, relative to its payload.
CHILD_SKIP = {"moov": 0, "trak": 0, "mdia": 0, "minf": 0, "stbl": 0, "stsd": 8, "avc1": 78, "hvc1": 78,
              "hev1": 78, "av01": 78, "mp4a": 28, "alac": 28, "Opus": 28, "fLaC": 28}


def find_box(data, path, start=0, end=None):
    head, _, rest = path.partition("/")
    for kind, pstart, pend in boxes(data, start, end):
        if kind != head:
            continue
        if not rest:
            return data[pstart:pend]
        found = find_box(data, rest, pstart + CHILD_SKIP.get(kind, 0), pend)
        if found is not None:
            return found
    return None


def entry_config(path, entry, box):
    data = open(path, "rb").read()
    found = find_box(data, f"moov/trak/mdia/minf/stbl/stsd/{entry}/{box}")
    if found is None:
        raise SystemExit(f"{path}: no {entry}/{box}")
    return found


def first_sample(path):
    """The first sample of the first track of a plain mp4 (stco/stsz)."""
    data = open(path, "rb").read()
    stco = find_box(data, "moov/trak/mdia/minf/stbl/stco")
    stsz = find_box(data, "moov/trak/mdia/minf/stbl/stsz")
    offset = struct.unpack(">I", stco[8:12])[0]
    size = struct.unpack(">I", stsz[4:8])[0] or struct.unpack(">I", stsz[12:16])[0]
    return data[offset:offset + size]


def asc_from_esds(esds):
    """The DecoderSpecificInfo (tag 5) inside an esds payload (after version/flags)."""
    pos = 4
    while pos < len(esds):
        tag = esds[pos]
        pos += 1
        length = 0
        while True:
            b = esds[pos]
            pos += 1
            length = length << 7 | (b & 0x7f)
            if not b & 0x80:
                break
        if tag == 3:
            flags = esds[pos + 2]
            pos += 3 + (2 if flags & 0x80 else 0) + (esds[pos + 3] + 1 if flags & 0x40 else 0) + (2 if flags & 0x20 else 0)
        elif tag == 4:
            pos += 13
        elif tag == 5:
            return esds[pos:pos + length]
        else:
            pos += length
    raise SystemExit("esds without DecoderSpecificInfo")


def ogg_packets(data):
    """Packets of the first logical stream of an Ogg file (enough for OpusHead)."""
    pos, packet = 0, b""
    while pos + 27 <= len(data) and data[pos:pos + 4] == b"OggS":
        nseg = data[pos + 26]
        table = data[pos + 27:pos + 27 + nseg]
        body = pos + 27 + nseg
        for lace in table:
            packet += data[body:body + lace]
            body += lace
            if lace < 255:
                yield packet
                packet = b""
        pos = body


def first_syncframe(data):
    """Bytes up to the second 0x0B77 sync word of an AC-3 / E-AC-3 elementary stream."""
    nxt = data.find(b"\x0b\x77", 2)
    while nxt > 0 and nxt < 64:  # a sync word inside a tiny frame is not plausible
        nxt = data.find(b"\x0b\x77", nxt + 2)
    return data[:nxt] if nxt > 0 else data


def eac3_access_unit(data):
    """An E-AC-3 access unit: the first independent substream and any dependent ones that follow it."""
    pos, frames = 0, []
    while pos + 5 < len(data) and data[pos:pos + 2] == b"\x0b\x77":
        size = ((data[pos + 2] & 0x07) << 8 | data[pos + 3]) * 2 + 2
        strmtyp = data[pos + 2] >> 6
        if frames and strmtyp != 1:
            break
        frames.append(data[pos:pos + size])
        pos += size
    return b"".join(frames)


def av1_first_temporal_unit(data):
    """OBUs of a low-overhead .obu stream up to the second temporal delimiter."""
    pos, seen_td = 0, False
    while pos < len(data):
        header = data[pos]
        kind = header >> 3 & 0x0f
        if kind == 2:
            if seen_td:
                return data[:pos]
            seen_td = True
        p = pos + 1 + (1 if header & 0x04 else 0)
        size = shift = 0
        while True:
            b = data[p]
            p += 1
            size |= (b & 0x7f) << shift
            shift += 7
            if not b & 0x80:
                break
        pos = p + size
    return data


def save(corpus, target, name, blob):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(blob)


CODEC = {"h264": 0, "hevc": 1, "av1": 2, "vp9": 3, "prores": 4, "jpeg": 5, "aac": 6, "alac": 7, "opus": 8,
         "flac": 9, "ac3": 10, "eac3": 11, "mp3": 12, "pcm": 13, "tx3g": 14, "mebx": 15}


def track_format_seed(codec, config=b"", first=b"", in_band=False):
    """fuzz_track_format's input: codec, flags, 16 bytes of picture/sound details, config length, config,
    first sample (see fuzz_track_format.cc)."""
    details = struct.pack(">HHBBBBHBBBBH", 320, 240, 0, 8, 1, 1, 48000 & 0xffff, 2, 16, 1, 1, 0)
    return bytes([CODEC[codec], 1 if in_band else 0]) + details + struct.pack(">H", len(config)) + config + first


def box_reader_seeds(corpus, tmp):
    """Small movies as another muxer (ffmpeg's) writes them, for the box reader and the recovery parsers: a plain
    mp4 with an iTunes-style ilst, a fragmented one (a recording's layout), the same cut inside its last
    fragment, and a mov; then by hand, what ffmpeg does not write: QuickTime metadata (a meta without version
    and flags, keys, an ilst indexed by key) and the 64-bit and to-the-end sizes."""
    src = ["-f", "lavfi", "-i", "testsrc=size=32x32:rate=10:duration=0.5",
           "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000:duration=0.5",
           "-c:v", "libx264", "-g", "2", "-c:a", "aac", "-b:a", "16k", "-metadata", "title=seed"]
    movies = {
        "mp4-ilst": ("mp4", []),
        "mp4-fragmented": ("mp4", ["-movflags", "frag_keyframe+empty_moov+default_base_moof"]),
        "mov": ("mov", []),
    }
    for name, (ext, opts) in movies.items():
        out = os.path.join(tmp, f"{name}.{ext}")
        ffmpeg(*src, *opts, out)
        data = open(out, "rb").read()
        save(corpus, "box_reader", name, data)
        if name == "mp4-fragmented":
            save(corpus, "box_reader", "mp4-fragmented-torn", data[:len(data) - 100])

    def box(kind, payload):
        return struct.pack(">I4s", 8 + len(payload), kind) + payload

    keys = struct.pack(">II", 0, 1) + box(b"mdta", b"com.apple.quicktime.title")
    item = box(struct.pack(">I", 1), box(b"data", struct.pack(">II", 1, 0) + b"seed"))
    hdlr = box(b"hdlr", bytes(8) + b"mdta" + bytes(13))
    save(corpus, "box_reader", "udta-quicktime-meta", box(b"udta", box(b"meta", hdlr + box(b"keys", keys) + box(b"ilst", item))))
    ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 0) + b"isom")
    largesize = struct.pack(">I4sQ", 1, b"mdat", 16 + 4) + b"\x00\x01\x02\x03"
    save(corpus, "box_reader", "largesize-and-to-end", ftyp + largesize + struct.pack(">I4s", 0, b"free") + bytes(4))


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
    tmp = tempfile.mkdtemp(prefix="aw-seeds-")
    src_v = ["-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=0.2"]
    src_a = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=0.2"]
    records = {}

    # H.264: baseline, main, high (with the avcC extension), 4:4:4, cropped 1080p, interlaced.
    h264 = {
        "baseline": ["-profile:v", "baseline", "-pix_fmt", "yuv420p"],
        "main": ["-profile:v", "main", "-pix_fmt", "yuv420p"],
        "high": ["-profile:v", "high", "-pix_fmt", "yuv420p"],
        "high444": ["-profile:v", "high444", "-pix_fmt", "yuv444p"],
        "high10": ["-profile:v", "high10", "-pix_fmt", "yuv420p10le"],
        "interlaced": ["-pix_fmt", "yuv420p", "-flags", "+ildct+ilme", "-x264opts", "interlaced=1"],
    }
    for name, opts in h264.items():
        out = os.path.join(tmp, f"h264-{name}.mp4")
        size = "1920x1080" if name == "interlaced" else "320x240"
        ffmpeg("-f", "lavfi", "-i", f"testsrc=size={size}:rate=30:duration=0.1", "-c:v", "libx264", *opts, out)
        avcc = entry_config(out, "avc1", "avcC")
        records[f"h264-{name}"] = (avcc, first_sample(out))
        save(corpus, "avc", f"avcc-{name}", avcc)
        sps_len = struct.unpack(">H", avcc[6:8])[0]
        save(corpus, "avc", f"sps-{name}", b"S" + avcc[8:8 + sps_len])

    for name, opts in {"main": ["-pix_fmt", "yuv420p"], "main10": ["-pix_fmt", "yuv420p10le"],
                       "rext444": ["-pix_fmt", "yuv444p"]}.items():
        out = os.path.join(tmp, f"hevc-{name}.mp4")
        ffmpeg(*src_v, "-c:v", "libx265", "-x265-params", "log-level=error", "-tag:v", "hvc1", *opts, out)
        hvcc = entry_config(out, "hvc1", "hvcC")
        records[f"hevc-{name}"] = (hvcc, first_sample(out))
        save(corpus, "hevc", f"hvcc-{name}", hvcc)
        # The SPS NAL unit of the record's arrays (type 33).
        pos, n = 23, hvcc[22]
        for _ in range(n):
            kind, count = hvcc[pos] & 0x3f, struct.unpack(">H", hvcc[pos + 1:pos + 3])[0]
            pos += 3
            for _ in range(count):
                length = struct.unpack(">H", hvcc[pos:pos + 2])[0]
                if kind == 33:
                    save(corpus, "hevc", f"sps-{name}", b"S" + hvcc[pos + 2:pos + 2 + length])
                pos += 2 + length
        # An in-band access unit with 4-byte lengths holding the parameter sets (hev1 without a record).
        save(corpus, "hevc", f"au-{name}", b"A" + first_sample(out)[:4096])

    for name, opts in {"lc-48k-stereo": ["-ac", "2"], "lc-48k-mono": ["-ac", "1"],
                       "lc-22050-5.1": ["-ac", "6", "-ar", "22050"]}.items():
        out = os.path.join(tmp, f"aac-{name}.mp4")
        ffmpeg(*src_a, "-c:a", "aac", *opts, out)
        asc = asc_from_esds(entry_config(out, "mp4a", "esds"))
        records[f"aac-{name}"] = (asc, b"")
        save(corpus, "aac", name, asc)
    # HE-AAC records as fdk-aac and Apple's encoder write them (explicit and backward-compatible SBR, PS).
    for name, hexed in {"he-explicit-44100": "2b920800", "he-v2-explicit": "eb098800",
                        "he-implicit-sync": "121056e598", "eld-48k": "f8e62000", "lc-960": "1214"}.items():
        save(corpus, "aac", name, bytes.fromhex(hexed))

    for enc, opts in {"aom": ["-c:v", "libaom-av1", "-cpu-used", "8"], "svt": ["-c:v", "libsvtav1"]}.items():
        out_mp4 = os.path.join(tmp, f"av1-{enc}.mp4")
        out_obu = os.path.join(tmp, f"av1-{enc}.obu")
        ffmpeg(*src_v, *opts, "-pix_fmt", "yuv420p", out_mp4)
        ffmpeg("-i", out_mp4, "-c", "copy", "-f", "obu", out_obu)
        av1c = entry_config(out_mp4, "av01", "av1C")
        tu = av1_first_temporal_unit(open(out_obu, "rb").read())
        records[f"av1-{enc}"] = (av1c, tu)
        save(corpus, "av1", f"av1c-{enc}", b"C" + av1c)
        save(corpus, "av1", f"tu-{enc}", b"T" + tu[:4096])

    for name, opts in {"stereo": ["-ac", "2"], "mono": ["-ac", "1"], "5.1": ["-ac", "6"]}.items():
        out = os.path.join(tmp, f"opus-{name}.opus")
        ffmpeg(*src_a, "-c:a", "libopus", *opts, out)
        head = next(ogg_packets(open(out, "rb").read()))
        records[f"opus-{name}"] = (head, b"")
        save(corpus, "opus", name, head)

    for name, opts in {"16bit-stereo": ["-ac", "2"], "24bit-mono": ["-ac", "1", "-sample_fmt", "s32"]}.items():
        out = os.path.join(tmp, f"flac-{name}.flac")
        ffmpeg(*src_a, "-c:a", "flac", *opts, out)
        data = open(out, "rb").read()
        pos = 4
        while True:
            last, length = data[pos] & 0x80, int.from_bytes(data[pos + 1:pos + 4], "big")
            pos += 4 + length
            if last:
                break
        records[f"flac-{name}"] = (data[4:pos], b"")
        save(corpus, "flac", name, data[4:pos])
        save(corpus, "flac", f"{name}-with-marker", data[:pos])

    for name, opts in {"16bit-stereo": ["-ac", "2"], "24bit-5.1": ["-ac", "6", "-sample_fmt", "s32p"]}.items():
        out = os.path.join(tmp, f"alac-{name}.m4a")
        ffmpeg(*src_a, "-c:a", "alac", *opts, out)
        inner = entry_config(out, "alac", "alac")  # version/flags + ALACSpecificConfig
        cookie = struct.pack(">I4s", len(inner) + 8, b"alac") + inner
        records[f"alac-{name}"] = (cookie, b"")
        save(corpus, "alac", f"{name}-atom", cookie)
        save(corpus, "alac", f"{name}-bare", inner[4:])

    for codec, channels in (("ac3", "2"), ("ac3", "6"), ("eac3", "2"), ("eac3", "6")):
        out = os.path.join(tmp, f"{codec}-{channels}.{codec}")
        ffmpeg(*src_a, "-c:a", codec, "-ac", channels, "-f", codec, out)
        data = open(out, "rb").read()
        frame = first_syncframe(data) if codec == "ac3" else eac3_access_unit(data)
        records[f"{codec}-{channels}ch"] = (b"", frame)
        save(corpus, codec, f"{channels}ch", frame)

    # make_track_format seeds: every codec with a real record (and first sample where one is used).
    for name, (config, first) in records.items():
        codec = name.split("-")[0]
        save(corpus, "track_format", name, track_format_seed(codec, config, first[:2048]))
    save(corpus, "track_format", "h264-in-band", track_format_seed("h264", b"", records["h264-high"][1][:2048], True))
    save(corpus, "track_format", "hevc-in-band", track_format_seed("hevc", b"", records["hevc-main"][1][:2048], True))
    for codec in ("vp9", "prores", "jpeg", "mp3", "pcm", "tx3g"):
        save(corpus, "track_format", codec, track_format_seed(codec))
    save(corpus, "track_format", "mebx", track_format_seed("mebx", b"com.apple.quicktime.location.ISO6709"))

    # Metadata: key, file type, language, then UTF-8 text (see fuzz_metadata.cc).
    for i, text in enumerate([b"Title", "Ünïcødé tïtle ✓".encode(), b"2026-11-25T10:00:00Z", b"x" * 300,
                              b"\xff\xfe invalid utf-8 \xc3", "日本語のタイトル".encode()]):
        save(corpus, "metadata", f"item-{i}", bytes([i % 9, i % 5]) + b"eng" + text)

    # Writer API programs (see fuzz_writer_api.cc): header (mode, file type, settings, inputs - 1, then format
    # and options per input), then operations: 0x2_ start_writing, 0x3_ t start_session, 0x1k n size a run of
    # n samples on input k, 0x0k flags delta size one sample, 0x5k mark input k finished, 0x6_ finish,
    # 0x7_ cancel, 0xa_ flush_segment, 0xek which change_format.
    start = bytes([0x20, 0x30, 0x00])
    av_runs = bytes([0x10, 30, 200, 0x11, 45, 100]) * 4
    programs = {
        "plain-h264-aac": bytes([0, 1, 0, 1, 0x00, 0, 0x12, 0]) + start + av_runs + bytes([0x50, 0x51, 0x60]),
        "fragmented-hevc-opus": bytes([1, 1, 0, 1, 0x01, 0, 0x13, 0]) + start + av_runs + bytes([0x60]),
        "network-av1-flac": bytes([2, 1, 0x0c, 1, 0x08, 0, 0x14, 0]) + start + av_runs + bytes([0x60]),
        "crash-safe-mov-prores-pcm": bytes([3, 0, 0, 1, 0x0a, 0, 0x1d, 0]) + start + av_runs * 2 + bytes([0x60]),
        "combinable-ac3": bytes([4, 1, 5, 0, 0x16, 0]) + start + bytes([0x10, 60, 40]) + bytes([0x60]),
        "segments-cmaf": bytes([5, 1, 3, 1, 0x00, 0, 0x12, 0]) + start + av_runs + bytes([0xa0]) + av_runs + bytes([0x60]),
        "bframes-3gp": bytes([0, 4, 0, 0, 0x00, 0]) + start
        + b"".join(bytes([0x00, 0x07 if i % 8 == 0 else 0x06, i % 4, 50]) for i in range(40)) + bytes([0x60]),
        "backwards-and-extremes": bytes([0, 1, 0, 1, 0x00, 0x03, 0x22, 0]) + start
        + bytes([0x10, 10, 20, 0x00, 0x09, 2, 10, 0xd0, 5, 2, 0xd1, 5, 3, 0x11, 10, 20]) + bytes([0x60]),
        "late-input-and-settings": bytes([0, 1, 0, 0, 0x00, 0]) + start
        + bytes([0x10, 10, 20, 0x90, 0x02, 0x00, 0xb0, 5, 0xb3, 5, 0x81, 4]) + b"abcd" + bytes([0x60]),
        "cancel": bytes([2, 1, 0, 0, 0x00, 0]) + start + bytes([0x10, 20, 50, 0x70]),
        "config-from-input": bytes([0, 1, 0, 0, 0x00, 0x80, 7]) + bytes.fromhex("01640014ffe100") + start
        + bytes([0x10, 10, 10, 0x60]),
        # 0xek which: change_format of input k (which 0x40: H.264 at 640x480; 0x00: back to the first record).
        "format-change-h264": bytes([0, 1, 0, 0, 0x00, 0]) + start
        + bytes([0x10, 20, 100, 0xe0, 0x40, 0x10, 20, 100, 0xe0, 0x00, 0x10, 10, 100, 0x60]),
    }
    for name, blob in programs.items():
        save(corpus, "writer_api", name, blob)

    box_reader_seeds(corpus, tmp)
    print(f"seeds written under {corpus}")


if __name__ == "__main__":
    main()
