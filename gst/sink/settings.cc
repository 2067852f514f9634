#include "sink/settings.h"

namespace gstaw {

GType file_type_choice_get_type() {
  static const GEnumValue values[] = {
      {static_cast<gint>(FileTypeChoice::kAuto), "From the location's extension (MP4 when unknown)", "auto"},
      {static_cast<gint>(FileTypeChoice::kMov), "QuickTime movie (.mov)", "mov"},
      {static_cast<gint>(FileTypeChoice::kMp4), "MPEG-4 (.mp4)", "mp4"},
      {static_cast<gint>(FileTypeChoice::kM4v), "Apple MPEG-4 video (.m4v)", "m4v"},
      {static_cast<gint>(FileTypeChoice::kM4a), "Apple MPEG-4 audio (.m4a)", "m4a"},
      {static_cast<gint>(FileTypeChoice::k3gp), "3GPP (.3gp)", "3gp"},
      {0, nullptr, nullptr},
  };
  // A function-local static is initialised once, thread-safely (C++11 [stmt.dcl]).
  static const GType type = g_enum_register_static("GstAssetWriterFileType", values);
  return type;
}

GType sync_fragments_get_type() {
  static const GEnumValue values[] = {
      {static_cast<gint>(SyncFragments::kOff), "Never (a killed process loses nothing, power loss may)", "false"},
      {static_cast<gint>(SyncFragments::kOn), "Always", "true"},
      {static_cast<gint>(SyncFragments::kAuto), "When a source upstream is live", "auto"},
      {0, nullptr, nullptr},
  };
  static const GType type = g_enum_register_static("GstAssetWriterSyncFragments", values);
  return type;
}

std::shared_ptr<const GstStructure> share_structure(const GstStructure* structure) {
  if (!structure) return nullptr;
  return std::shared_ptr<const GstStructure>(gst_structure_copy(structure), [](const GstStructure* s) {
    gst_structure_free(const_cast<GstStructure*>(s));
  });
}

aw::FileType resolve_file_type(const Settings& settings) {
  switch (settings.file_type) {
    case FileTypeChoice::kMov:
      return aw::FileType::kQuickTimeMovie;
    case FileTypeChoice::kMp4:
      return aw::FileType::kMpeg4;
    case FileTypeChoice::kM4v:
      return aw::FileType::kAppleM4V;
    case FileTypeChoice::kM4a:
      return aw::FileType::kAppleM4A;
    case FileTypeChoice::k3gp:
      return aw::FileType::k3Gpp;
    case FileTypeChoice::kAuto:
      break;
  }
  return aw::file_type_for_path(settings.location).value_or(aw::FileType::kMpeg4);
}

}  // namespace gstaw
