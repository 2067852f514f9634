// What the multivariant playlist says about the renditions: one variant of all tracks, or with one track
// per header the audio renditions grouped (EXT-X-MEDIA) under each video variant, with the bit rates
// measured and the codecs, resolution and frame rate described.
#pragma once

#include <string>
#include <vector>

#include "manifest/hls_playlist.h"
#include "manifest/rendition.h"

namespace aw {

// `renditions` each have a segment (so their media playlists exist); URIs are relative to `location`,
// under `root` when it is not empty (HlsPackagerConfig::playlist_root).
hls::MultivariantPlaylist multivariant_playlist(const std::vector<const Rendition*>& renditions,
                                                bool one_track_per_header, const std::string& location,
                                                const std::string& root = {});

}  // namespace aw
