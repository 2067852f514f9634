#!/usr/bin/env python3
"""A strict HLS playlist parser written from draft-pantos-hls-rfc8216bis (HTTP Live Streaming 2nd Edition), for
the tests: where a player would ignore or guess, this rejects, naming the line and the section.

    parse(text, name) -> MediaPlaylist | MultivariantPlaylist   (raises PlaylistError listing every problem)
    check_files(playlist, directory) -> [problem]                 (every URI and BYTERANGE against the disk)
    check_path(path) -> playlist                                   (both, raising PlaylistError)
    python3 hls_strict.py PLAYLIST...                              (prints the problems; exit 1 if any)

Covered: §4.1 encoding and line structure, §4.2 attribute-list syntax and value types, §4.4 tag placement and
"at most once" rules, the media/multivariant split, required tags, EXTINF vs TARGETDURATION, §7 version
compatibility, and the low-latency rules (PART-INF, part durations, SERVER-CONTROL, PART-HOLD-BACK, PRELOAD-HINT,
RENDITION-REPORT), plus byte-range contiguity of a segment's parts. Rules marked SHOULD in the draft that the
issue asks for (PART-HOLD-BACK >= 3 x PART-TARGET) are enforced as if they were MUST.
"""
import datetime
import os
import re
import sys
import unicodedata

# --- §4.2 attribute value types -----------------------------------------------------------------------------
INT, HEX, FLOAT, SFLOAT, QUOTED, ENUM, RESOLUTION = ("decimal-integer", "hexadecimal-sequence",
                                                      "decimal-floating-point", "signed-decimal-floating-point",
                                                      "quoted-string", "enumerated-string", "decimal-resolution")
_VALUE = {
    INT: re.compile(r"[0-9]{1,20}"),
    HEX: re.compile(r"0[xX][0-9A-F]+"),
    FLOAT: re.compile(r"[0-9]+(\.[0-9]*)?"),
    SFLOAT: re.compile(r"-?[0-9]+(\.[0-9]*)?"),
    QUOTED: re.compile(r'"[^"\r\n]*"'),
    ENUM: re.compile(r'[^",\s]+'),
    RESOLUTION: re.compile(r"[0-9]+x[0-9]+"),
}
_ATTRIBUTE = re.compile(r'([A-Z0-9-]+)=("[^"\r\n]*"|[^",\s]*)')
_BYTERANGE = re.compile(r"([0-9]+)(?:@([0-9]+))?")
YES = ("YES",)
YES_NO = ("YES", "NO")


def attr(kind, required=False, values=None):
    return (kind, required, values)


# --- §4.4 tags: where each may appear and what it carries -------------------------------------------------
BASIC, SEGMENT, METADATA, MEDIA_PLAYLIST, MULTIVARIANT, EITHER = ("basic", "media segment", "media metadata",
                                                                  "media playlist", "multivariant", "either")
