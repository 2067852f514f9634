#include "aw/media_types.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "aw/metadata.h"

namespace aw {

const char* to_string(MediaType type) {
  switch (type) {
    case MediaType::kVideo: return "video";
    case MediaType::kAudio: return "audio";
    case MediaType::kText: return "text";
    case MediaType::kMetadata: return "metadata";
  }
  return "?";
}

bool is_sparse(MediaType type) { return type == MediaType::kText || type == MediaType::kMetadata; }

const char* to_string(FileType type) {
  switch (type) {
    case FileType::kQuickTimeMovie: return "mov";
    case FileType::kMpeg4: return "mp4";
    case FileType::kAppleM4V: return "m4v";
    case FileType::kAppleM4A: return "m4a";
    case FileType::k3Gpp: return "3gp";
  }
  return "?";
}

std::optional<FileType> file_type_from_name(std::string_view name) {
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n == "mov" || n == "qt" || n == "quicktime") return FileType::kQuickTimeMovie;
  if (n == "mp4") return FileType::kMpeg4;
  if (n == "m4v") return FileType::kAppleM4V;
  if (n == "m4a") return FileType::kAppleM4A;
  if (n == "3gp" || n == "3gpp") return FileType::k3Gpp;
  return std::nullopt;
}

std::optional<FileType> file_type_for_path(std::string_view path) {
  auto slash = path.find_last_of('/');
  auto dot = path.find_last_of('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return std::nullopt;
  return file_type_from_name(path.substr(dot + 1));
}

const char* to_string(Codec codec) {
  switch (codec) {
    case Codec::kH264: return "H.264";
    case Codec::kHevc: return "H.265";
    case Codec::kAv1: return "AV1";
    case Codec::kVp9: return "VP9";
    case Codec::kProRes: return "ProRes";
    case Codec::kJpeg: return "JPEG";
    case Codec::kAac: return "AAC";
    case Codec::kAlac: return "ALAC";
    case Codec::kOpus: return "Opus";
    case Codec::kFlac: return "FLAC";
    case Codec::kAc3: return "AC-3";
    case Codec::kEac3: return "E-AC-3";
    case Codec::kMp3: return "MP3";
    case Codec::kPcm: return "PCM";
    case Codec::kTx3g: return "tx3g";
    case Codec::kMebx: return "mebx";
  }
  return "?";
}

MediaType media_type_of(Codec codec) {
  switch (codec) {
    case Codec::kH264:
    case Codec::kHevc:
    case Codec::kAv1:
    case Codec::kVp9:
    case Codec::kProRes:
    case Codec::kJpeg:
      return MediaType::kVideo;
    case Codec::kTx3g:
      return MediaType::kText;
    case Codec::kMebx:
      return MediaType::kMetadata;
    default:
      return MediaType::kAudio;
  }
}

const char* to_string(MetadataKey key) {
  switch (key) {
    case MetadataKey::kTitle: return "title";
    case MetadataKey::kArtist: return "artist";
    case MetadataKey::kAlbum: return "album";
    case MetadataKey::kComment: return "comment";
    case MetadataKey::kCreationDate: return "creation-date";
    case MetadataKey::kEncoder: return "encoder";
    case MetadataKey::kCopyright: return "copyright";
    case MetadataKey::kGenre: return "genre";
    case MetadataKey::kDescription: return "description";
    case MetadataKey::kLocation: return "location";
    case MetadataKey::kMake: return "make";
    case MetadataKey::kModel: return "model";
    case MetadataKey::kTrackNumber: return "track-number";
    case MetadataKey::kArtwork: return "artwork";
  }
  return "?";
}

}  // namespace aw
