#include "manifest/multivariant.h"

#include <algorithm>

#include "manifest/segment_naming.h"

namespace aw {
namespace {

// CODECS of a variant: every codec it plays, or none when one has no name (a partial list makes players
// refuse what they could play).
std::vector<std::string> codecs_of(const std::vector<const HlsTrackDescription*>& tracks) {
  std::vector<std::string> codecs;
  for (const HlsTrackDescription* track : tracks) {
    if (track->codec.empty()) return {};
    if (std::find(codecs.begin(), codecs.end(), track->codec) == codecs.end()) codecs.push_back(track->codec);
  }
  return codecs;
}

const HlsTrackDescription* first_video(const std::vector<const HlsTrackDescription*>& tracks) {
  for (const HlsTrackDescription* track : tracks) {
    if (track->media_type == MediaType::kVideo && track->resolution) return track;
  }
  return nullptr;
}

std::string uri_of(const Rendition& rendition, const std::string& location) {
  return uri_relative_to(rendition.files().playlist_location, location);
}

// A variant playing `parts` together (a video and an audio rendition, or one rendition of all tracks).
hls::Variant variant_of(const std::vector<const Rendition*>& parts, const std::string& location) {
  hls::Variant variant;
  std::vector<const HlsTrackDescription*> tracks;
  uint64_t average = 0;
  bool all_averages = true;
  for (const Rendition* part : parts) {
    for (const HlsTrackDescription& track : part->tracks()) tracks.push_back(&track);
    variant.bandwidth += part->peak_bandwidth();
    if (auto a = part->average_bandwidth())
      average += *a;
    else
      all_averages = false;
  }
  variant.uri = uri_of(*parts.front(), location);
  variant.bandwidth = std::max<uint64_t>(variant.bandwidth, 1);
  if (all_averages) variant.average_bandwidth = average;
  variant.codecs = codecs_of(tracks);
  if (const HlsTrackDescription* video = first_video(tracks)) {
    variant.resolution = video->resolution;
    variant.frame_rate = video->frame_rate;
  }
  return variant;
}

// One track per header: audio renditions in one group (the first is the default); every video variant
// names it, and its BANDWIDTH and CODECS count the group's most demanding rendition as RFC 8216bis
// 4.4.6.2 asks. Without video, each audio track is a variant of its own.
void add_renditions(hls::MultivariantPlaylist& multivariant, const std::vector<const Rendition*>& renditions,
                    const std::string& location) {
  std::vector<const Rendition*> videos, audios;
  for (const Rendition* r : renditions) {
    (r->tracks().front().media_type == MediaType::kVideo ? videos : audios).push_back(r);
  }
  if (videos.empty()) {
    for (const Rendition* audio : audios) multivariant.variants.push_back(variant_of({audio}, location));
    return;
  }
  const Rendition* heaviest = nullptr;
  for (const Rendition* audio : audios) {
    hls::Rendition media;
    media.group_id = "audio";
    media.name = audio->name();
    media.language = audio->tracks().front().language;
    media.is_default = audio == audios.front();
    media.uri = uri_of(*audio, location);
    multivariant.renditions.push_back(std::move(media));
    if (!heaviest || audio->peak_bandwidth() > heaviest->peak_bandwidth()) heaviest = audio;
  }
  for (const Rendition* video : videos) {
    std::vector<const Rendition*> parts{video};
    if (heaviest) parts.push_back(heaviest);
    hls::Variant variant = variant_of(parts, location);
    if (heaviest) {
      // CODECS names every codec of the group, not only the heaviest rendition's.
      std::vector<const HlsTrackDescription*> tracks{&video->tracks().front()};
      for (const Rendition* audio : audios) tracks.push_back(&audio->tracks().front());
      variant.codecs = codecs_of(tracks);
      variant.audio_group = "audio";
    }
    multivariant.variants.push_back(std::move(variant));
  }
}

}  // namespace

hls::MultivariantPlaylist multivariant_playlist(const std::vector<const Rendition*>& renditions,
                                                bool one_track_per_header, const std::string& location,
                                                const std::string& root) {
  hls::MultivariantPlaylist multivariant;
  for (const Rendition* rendition : renditions) {
    multivariant.independent_segments = multivariant.independent_segments && rendition->independent_segments();
  }
  if (renditions.empty()) return multivariant;
  if (one_track_per_header) {
    add_renditions(multivariant, renditions, location);
  } else {
    multivariant.variants.push_back(variant_of({renditions.front()}, location));
  }
  for (hls::Rendition& media : multivariant.renditions) media.uri = under_root(media.uri, root);
  for (hls::Variant& variant : multivariant.variants) variant.uri = under_root(variant.uri, root);
  return multivariant;
}

}  // namespace aw