# name: (family, value: None (no value) / "int" / "float-title" / "byterange" / "enum" / "date" / dict of
#        attributes, allowed values for "enum", at most once per playlist)
TAGS = {
    "EXTM3U": (BASIC, None, None, True),
    "EXT-X-VERSION": (BASIC, "int", None, True),
    "EXTINF": (SEGMENT, "extinf", None, False),
    "EXT-X-BYTERANGE": (SEGMENT, "byterange", None, False),
    "EXT-X-DISCONTINUITY": (SEGMENT, None, None, False),
    "EXT-X-KEY": (SEGMENT, {"METHOD": attr(ENUM, True, ("NONE", "AES-128", "SAMPLE-AES", "SAMPLE-AES-CTR")),
                            "URI": attr(QUOTED), "IV": attr(HEX), "KEYFORMAT": attr(QUOTED),
                            "KEYFORMATVERSIONS": attr(QUOTED)}, None, False),
    "EXT-X-MAP": (SEGMENT, {"URI": attr(QUOTED, True), "BYTERANGE": attr(QUOTED)}, None, False),
    "EXT-X-PROGRAM-DATE-TIME": (SEGMENT, "date", None, False),
    "EXT-X-GAP": (SEGMENT, None, None, False),
    "EXT-X-BITRATE": (SEGMENT, "int", None, False),
    "EXT-X-PART": (SEGMENT, {"URI": attr(QUOTED, True), "DURATION": attr(FLOAT, True),
                             "INDEPENDENT": attr(ENUM, False, YES), "BYTERANGE": attr(QUOTED),
                             "GAP": attr(ENUM, False, YES)}, None, False),
    "EXT-X-DATERANGE": (METADATA, {"ID": attr(QUOTED, True), "CLASS": attr(QUOTED), "START-DATE": attr(QUOTED),
                                   "CUE": attr(QUOTED), "END-DATE": attr(QUOTED), "DURATION": attr(FLOAT),
                                   "PLANNED-DURATION": attr(FLOAT), "SCTE35-CMD": attr(HEX),
                                   "SCTE35-OUT": attr(HEX), "SCTE35-IN": attr(HEX),
                                   "END-ON-NEXT": attr(ENUM, False, YES)}, None, False),
    "EXT-X-SKIP": (METADATA, {"SKIPPED-SEGMENTS": attr(INT, True),
                              "RECENTLY-REMOVED-DATERANGES": attr(QUOTED)}, None, True),
    "EXT-X-PRELOAD-HINT": (METADATA, {"TYPE": attr(ENUM, True, ("PART", "MAP")), "URI": attr(QUOTED, True),
                                      "BYTERANGE-START": attr(INT), "BYTERANGE-LENGTH": attr(INT)}, None, False),
    "EXT-X-RENDITION-REPORT": (METADATA, {"URI": attr(QUOTED, True), "LAST-MSN": attr(INT),
                                          "LAST-PART": attr(INT)}, None, False),
    "EXT-X-TARGETDURATION": (MEDIA_PLAYLIST, "int", None, True),
    "EXT-X-MEDIA-SEQUENCE": (MEDIA_PLAYLIST, "int", None, True),
    "EXT-X-DISCONTINUITY-SEQUENCE": (MEDIA_PLAYLIST, "int", None, True),
    "EXT-X-ENDLIST": (MEDIA_PLAYLIST, None, None, True),
    "EXT-X-PLAYLIST-TYPE": (MEDIA_PLAYLIST, "enum", ("EVENT", "VOD"), True),
    "EXT-X-I-FRAMES-ONLY": (MEDIA_PLAYLIST, None, None, True),
    "EXT-X-PART-INF": (MEDIA_PLAYLIST, {"PART-TARGET": attr(FLOAT, True)}, None, True),
    "EXT-X-SERVER-CONTROL": (MEDIA_PLAYLIST, {"CAN-SKIP-UNTIL": attr(FLOAT),
                                              "CAN-SKIP-DATERANGES": attr(ENUM, False, YES),
                                              "HOLD-BACK": attr(FLOAT), "PART-HOLD-BACK": attr(FLOAT),
                                              "CAN-BLOCK-RELOAD": attr(ENUM, False, YES)}, None, True),
    "EXT-X-MEDIA": (MULTIVARIANT, {"TYPE": attr(ENUM, True, ("AUDIO", "VIDEO", "SUBTITLES", "CLOSED-CAPTIONS")),
                                   "URI": attr(QUOTED), "GROUP-ID": attr(QUOTED, True), "LANGUAGE": attr(QUOTED),
                                   "ASSOC-LANGUAGE": attr(QUOTED), "NAME": attr(QUOTED, True),
                                   "STABLE-RENDITION-ID": attr(QUOTED), "DEFAULT": attr(ENUM, False, YES_NO),
                                   "AUTOSELECT": attr(ENUM, False, YES_NO), "FORCED": attr(ENUM, False, YES_NO),
                                   "INSTREAM-ID": attr(QUOTED), "BIT-DEPTH": attr(INT), "SAMPLE-RATE": attr(INT),
                                   "CHARACTERISTICS": attr(QUOTED), "CHANNELS": attr(QUOTED)}, None, False),
    "EXT-X-STREAM-INF": (MULTIVARIANT, "attrs", None, False),  # attributes: STREAM_INF below
    "EXT-X-I-FRAME-STREAM-INF": (MULTIVARIANT, "attrs", None, False),
    "EXT-X-SESSION-DATA": (MULTIVARIANT, {"DATA-ID": attr(QUOTED, True), "VALUE": attr(QUOTED),
                                          "URI": attr(QUOTED), "FORMAT": attr(ENUM, False, ("JSON", "RAW")),
                                          "LANGUAGE": attr(QUOTED)}, None, False),
    "EXT-X-SESSION-KEY": (MULTIVARIANT, "attrs", None, False),  # attributes: EXT-X-KEY's
    "EXT-X-CONTENT-STEERING": (MULTIVARIANT, {"SERVER-URI": attr(QUOTED, True), "PATHWAY-ID": attr(QUOTED)},
                               None, True),
    "EXT-X-INDEPENDENT-SEGMENTS": (EITHER, None, None, True),
    "EXT-X-START": (EITHER, {"TIME-OFFSET": attr(SFLOAT, True), "PRECISE": attr(ENUM, False, YES_NO)}, None, True),
    "EXT-X-DEFINE": (EITHER, {"NAME": attr(QUOTED), "VALUE": attr(QUOTED), "IMPORT": attr(QUOTED),
                              "QUERYPARAM": attr(QUOTED)}, None, False),
}
STREAM_INF = {"BANDWIDTH": attr(INT, True), "AVERAGE-BANDWIDTH": attr(INT), "SCORE": attr(FLOAT),
              "CODECS": attr(QUOTED), "SUPPLEMENTAL-CODECS": attr(QUOTED), "RESOLUTION": attr(RESOLUTION),
              "FRAME-RATE": attr(FLOAT), "HDCP-LEVEL": attr(ENUM, False, ("TYPE-0", "TYPE-1", "NONE")),
              "ALLOWED-CPC": attr(QUOTED), "VIDEO-RANGE": attr(ENUM, False, ("SDR", "HLG", "PQ")),
              "REQ-VIDEO-LAYOUT": attr(QUOTED), "STABLE-VARIANT-ID": attr(QUOTED), "AUDIO": attr(QUOTED),
              "VIDEO": attr(QUOTED), "SUBTITLES": attr(QUOTED), "CLOSED-CAPTIONS": attr(QUOTED),
              "PATHWAY-ID": attr(QUOTED), "PROGRAM-ID": attr(INT)}
