#!/usr/bin/env python3
"""tests/hls_strict.py, the strict RFC 8216bis playlist parser, on its own: good playlists (RFC and Apple
examples, our LL-HLS shapes in byte-range and part-file mode) are accepted, and one bad playlist per rule is
rejected with an error naming the line and the rule; the disk checker finds missing files and byte ranges the
files do not have. Prints TAP."""
import os

import e2e_util as e
import hls_strict as strict

# The low-latency example of draft-pantos-hls-rfc8216bis (a delta update: EXT-X-SKIP; Apple's "Enabling
# Low-Latency HLS" prints the same playlist), copied as the spec shows it, comments and blank line included.
RFC_LL_EXAMPLE = """#EXTM3U
# Following the example above, this Playlist is a response to: GET https://example.com/2M/waitForMSN.php?_HLS_msn=273&_HLS_part=3&_HLS_skip=YES
#EXT-X-TARGETDURATION:4
#EXT-X-VERSION:10
#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.0,CAN-SKIP-UNTIL=24.0
#EXT-X-PART-INF:PART-TARGET=0.33334
#EXT-X-MEDIA-SEQUENCE:264
#EXT-X-SKIP:SKIPPED-SEGMENTS=3
#EXTINF:4.00008,
fileSequence267.mp4
#EXTINF:4.00008,
fileSequence268.mp4
#EXTINF:4.00008,
fileSequence269.mp4
#EXTINF:4.00008,
fileSequence270.mp4
""" + "".join(f'#EXT-X-PART:DURATION=0.33334,URI="filePart271.{i}.mp4"{",INDEPENDENT=YES" if i in (4, 8) else ""}\n'
              for i in range(12)) + """#EXTINF:4.00008,
fileSequence271.mp4
#EXT-X-PROGRAM-DATE-TIME:2019-02-14T02:14:00.106Z
""" + "".join(f'#EXT-X-PART:DURATION=0.33334,URI="filePart272.{c}.mp4"{",INDEPENDENT=YES" if c == "f" else ""}\n'
              for c in "abcdefghijkl") + """#EXTINF:4.00008,
fileSequence272.mp4
#EXT-X-PART:DURATION=0.33334,URI="filePart273.0.mp4",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.33334,URI="filePart273.1.mp4"
#EXT-X-PART:DURATION=0.33334,URI="filePart273.2.mp4"
#EXT-X-PART:DURATION=0.33334,URI="filePart273.3.mp4"
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="filePart273.4.mp4"

#EXT-X-RENDITION-REPORT:URI="../1M/waitForMSN.php",LAST-MSN=273,LAST-PART=3
#EXT-X-RENDITION-REPORT:URI="../4M/waitForMSN.php",LAST-MSN=273,LAST-PART=3
"""

# RFC 8216 §8.1, the simple media playlist.
RFC_SIMPLE = """#EXTM3U
#EXT-X-TARGETDURATION:10
#EXT-X-VERSION:3
#EXTINF:9.009,
http://media.example.com/first.ts
#EXTINF:9.009,
http://media.example.com/second.ts
#EXTINF:3.003,
http://media.example.com/third.ts
#EXT-X-ENDLIST
"""

