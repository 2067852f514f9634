#!/usr/bin/env python3
"""docs/migration.md stays true: every name it gives for assetwritersink is a property, signal or message the
element has (unless marked planned / in progress), and every mp4mux, qtmux, splitmuxsink and hlssink2 name it
lists is one `gst-inspect-1.0` shows for that element; and it lists all of their properties and signals."""
import os
import re

import e2e_util as e

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "migration.md")

# Section heading -> the installed elements its first column names (hlssink3 is not installed: not checked).
SECTIONS = {
    "mp4mux and qtmux": ["mp4mux", "qtmux"],
    "splitmuxsink": ["splitmuxsink"],
    "hlssink2": ["hlssink2"],
    "hlssink3 and hlscmafsink": [],
}
PLANNED_MARKS = {"planned", "(rotation, in progress)", "(LL-HLS, in progress)"}
GOBJECT_PROPERTIES = {"name", "parent"}  # every element has them; the tables leave them out
NAME = re.compile(r"`([a-z][a-z0-9-]*)`")


class Inspected:
    """What `gst-inspect-1.0 ELEMENT` shows: property names, signal and action names, the plugin file."""

    def __init__(self, element):
        result = e.run(["gst-inspect-1.0", element], timeout=60)
        self.ok = result.ok
        self.describe = result.describe()
        self.properties, self.signals, self.filename = set(), set(), None
        section = None
        for line in result.stdout.decode(errors="replace").splitlines():
            if re.match(r"^\S", line):
                section = line.strip().rstrip(":")
            if section == "Element Properties":
                m = re.match(r"^  ([a-z][a-z0-9-]*)\s*:", line)
                if m:
                    self.properties.add(m.group(1))
            elif section in ("Element Signals", "Element Actions"):
                m = re.match(r'^  "([a-z][a-z0-9-]*)"\s*:', line)
                if m:
                    self.signals.add(m.group(1))
            m = re.match(r"^\s+Filename\s+(\S+)", line)
            if m:
                self.filename = m.group(1)

    def has_message(self, name):
        """Bus messages are not introspectable: the message name must be a string in the plugin's binary."""
        if not self.filename or not os.path.exists(self.filename):
            return False
        with open(self.filename, "rb") as f:
            return name.encode() + b"\0" in f.read()


def parse(text):
    """[(section, source cell, our cell, planned cell)] of the rows of the sections' tables."""
    rows, section = [], None
    for line in text.splitlines():
        heading = re.match(r"^## (.+)$", line)
        if heading:
            section = heading.group(1).strip()
            continue
        if section not in SECTIONS or not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or set(cells[0]) <= set("-: ") or cells[1] == "assetwritersink":
            continue  # separator and header rows
        rows.append((section, cells[0], cells[1], cells[3]))
    return rows


def kind_of(cell):
    if "(signal" in cell:
        return "signal"
    if "(message" in cell:
        return "message"
    return "property"


def our_messages():
    """Message names the element posts: the quoted assetwritersink-* strings of the gst/ sources."""
    names = set()
    for folder, _, files in os.walk(os.path.join(ROOT, "gst")):
        for file in files:
            if file.endswith((".cc", ".h")):
                with open(os.path.join(folder, file), errors="replace") as f:
                    names.update(re.findall(r'"(assetwritersink-[a-z-]+)"', f.read()))
    return names


def main(tap):
    with open(DOC) as f:
        rows = parse(f.read())
    # A parser that finds nothing would pass everything below.
    per_section = {s: sum(1 for r in rows if r[0] == s) for s in SECTIONS}
    tap.ok(all(count >= 5 for count in per_section.values()), "migration.md: every section has a table",
           per_section)

    ours = Inspected("assetwritersink")
    if not tap.ok(ours.ok and ours.properties, "gst-inspect-1.0 assetwritersink works", ours.describe):
        return
    messages = our_messages()
    tap.ok({"assetwritersink-fragment", "assetwritersink-file-complete"} <= messages,
           "the element's messages are found in its sources", sorted(messages))

    bad_marks = sorted({planned for *_, planned in rows if planned and planned not in PLANNED_MARKS})
    tap.equal(bad_marks, [], "migration.md: the planned column holds only the known marks")

    # Column "assetwritersink": names the element has now, or marked planned.
    missing, now_present = [], []
    for section, source, target, planned in rows:
        for name in NAME.findall(target):
            if name.startswith("assetwritersink-"):
                present = name in messages
            else:
                present = name in ours.properties or name in ours.signals
            if not present and not planned:
                missing.append(f"{section}: {name}")
            elif present and planned and name not in ("location", "max-files", "send-keyframe-requests"):
                now_present.append(name)
    tap.equal(missing, [], "migration.md: every assetwritersink name not marked planned is in gst-inspect")
    if now_present:
        tap.diag(f"marked planned but present in this build (drop the mark once merged): {sorted(set(now_present))}")

    # The first column: names the source elements have, and all of their properties and signals.
    for section, elements in SECTIONS.items():
        section_rows = [r for r in rows if r[0] == section]
        for element in elements:
            theirs = Inspected(element)
            if not tap.ok(theirs.ok and theirs.properties, f"gst-inspect-1.0 {element} works", theirs.describe):
                continue
            unknown, listed = [], set()
            for _, source, _, _ in section_rows:
                kind = kind_of(source)
                for name in NAME.findall(source):
                    listed.add(name)
                    if kind == "property":
                        known = name in theirs.properties
                    elif kind == "signal":
                        known = name in theirs.signals
                    else:
                        known = theirs.has_message(name)
                    if not known:
                        unknown.append(f"{name} ({kind})")
            tap.equal(unknown, [], f"migration.md: every {element} name listed is one {element} has")
            unlisted = sorted((theirs.properties - GOBJECT_PROPERTIES - listed) | (theirs.signals - listed))
            tap.equal(unlisted, [], f"migration.md: lists every property and signal of {element}")


tap = e.Tap()
tap.check("migration", lambda: main(tap))
tap.finish()
