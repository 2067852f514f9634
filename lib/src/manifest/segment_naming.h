// Names of a segmented stream's files: segment numbers formatted into a pattern, a rendition's name into
// its locations (%s), numbered further init segments, and URIs relative to the playlist that lists them.
#pragma once

#include <cstdint>
#include <string>

#include "aw/status.h"

namespace aw {

// "segment%05d.m4s" with index 7 → "segment00007.m4s". The pattern holds exactly one integer conversion
// (%d, %u, %i, optionally with a 0 flag and a width) and may hold "%%"; anything else is an error naming
// the pattern (the user's text is never handed to printf).
Result<std::string> format_segment_name(const std::string& pattern, uint64_t index);
// `what` names the pattern in the error (file rotation checks its location with it too).
Status check_segment_pattern(const std::string& pattern, const std::string& what = "segment location");

// `target` as a URI relative to the directory of `playlist` ("seg/segment00001.m4s"), or absolute when
// they share no directory prefix worth walking up to.
std::string uri_relative_to(const std::string& target, const std::string& playlist);
// `uri` under `root` (a URL prefix; hlssink2's playlist-root): "root/uri", one slash between them. Empty
// root: `uri` as it is.
std::string under_root(const std::string& uri, const std::string& root);
// Where the init segment goes by default: init.mp4 in the directory of `segment_pattern`.
std::string default_init_location(const std::string& segment_pattern);

// "%s/init.mp4" with "audio_0" → "audio_0/init.mp4": every %s becomes the track's rendition name; %%
// stays as it is (a segment pattern keeps it for format_segment_name).
std::string expand_rendition_name(const std::string& text, const std::string& name);
// Whether `text` holds a %s (not an escaped %%s).
bool has_rendition_name(const std::string& text);

// Where the n-th further initialization segment (after a format change) goes: init.mp4 -> init-1.mp4.
std::string numbered_init_location(const std::string& init_location, uint64_t number);

// Where part `part` of a segment goes when parts are files of their own: segment00005.m4s, 2 ->
// segment00005.2.m4s (before the extension of the file name).
std::string part_file_location(const std::string& segment_location, uint32_t part);

// Where a media playlist's delta update goes (HlsPackagerConfig::delta_updates): index.m3u8 ->
// index-delta.m3u8.
std::string delta_playlist_location(const std::string& playlist_location);

// Where one rendition's files go.
struct RenditionFiles {
  std::string segment_pattern;  // with one %d conversion
  std::string init_location;
  std::string playlist_location;  // empty: no media playlist
};

// The files of the rendition `name` (one track per header) from locations holding %s: the pattern keeps
// its %% for format_segment_name, the other locations are file names with %% unescaped.
RenditionFiles rendition_files(const RenditionFiles& locations, const std::string& name);

}  // namespace aw