# RFC 8216bis's multivariant playlist with alternative audio, as our one-track-per-header output has it.
MULTIVARIANT = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio_0",DEFAULT=YES,AUTOSELECT=YES,URI="audio_0/index.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=800000,CODECS="avc1.64001e,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30.000,AUDIO="audio"
video_0/index.m3u8
"""

# Our byte-range LL-HLS shape: two complete segments, the second with its parts, and the one being written.
# Line numbers matter: the bad cases below replace single lines.
GOOD_LL = """#EXTM3U
#EXT-X-VERSION:9
#EXT-X-TARGETDURATION:2
#EXT-X-PART-INF:PART-TARGET=0.5
#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5
#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-MAP:URI="init.mp4"
#EXT-X-PROGRAM-DATE-TIME:2026-12-03T18:00:00.000Z
#EXTINF:2.000,
seg1.m4s
#EXT-X-PART:DURATION=0.500,URI="seg2.m4s",BYTERANGE="100@0",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.500,URI="seg2.m4s",BYTERANGE="80@100"
#EXT-X-PART:DURATION=0.500,URI="seg2.m4s",BYTERANGE="90@180"
#EXT-X-PART:DURATION=0.500,URI="seg2.m4s",BYTERANGE="70@270"
#EXTINF:2.000,
seg2.m4s
#EXT-X-PART:DURATION=0.500,URI="seg3.m4s",BYTERANGE="120@0",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.500,URI="seg3.m4s",BYTERANGE="60"
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg3.m4s",BYTERANGE-START=180
#EXT-X-RENDITION-REPORT:URI="../audio_0/index.m3u8",LAST-MSN=3,LAST-PART=1
"""
GOOD_LL_FILES = {"init.mp4": 700, "seg1.m4s": 500, "seg2.m4s": 340, "seg3.m4s": 190}

GOOD_PART_FILES = """#EXTM3U
#EXT-X-VERSION:9
#EXT-X-TARGETDURATION:2
#EXT-X-PART-INF:PART-TARGET=0.333
#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.0,HOLD-BACK=6.0
#EXT-X-MEDIA-SEQUENCE:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init.mp4"
#EXTINF:2.000,
segment00007.m4s
#EXT-X-PART:DURATION=0.333,URI="segment00008.0.m4s",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.300,URI="segment00008.1.m4s"
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="segment00008.2.m4s"
"""


def with_line(text, number, replacement):
    """`text` with line `number` (1-based) replaced; None removes it, a list inserts several."""
    lines = text.split("\n")
    lines[number - 1:number] = [] if replacement is None else (
        replacement if isinstance(replacement, list) else [replacement])
    return "\n".join(lines)


# (rule, playlist, the line the error must name, a fragment the message must contain)
BAD = [
    ("the first line is #EXTM3U", "#EXT-X-VERSION:9\n" + GOOD_LL, 1, "first line must be #EXTM3U"),
    ("EXT-X-TARGETDURATION is required", with_line(GOOD_LL, 3, None), 1, "EXT-X-TARGETDURATION is required"),
    ("EXTINF rounded is at most the target duration", with_line(GOOD_LL, 9, "#EXTINF:2.501,"), 9,
     "rounds above EXT-X-TARGETDURATION"),
    ("EXT-X-MAP needs version 6", with_line(GOOD_LL, 2, "#EXT-X-VERSION:5"), 7, "needs EXT-X-VERSION 6"),
    ("a decimal EXTINF needs version 3", with_line(RFC_SIMPLE, 3, "#EXT-X-VERSION:2"), 4, "needs EXT-X-VERSION 3"),
    ("decimal-floating-point attributes are not quoted",
     with_line(GOOD_LL, 12, '#EXT-X-PART:DURATION="0.500",URI="seg2.m4s",BYTERANGE="80@100"'), 12,
     'DURATION="0.500" is not a decimal-floating-point'),
    ("quoted-string attributes are quoted",
     with_line(GOOD_LL, 7, "#EXT-X-MAP:URI=init.mp4"), 7, "URI=init.mp4 is not a quoted-string"),
    ("enumerated-string values are the tag's own", with_line(GOOD_LL, 12,
     '#EXT-X-PART:DURATION=0.500,URI="seg2.m4s",BYTERANGE="80@100",INDEPENDENT=NO'), 12,
     "INDEPENDENT=NO is not one of YES"),
    ("resolution is WxH", with_line(MULTIVARIANT, 5, '#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=640,AUDIO="audio"'),
     5, "RESOLUTION=640 is not a decimal-resolution"),
    ("decimal-integer values are digits", with_line(GOOD_LL, 6, "#EXT-X-MEDIA-SEQUENCE:-1"), 6,
     "is not a decimal-integer"),
    ("byterange is n[@o]", with_line(GOOD_LL, 12, '#EXT-X-PART:DURATION=0.500,URI="seg2.m4s",BYTERANGE="80-100"'),
     12, "is not <n>[@<o>]"),
    ("an attribute appears once", with_line(GOOD_LL, 5,
     "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5,PART-HOLD-BACK=2.0"), 5,
     "PART-HOLD-BACK appears twice"),
    ("attributes are separated by single commas",
     with_line(GOOD_LL, 5, "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES PART-HOLD-BACK=1.5"), 5,
     "attributes must be separated by commas"),
    ("required attributes are present", with_line(GOOD_LL, 12, '#EXT-X-PART:DURATION=0.500,BYTERANGE="80@100"'),
     12, "required attribute URI is missing"),
    ("tags are known", with_line(GOOD_LL, 6, "#EXT-X-MEDIA-SEQUENCES:1"), 6, "unknown tag"),
    ("a playlist tag appears once", with_line(GOOD_LL, 6, ["#EXT-X-MEDIA-SEQUENCE:1", "#EXT-X-TARGETDURATION:2"]),
     7, "EXT-X-TARGETDURATION appears more than once"),
    ("EXT-X-MEDIA-SEQUENCE precedes the first segment",
     with_line(with_line(GOOD_LL, 6, None), 9, ["seg1.m4s", "#EXT-X-MEDIA-SEQUENCE:1"]), 10,
     "must appear before the first media segment"),
    ("every segment URI has an EXTINF", with_line(GOOD_LL, 9, None), 9, "has no EXTINF"),
    ("an EXTINF has its URI", RFC_SIMPLE.replace("http://media.example.com/third.ts\n", ""), 8,
     "EXTINF not followed by its URI"),
    ("program date-times have a time zone", with_line(GOOD_LL, 8, "#EXT-X-PROGRAM-DATE-TIME:2026-12-03T18:00:00.000"),
     8, "needs a date, a time and a time zone"),
    ("media and multivariant tags never mix", MULTIVARIANT + "#EXT-X-TARGETDURATION:2\n", 1,
     "media playlist tags and multivariant playlist tags"),
    ("a variant's AUDIO group exists", MULTIVARIANT.replace('AUDIO="audio"', 'AUDIO="aac"'), 6,
     "names no EXT-X-MEDIA group"),
    ("EXT-X-PART needs EXT-X-PART-INF", with_line(with_line(GOOD_LL, 5, "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES"),
                                                   4, None), 10, "EXT-X-PART without EXT-X-PART-INF"),
    ("a part lasts at most PART-TARGET", with_line(GOOD_LL, 12,
     '#EXT-X-PART:DURATION=0.510,URI="seg2.m4s",BYTERANGE="80@100"'), 12, "exceeds PART-TARGET"),
    ("a part lasts at least 85% of PART-TARGET unless independent or last", with_line(GOOD_LL, 12,
     '#EXT-X-PART:DURATION=0.400,URI="seg2.m4s",BYTERANGE="80@100"'), 12, "under 85% of PART-TARGET"),
    ("PART-HOLD-BACK is at least three part targets",
     with_line(GOOD_LL, 5, "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.2"), 5,
     "less than three times PART-TARGET"),
    ("EXT-X-PART-INF requires PART-HOLD-BACK", with_line(GOOD_LL, 5, "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES"),
     4, "requires EXT-X-SERVER-CONTROL with PART-HOLD-BACK"),
    ("HOLD-BACK is at least three target durations",
     with_line(GOOD_LL, 5, "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5,HOLD-BACK=5.9"), 5,
     "HOLD-BACK 5.9 is less than three target durations"),
    ("CAN-SKIP-UNTIL is at least six target durations",
     RFC_LL_EXAMPLE.replace("CAN-SKIP-UNTIL=24.0", "CAN-SKIP-UNTIL=12.0"), 5, "less than six target durations"),
    ("CAN-BLOCK-RELOAD is YES or absent",
     with_line(GOOD_LL, 5, "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=NO,PART-HOLD-BACK=1.5"), 5,
     "CAN-BLOCK-RELOAD=NO is not one of YES"),
    ("PRELOAD-HINT TYPE is PART or MAP", with_line(GOOD_LL, 19, '#EXT-X-PRELOAD-HINT:TYPE=SEGMENT,URI="seg3.m4s"'),
     19, "TYPE=SEGMENT is not one of PART, MAP"),
    ("at most one PRELOAD-HINT per type", with_line(GOOD_LL, 19, [
        '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg3.m4s",BYTERANGE-START=180',
        '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg4.m4s"']), 20, "a second EXT-X-PRELOAD-HINT of TYPE=PART"),
    ("no PRELOAD-HINT once the playlist ended", GOOD_LL + "#EXT-X-ENDLIST\n", 19,
     "EXT-X-PRELOAD-HINT in a playlist with EXT-X-ENDLIST"),
    ("a byte-range PRELOAD-HINT starts where the last part ended",
     with_line(GOOD_LL, 19, '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg3.m4s",BYTERANGE-START=200'), 19,
     "is not where the last part of seg3.m4s ended (180)"),
    ("a segment's byte-range parts are contiguous", with_line(GOOD_LL, 13,
     '#EXT-X-PART:DURATION=0.500,URI="seg2.m4s",BYTERANGE="90@190"'), 13, "not where the segment's previous part ended"),
    ("a segment's byte-range parts start at its start", with_line(GOOD_LL, 11,
     '#EXT-X-PART:DURATION=0.500,URI="seg2.m4s",BYTERANGE="100@8",INDEPENDENT=YES'), 11,
     "starts at 8, not where the segment's previous part ended (0)"),
    ("a segment's parts add up to its EXTINF", with_line(GOOD_LL, 15, "#EXTINF:1.800,"), 16,
     "the parts last 2.000 s, the segment's EXTINF says 1.8"),
    ("parts are removed beyond three target durations from the end", with_line(GOOD_LL, 16, [
        "seg2.m4s", "#EXTINF:2.000,", "s3.m4s", "#EXTINF:2.000,", "s4.m4s", "#EXTINF:2.000,", "s5.m4s"]), 11,
     "more than three target durations, where they should have been removed (§6.2.2)"),
    ("RENDITION-REPORT has LAST-PART in a playlist with parts",
     with_line(GOOD_LL, 20, '#EXT-X-RENDITION-REPORT:URI="../audio_0/index.m3u8",LAST-MSN=3'), 20, "without LAST-PART"),
    ("no control characters", with_line(GOOD_LL, 10, "seg1.m4s\t"), 10, "a control character"),
]


def accepts(tap, name, text, check=None):
    try:
        playlist = strict.parse(text, name)
    except strict.PlaylistError as error:
        tap.ok(False, f"accepted: {name}", error)
        return None
    tap.ok(check is None or check(playlist), f"accepted: {name}")
    return playlist


def rejects(tap, rule, text, line, fragment):
    try:
        strict.parse(text, "bad.m3u8")
    except strict.PlaylistError as error:
        named = [p for p in error.problems if p.startswith(f"bad.m3u8:{line}: ") and fragment in p]
        tap.ok(named, f"rejected: {rule} (line {line})", error)
        return
    tap.ok(False, f"rejected: {rule}", "the parser accepted it")


def write_files(directory, sizes):
    os.makedirs(directory, exist_ok=True)
    for name, size in sizes.items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(bytes(size))


def disk_checks(tap, workdir):
    directory = os.path.join(workdir, "ll")
    write_files(directory, GOOD_LL_FILES)
    with open(os.path.join(directory, "index.m3u8"), "w") as f:
        f.write(GOOD_LL)
    try:
        strict.check_path(os.path.join(directory, "index.m3u8"))
        tap.ok(True, "disk: every URI and byte range of the LL playlist exists")
    except strict.PlaylistError as error:
        tap.ok(False, "disk: every URI and byte range of the LL playlist exists", error)
    playlist = strict.parse(GOOD_LL, "index.m3u8")
    cases = [
        ("a finished segment's parts end where its file ends", {"seg2.m4s": 350}, "seg2.m4s has 350 bytes; the "
         "playlist needs exactly 340"),
        ("a part's byte range is in the file", {"seg3.m4s": 170}, "seg3.m4s has 170 bytes; the playlist needs 180"),
        ("every segment exists", {"seg1.m4s": None}, "seg1.m4s does not exist"),
        ("the init segment exists", {"init.mp4": None}, "init.mp4 does not exist"),
    ]
    for rule, changes, fragment in cases:
        broken = os.path.join(workdir, f"broken-{len(os.listdir(workdir))}")
        sizes = dict(GOOD_LL_FILES)
        for name, size in changes.items():
            sizes.pop(name) if size is None else sizes.__setitem__(name, size)
        write_files(broken, sizes)
        problems = strict.check_files(playlist, broken, "index.m3u8")
        tap.ok(any(fragment in p for p in problems), f"disk: {rule}", problems)
    parts_dir = os.path.join(workdir, "parts")
    write_files(parts_dir, {"init.mp4": 10, "segment00007.m4s": 10, "segment00008.0.m4s": 10})
    problems = strict.check_files(strict.parse(GOOD_PART_FILES, "parts.m3u8"), parts_dir, "parts.m3u8")
    tap.ok(problems == ["parts.m3u8:12: segment00008.1.m4s does not exist"],
           "disk: a part file that is listed must exist (the hinted one need not)", problems)


def main():
    tap = e.Tap()
    accepts(tap, "the RFC 8216bis low-latency delta playlist", RFC_LL_EXAMPLE,
            lambda p: len(p.segments) == 6 and len(p.pending_parts) == 4 and p.part_target == 0.33334 and
            len(p.segments[4].parts) == 12 and len(p.rendition_reports) == 2)
    accepts(tap, "the RFC 8216 simple media playlist", RFC_SIMPLE, lambda p: p.ended and len(p.segments) == 3)
    accepts(tap, "a multivariant playlist with an audio rendition group", MULTIVARIANT,
            lambda p: p.kind == "multivariant" and len(p.variants) == 1 and len(p.renditions) == 1)
    accepts(tap, "LL-HLS with byte-range parts of a growing segment", GOOD_LL,
            lambda p: [len(s.parts) for s in p.segments] == [0, 4] and p.pending_parts[1].offset == 120)
    accepts(tap, "LL-HLS with part files and a short last part", GOOD_PART_FILES)
    accepts(tap, "CRLF line endings", GOOD_LL.replace("\n", "\r\n"))
    for rule, text, line, fragment in BAD:
        rejects(tap, rule, text, line, fragment)
    tap.check("disk", lambda: disk_checks(tap, tap.workdir))
    tap.finish()


main()