ATTRIBUTES = {name: spec[1] for name, spec in TAGS.items() if isinstance(spec[1], dict)}
ATTRIBUTES["EXT-X-STREAM-INF"] = STREAM_INF
ATTRIBUTES["EXT-X-I-FRAME-STREAM-INF"] = dict(STREAM_INF, URI=attr(QUOTED, True))
ATTRIBUTES["EXT-X-SESSION-KEY"] = TAGS["EXT-X-KEY"][1]
# §4.4.4.9 allows parts shorter than 85% of the part target only where they start with a sync sample or end
# their segment; a duration printed to a millisecond may exceed the target by half of one.
PART_MIN_FRACTION = 0.85
PRINT_TOLERANCE = 0.0005


class PlaylistError(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


class Part:
    def __init__(self, line, attrs, offset, length):
        self.line, self.attrs, self.offset, self.length = line, attrs, offset, length
        self.uri = attrs["URI"]
        self.duration = float(attrs["DURATION"])
        self.independent = attrs.get("INDEPENDENT") == "YES"


class Segment:
    def __init__(self, line, uri, duration, byterange, parts, map_uri, extinf_line=None):
        self.line, self.uri, self.duration, self.byterange, self.parts, self.map_uri = (
            line, uri, duration, byterange, parts, map_uri)
        self.extinf_line = extinf_line


class MediaPlaylist:
    def __init__(self):
        self.kind = "media"
        self.version = 1
        self.target_duration = None
        self.media_sequence = 0
        self.part_target = None
        self.server_control = {}
        self.segments = []
        self.pending_parts = []  # parts of the segment being written (listed after the last URI)
        self.hints = []
        self.rendition_reports = []
        self.map_uris = []
        self.ended = False
        self.independent_segments = False


class MultivariantPlaylist:
    def __init__(self):
        self.kind = "multivariant"
        self.version = 1
        self.variants = []  # (attributes, uri)
        self.renditions = []  # EXT-X-MEDIA attributes
        self.i_frame_variants = []


# --- §4.2 attribute lists ----------------------------------------------------------------------------------
def parse_attributes(text, schema, tag, report):
    """The attribute list as {name: value without quotes}; every syntax, type, duplicate, unknown and missing
    attribute reported."""
    values = {}
    position = 0
    while position < len(text):
        m = _ATTRIBUTE.match(text, position)
        if not m:
            report(f"{tag}: malformed attribute list at {text[position:]!r} (§4.2)")
            return values
        name, value = m.group(1), m.group(2)
        if name in values:
            report(f"{tag}: attribute {name} appears twice (§4.2)")
        spec = schema.get(name)
        if spec is None and not (tag == "EXT-X-DATERANGE" and name.startswith("X-")):
            report(f"{tag}: unknown attribute {name}")
        elif spec is not None:
            kind, _, allowed = spec
            if not _VALUE[kind].fullmatch(value):
                report(f"{tag}: {name}={value} is not a {kind} (§4.2)")
            elif allowed and value not in allowed:
                report(f"{tag}: {name}={value} is not one of {', '.join(allowed)}")
        values[name] = value[1:-1] if value.startswith('"') else value
        position = m.end()
        if position < len(text):
            if text[position] != ",":
                report(f"{tag}: attributes must be separated by commas, found {text[position:]!r} (§4.2)")
                return values
            position += 1
            if position == len(text):
                report(f"{tag}: the attribute list ends with a comma (§4.2)")
    for name, (_, required, _) in schema.items():
        if required and name not in values:
            report(f"{tag}: required attribute {name} is missing")
    return values


def parse_byterange(value):
    """(length, offset or None) of `n[@o]`, or None when malformed."""
    m = _BYTERANGE.fullmatch(value or "")
    return (int(m.group(1)), int(m.group(2)) if m.group(2) is not None else None) if m else None


# --- the parser ----------------------------------------------------------------------------------------------
class _Parser:
    def __init__(self, text, name):
        self.name = name
        self.problems = []
        self.line_number = 0
        self.text = text
        self.seen = {}  # tag -> first line
        self.families = set()
        self.media = MediaPlaylist()
        self.multivariant = MultivariantPlaylist()
        # The media segment being assembled: its tags so far.
        self.extinf = None
        self.byterange = None
        self.segment_tags = []
        self.parts = []
        self.map_uri = None
        self.byterange_end = {}  # URI -> where its last segment byte range ended (§4.4.4.2 "@o" omitted)
        self.part_end = {}  # URI -> where its last part's byte range ended (§4.4.4.9)
        self.stream_inf = None
        self.requirements = []  # (version, why, line) for §7

    def report(self, message, line=None):
        self.problems.append(f"{self.name}:{line or self.line_number}: {message}")

    def parse(self):
        self.check_encoding()
        lines = self.text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if not lines or lines[0].rstrip("\r") != "#EXTM3U":
            self.line_number = 1
            self.report("the first line must be #EXTM3U (§4.3.1.1)")
        for number, raw in enumerate(lines, 1):
            self.line_number = number
            line = raw[:-1] if raw.endswith("\r") else raw
            if line.strip() != line:
                self.report("leading or trailing whitespace (§4.1: lines are tags, comments or URIs)")
                line = line.strip()
            if not line:
                continue
            if line.startswith("#EXT"):
                if number > 1 or line != "#EXTM3U":
                    self.tag(line)
            elif line.startswith("#"):
                continue  # a comment
            else:
                self.uri(line)
        self.line_number = len(lines)
        return self.finish()

    def check_encoding(self):
        if self.text.startswith("\ufeff"):
            self.report("a byte order mark (§4.1)", 1)
        for number, line in enumerate(self.text.split("\n"), 1):
            if any(unicodedata.category(c) == "Cc" and c != "\r" for c in line):
                self.report("a control character (§4.1)", number)
            if unicodedata.normalize("NFC", line) != line:
                self.report("not in Unicode normalization form NFC (§4.1)", number)

    # --- tags ----------------------------------------------------------------------------------------------
    def tag(self, line):
        name, colon, value = line[1:].partition(":")
        spec = TAGS.get(name)
        if spec is None:
            self.report(f"unknown tag #{name}")
            return
        family, kind, allowed, once = spec
        if name == "EXTM3U":
            self.report("#EXTM3U appears again (§4.3.1.1: it is the first line)")
            return
        if once and name in self.seen:
            self.report(f"#{name} appears more than once (first on line {self.seen[name]}) (§4.4)")
        self.seen.setdefault(name, self.line_number)
        self.families.add(family)
        if kind is None and colon:
            self.report(f"#{name} takes no value")
        if kind is not None and not colon and not isinstance(kind, dict) and kind != "extinf":
            self.report(f"#{name} needs a value")
        parsed = self.value(name, kind, allowed, value) if colon or kind is not None else None
        handler = getattr(self, "tag_" + name.replace("-", "_").lower(), None)
        if handler:
            handler(parsed)

    def value(self, name, kind, allowed, value):
        if name in ATTRIBUTES:
            return parse_attributes(value, ATTRIBUTES[name], name, self.report)
        if kind == "int":
            if not _VALUE[INT].fullmatch(value):
                self.report(f"#{name}:{value} is not a decimal-integer (§4.2)")
                return None
            return int(value)
        if kind == "enum":
            if value not in allowed:
                self.report(f"#{name}:{value} is not one of {', '.join(allowed)}")
            return value
        if kind == "byterange":
            parsed = parse_byterange(value)
            if parsed is None:
                self.report(f"#{name}:{value} is not <n>[@<o>] (§4.4.4.2)")
            return parsed
        if kind == "date":
            return self.date(name, value)
        return value

    def date(self, name, value):
        # §4.4.4.6: ISO/IEC 8601:2004 with a time zone; fromisoformat takes the profile writers use.
        try:
            when = datetime.datetime.fromisoformat(value)
        except ValueError:
            self.report(f"#{name}:{value} is not an ISO 8601 date-time (§4.4.4.6)")
            return None
        if when.tzinfo is None or "T" not in value:
            self.report(f"#{name}:{value} needs a date, a time and a time zone (§4.4.4.6)")
        return when

    def before_first_segment(self, name):
        if self.media.segments or self.parts or self.extinf is not None:
            self.report(f"#{name} must appear before the first media segment (§4.4.3)")

    def tag_ext_x_version(self, value):
        if value is not None:
            self.media.version = self.multivariant.version = value

    def tag_ext_x_targetduration(self, value):
        self.media.target_duration = value

    def tag_ext_x_media_sequence(self, value):
        self.before_first_segment("EXT-X-MEDIA-SEQUENCE")
        if value is not None:
            self.media.media_sequence = value

    def tag_ext_x_discontinuity_sequence(self, _):
        self.before_first_segment("EXT-X-DISCONTINUITY-SEQUENCE")
        if "EXT-X-DISCONTINUITY" in self.seen:
            self.report("#EXT-X-DISCONTINUITY-SEQUENCE must precede every EXT-X-DISCONTINUITY (§4.4.3.3)")

    def tag_ext_x_endlist(self, _):
        self.media.ended = True

    def tag_ext_x_i_frames_only(self, _):
        self.requirements.append((4, "EXT-X-I-FRAMES-ONLY", self.line_number))

    def tag_ext_x_independent_segments(self, _):
        self.media.independent_segments = True

    def tag_ext_x_part_inf(self, attrs):
        if "PART-TARGET" in attrs and _VALUE[FLOAT].fullmatch(attrs["PART-TARGET"]):
            self.media.part_target = float(attrs["PART-TARGET"])

    def tag_ext_x_server_control(self, attrs):
        self.media.server_control = dict(attrs, line=self.line_number)

    def tag_extinf(self, value):
        if self.extinf is not None:
            self.report("a second EXTINF before the segment's URI (§4.4.4.1)")
        m = re.fullmatch(r"([0-9]+(?:\.[0-9]*)?),(.*)", value or "")
        if not m:
            self.report(f"EXTINF:{value} is not <duration>,[<title>] (§4.4.4.1)")
            self.extinf = (0.0, self.line_number)
            return
        if "." in m.group(1):
            self.requirements.append((3, "a decimal-floating-point EXTINF duration", self.line_number))
        self.extinf = (float(m.group(1)), self.line_number)

    def tag_ext_x_byterange(self, value):
        self.requirements.append((4, "EXT-X-BYTERANGE", self.line_number))
        self.byterange = value
        self.segment_tags.append("EXT-X-BYTERANGE")

    def tag_ext_x_map(self, attrs):
        self.map_uri = attrs.get("URI")
        self.media.map_uris.append((self.map_uri, self.line_number))
        self.requirements.append((6, "EXT-X-MAP", self.line_number))
        if "BYTERANGE" in attrs and parse_byterange(attrs["BYTERANGE"]) is None:
            self.report(f'EXT-X-MAP: BYTERANGE="{attrs["BYTERANGE"]}" is not <n>[@<o>] (§4.4.4.5)')

    def tag_ext_x_discontinuity(self, _):
        self.segment_tags.append("EXT-X-DISCONTINUITY")

    def tag_ext_x_gap(self, _):
        self.segment_tags.append("EXT-X-GAP")

    def tag_ext_x_part(self, attrs):
        if "URI" not in attrs or "DURATION" not in attrs or not _VALUE[FLOAT].fullmatch(attrs["DURATION"]):
            return
        offset, length = None, None
        if "BYTERANGE" in attrs:
            parsed = parse_byterange(attrs["BYTERANGE"])
            if parsed is None:
                self.report(f'EXT-X-PART: BYTERANGE="{attrs["BYTERANGE"]}" is not <n>[@<o>] (§4.4.4.9)')
            else:
                length, offset = parsed
                if offset is None:
                    if attrs["URI"] not in self.part_end:
                        self.report("EXT-X-PART: a BYTERANGE without @offset must follow a part of the same URI "
                                    "(§4.4.4.9)")
                    offset = self.part_end.get(attrs["URI"], 0)
                self.part_end[attrs["URI"]] = offset + length
        self.parts.append(Part(self.line_number, attrs, offset, length))

    def tag_ext_x_preload_hint(self, attrs):
        self.media.hints.append(dict(attrs, line=self.line_number))

    def tag_ext_x_rendition_report(self, attrs):
        self.media.rendition_reports.append(dict(attrs, line=self.line_number))

    def tag_ext_x_skip(self, _):
        self.requirements.append((9, "EXT-X-SKIP", self.line_number))

    def tag_ext_x_define(self, _):
        self.requirements.append((8, "EXT-X-DEFINE", self.line_number))

    def tag_ext_x_stream_inf(self, attrs):
        if self.stream_inf is not None:
            self.report("EXT-X-STREAM-INF not followed by its URI (§4.4.6.2)", self.stream_inf[1])
        self.stream_inf = (attrs, self.line_number)

    def tag_ext_x_i_frame_stream_inf(self, attrs):
        self.multivariant.i_frame_variants.append(attrs)

    def tag_ext_x_media(self, attrs):
        self.multivariant.renditions.append(dict(attrs, line=self.line_number))
        if attrs.get("TYPE") == "CLOSED-CAPTIONS":
            if "URI" in attrs:
                self.report("EXT-X-MEDIA: CLOSED-CAPTIONS renditions have no URI (§4.4.6.1)")
            if "INSTREAM-ID" not in attrs:
                self.report("EXT-X-MEDIA: CLOSED-CAPTIONS needs INSTREAM-ID (§4.4.6.1)")
        if attrs.get("DEFAULT") == "YES" and attrs.get("AUTOSELECT", "YES") != "YES":
            self.report("EXT-X-MEDIA: DEFAULT=YES requires AUTOSELECT=YES (§4.4.6.1)")
        if "FORCED" in attrs and attrs.get("TYPE") != "SUBTITLES":
            self.report("EXT-X-MEDIA: FORCED is for SUBTITLES only (§4.4.6.1)")

    # --- URI lines -----------------------------------------------------------------------------------------
    def uri(self, line):
        if self.stream_inf is not None:
            self.multivariant.variants.append((self.stream_inf[0], line))
            self.stream_inf = None
            return
        if self.extinf is None:
            self.report(f"URI {line} has no EXTINF (§4.4.4.1: every media segment has one)"
                        if MULTIVARIANT not in self.families else f"URI {line} follows no EXT-X-STREAM-INF")
            return
        duration, extinf_line = self.extinf
        byterange = None
        if self.byterange is not None:
            length, offset = self.byterange
            if offset is None:
                if line not in self.byterange_end:
                    self.report("EXT-X-BYTERANGE without @offset must follow a byte range of the same URI "
                                "(§4.4.4.2)")
                offset = self.byterange_end.get(line, 0)
            self.byterange_end[line] = offset + length
            byterange = (offset, length)
        segment = Segment(self.line_number, line, duration, byterange, self.parts, self.map_uri, extinf_line)
        self.check_parts_of(segment)
        self.media.segments.append(segment)
        self.extinf, self.byterange, self.segment_tags, self.parts = None, None, [], []

    # --- whole-playlist rules ------------------------------------------------------------------------------
    def finish(self):
        if MULTIVARIANT in self.families and self.families & {SEGMENT, MEDIA_PLAYLIST}:
            self.report("media playlist tags and multivariant playlist tags in one playlist (§4.1)", 1)
        if self.stream_inf is not None:
            self.report("EXT-X-STREAM-INF not followed by its URI (§4.4.6.2)", self.stream_inf[1])
        playlist = self.multivariant if MULTIVARIANT in self.families else self.media
        if playlist is self.media:
            self.finish_media()
        else:
            self.finish_multivariant()
        version = playlist.version
        for needed, why, line in self.requirements:
            if version < needed:
                self.report(f"{why} needs EXT-X-VERSION {needed} or later; the playlist says {version} (§7)", line)
        if self.problems:
            raise PlaylistError(self.problems)
        return playlist

    def finish_media(self):
        media = self.media
        if self.extinf is not None:
            self.report("EXTINF not followed by its URI (§4.4.4.1)", self.extinf[1])
        if self.byterange is not None or (self.segment_tags and not self.parts):
            self.report(f"{', '.join(self.segment_tags)} applies to no media segment (§4.4.4)")
        media.pending_parts = self.parts
        if media.target_duration is None:
            self.report("EXT-X-TARGETDURATION is required (§4.4.3.1)", 1)
        else:
            for segment in media.segments:
                if round(segment.duration) > media.target_duration:
                    self.report(f"EXTINF {segment.duration} rounds above EXT-X-TARGETDURATION "
                                f"{media.target_duration} (§4.4.3.1)", segment.extinf_line)
        self.check_low_latency()
        self.check_part_retention()
        if media.pending_parts:
            self.check_parts_of(Segment(None, None, None, None, media.pending_parts, self.map_uri))

    def check_low_latency(self):
        media = self.media
        any_parts = media.pending_parts or any(s.parts for s in media.segments)
        if any_parts and media.part_target is None:
            first = [p for s in media.segments for p in s.parts] + media.pending_parts
            self.report("EXT-X-PART without EXT-X-PART-INF (§4.4.3.7)", first[0].line)
        self.check_server_control()
        types = {}
        for hint in media.hints:
            if hint.get("TYPE") in types:
                self.report(f"a second EXT-X-PRELOAD-HINT of TYPE={hint['TYPE']} (first on line "
                            f"{types[hint['TYPE']]}) (§4.4.5.3)", hint["line"])
            types.setdefault(hint.get("TYPE"), hint["line"])
            if media.ended:
                self.report("EXT-X-PRELOAD-HINT in a playlist with EXT-X-ENDLIST (§4.4.5.3)", hint["line"])
            if hint.get("TYPE") == "PART" and media.part_target is None:
                self.report("EXT-X-PRELOAD-HINT TYPE=PART without EXT-X-PART-INF (§4.4.5.3)", hint["line"])
            self.check_hint_continues_parts(hint)
        for report in media.rendition_reports:
            if "LAST-MSN" not in report:
                self.report("EXT-X-RENDITION-REPORT without LAST-MSN (§4.4.5.4)", report["line"])
            if media.part_target is not None and "LAST-PART" not in report:
                self.report("EXT-X-RENDITION-REPORT without LAST-PART in a playlist with parts (§4.4.5.4)",
                            report["line"])

    def check_part_retention(self):
        """§6.2.2: EXT-X-PART tags SHOULD be removed once they are more than three target durations from the end
        of the playlist (a live playlist would otherwise grow by a line per part forever)."""
        media = self.media
        if media.target_duration is None:
            return
        after = sum(p.duration for p in media.pending_parts)
        for segment in reversed(media.segments):
            if segment.parts and after > 3 * media.target_duration + PRINT_TOLERANCE:
                self.report(f"EXT-X-PART of {segment.uri}, {after:.3f} s from the end of the playlist: more than "
                            f"three target durations, where they should have been removed (§6.2.2)",
                            segment.parts[0].line)
            after += segment.duration

    def check_server_control(self):
        media = self.media
        control = media.server_control
        line = control.get("line", 1)
        target = media.target_duration or 0
        floats = {k: float(v) for k, v in control.items() if k != "line" and _VALUE[FLOAT].fullmatch(str(v))}
        if media.part_target is not None and "PART-HOLD-BACK" not in control:
            self.report("EXT-X-PART-INF requires EXT-X-SERVER-CONTROL with PART-HOLD-BACK (§4.4.3.8)",
                        self.seen["EXT-X-PART-INF"])
        if "PART-HOLD-BACK" in floats and media.part_target is not None:
            if floats["PART-HOLD-BACK"] < 3 * media.part_target - PRINT_TOLERANCE:
                self.report(f"PART-HOLD-BACK {control['PART-HOLD-BACK']} is less than three times PART-TARGET "
                            f"{media.part_target} (§4.4.3.8)", line)
        if "PART-HOLD-BACK" in control and media.part_target is None:
            self.report("PART-HOLD-BACK without EXT-X-PART-INF (§4.4.3.8)", line)
        if "HOLD-BACK" in floats and floats["HOLD-BACK"] < 3 * target:
            self.report(f"HOLD-BACK {control['HOLD-BACK']} is less than three target durations (§4.4.3.8)", line)
        if "CAN-SKIP-UNTIL" in floats and floats["CAN-SKIP-UNTIL"] < 6 * target:
            self.report(f"CAN-SKIP-UNTIL {control['CAN-SKIP-UNTIL']} is less than six target durations (§4.4.3.8)",
                        line)
        if "CAN-SKIP-DATERANGES" in control:
            if "CAN-SKIP-UNTIL" not in control:
                self.report("CAN-SKIP-DATERANGES without CAN-SKIP-UNTIL (§4.4.3.8)", line)
            self.requirements.append((10, "CAN-SKIP-DATERANGES", line))
        if "EXT-X-SKIP" in self.seen and "CAN-SKIP-UNTIL" not in control:
            self.report("EXT-X-SKIP in a playlist whose server cannot skip (§4.4.5.2)", self.seen["EXT-X-SKIP"])

    def check_parts_of(self, segment):
        """§4.4.4.9: part durations against PART-TARGET; a segment's byte-range parts tile it from its start."""
        target = self.media.part_target
        parts = segment.parts
        for index, part in enumerate(parts):
            if target is None:
                break
            last = segment.uri is not None and index == len(parts) - 1
            if part.duration > target + PRINT_TOLERANCE:
                self.report(f"EXT-X-PART DURATION {part.attrs['DURATION']} exceeds PART-TARGET {target} "
                            f"(§4.4.4.9)", part.line)
            elif part.duration < PART_MIN_FRACTION * target and not part.independent and not last:
                self.report(f"EXT-X-PART DURATION {part.attrs['DURATION']} is under 85% of PART-TARGET {target} "
                            f"and the part neither is INDEPENDENT nor ends its segment (§4.4.4.9)", part.line)
        ranged = [p for p in parts if p.length is not None]
        if not ranged:
            return
        start = segment.byterange[0] if segment.byterange else 0
        for part in ranged:
            if segment.uri is not None and part.uri != segment.uri:
                self.report(f"EXT-X-PART {part.uri} has a BYTERANGE but its segment is {segment.uri}", part.line)
            if part.offset != start:
                self.report(f"EXT-X-PART byte range starts at {part.offset}, not where the segment's previous "
                            f"part ended ({start}): a segment's parts are contiguous", part.line)
            start = part.offset + part.length
        if segment.byterange and start != sum(segment.byterange):
            self.report(f"the parts end at byte {start}, the segment's EXT-X-BYTERANGE at {sum(segment.byterange)}",
                        segment.line)
        if segment.uri is not None and segment.duration is not None:
            total = sum(p.duration for p in parts)
            if abs(total - segment.duration) > PRINT_TOLERANCE * (len(parts) + 1):
                self.report(f"the parts last {total:.3f} s, the segment's EXTINF says {segment.duration}",
                            segment.line)

    def check_hint_continues_parts(self, hint):
        """A byte-range PRELOAD-HINT of the segment being written starts where its last part ended."""
        if hint.get("TYPE") != "PART" or "BYTERANGE-START" not in hint:
            return
        parts = self.media.pending_parts
        if parts and parts[-1].uri == hint.get("URI") and parts[-1].length is not None:
            end = parts[-1].offset + parts[-1].length
            if int(hint["BYTERANGE-START"]) != end:
                self.report(f"EXT-X-PRELOAD-HINT BYTERANGE-START={hint['BYTERANGE-START']} is not where the last "
                            f"part of {hint.get('URI')} ended ({end})", hint["line"])

    def finish_multivariant(self):
        playlist = self.multivariant
        if not playlist.variants and not playlist.i_frame_variants:
            self.report("a multivariant playlist without EXT-X-STREAM-INF (§4.4.6.2)", 1)
        groups = {(r.get("TYPE"), r.get("GROUP-ID")) for r in playlist.renditions}
        names = {}
        for rendition in playlist.renditions:
            key = (rendition.get("TYPE"), rendition.get("GROUP-ID"), rendition.get("NAME"))
            if key in names:
                self.report(f"EXT-X-MEDIA NAME {key[2]} twice in group {key[1]} (§4.4.6.1)", rendition["line"])
            names[key] = rendition["line"]
        for attrs, uri in playlist.variants:
            for kind in ("AUDIO", "VIDEO", "SUBTITLES"):
                if kind in attrs and (kind, attrs[kind]) not in groups:
                    self.report(f"EXT-X-STREAM-INF {kind}=\"{attrs[kind]}\" names no EXT-X-MEDIA group "
                                f"(§4.4.6.2)")


def parse(text, name="playlist"):
    """The playlist, or PlaylistError listing every problem as `name:line: message`."""
    return _Parser(text, name).parse()


# --- the disk checker --------------------------------------------------------------------------------------
def _local(uri, directory):
    """The file a relative URI names, or None for an absolute URL (which this checker cannot see)."""
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", uri):
        return None
    return os.path.join(directory, uri.split("?")[0])


def check_files(playlist, directory, name="playlist"):
    """[problem] for every URI that does not exist on disk with the bytes its BYTERANGE claims: media segments,
    parts (a finished segment's byte-range parts end where its file ends), the init segments, and for a
    multivariant playlist its media playlists."""
    problems = []

    def need(uri, line, end=None, exact=False):
        path = _local(uri, directory)
        if path is None:
            return
        if not os.path.isfile(path):
            problems.append(f"{name}:{line}: {uri} does not exist")
            return
        size = os.path.getsize(path)
        if end is None and size == 0:
            problems.append(f"{name}:{line}: {uri} is empty")
        elif end is not None and (size < end or (exact and size != end)):
            problems.append(f"{name}:{line}: {uri} has {size} bytes; the playlist needs {'exactly ' if exact else ''}"
                            f"{end}")

    if playlist.kind == "multivariant":
        for attrs, uri in playlist.variants:
            need(uri, "variant")
        for rendition in playlist.renditions:
            if "URI" in rendition:
                need(rendition["URI"], rendition["line"])
        return problems
    for uri, line in playlist.map_uris:
        need(uri, line)
    for segment in playlist.segments:
        ranged = [p for p in segment.parts if p.length is not None]
        if segment.byterange:
            need(segment.uri, segment.line, sum(segment.byterange))
        elif ranged:
            need(segment.uri, segment.line, ranged[-1].offset + ranged[-1].length, exact=True)
        else:
            need(segment.uri, segment.line)
        for part in segment.parts:
            need(part.uri, part.line, part.offset + part.length if part.length is not None else None)
    for part in playlist.pending_parts:
        need(part.uri, part.line, part.offset + part.length if part.length is not None else None)
    return problems


def check_path(path):
    """Parses the playlist file and checks its files; raises PlaylistError with every problem."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PlaylistError([f"{path}: not UTF-8 (§4.1): {error}"]) from None
    playlist = parse(text, path)
    problems = check_files(playlist, os.path.dirname(os.path.abspath(path)), path)
    if problems:
        raise PlaylistError(problems)
    return playlist


def main(paths):
    failed = False
    for path in paths:
        try:
            playlist = check_path(path)
            print(f"{path}: ok ({playlist.kind})")
        except PlaylistError as error:
            failed = True
            print(error)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
