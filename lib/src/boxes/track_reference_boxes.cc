#include "boxes/track_reference_boxes.h"

#include <vector>

namespace aw {

FourCC track_reference_type(TrackAssociationType type) {
  switch (type) {
    case TrackAssociationType::kChapterList: return FourCC("chap");
    case TrackAssociationType::kSubtitle: return FourCC("sbtl");
    case TrackAssociationType::kForcedSubtitle: return FourCC("forc");
    case TrackAssociationType::kFollows: return FourCC("folw");
    case TrackAssociationType::kMetadataReferent: return FourCC("cdsc");
    case TrackAssociationType::kTimecode: return FourCC("tmcd");
  }
  return FourCC("hint");
}

void write_tref(BoxWriter& w, std::span<const std::pair<FourCC, uint32_t>> references) {
  if (references.empty()) return;
  std::vector<FourCC> types;
  for (const auto& [type, id] : references) {
    bool seen = false;
    for (FourCC t : types) seen = seen || t == type;
    if (!seen) types.push_back(type);
  }
  w.box(FourCC("tref"), [&] {
    for (FourCC type : types) {
      w.box(type, [&] {
        for (const auto& [t, id] : references) {
          if (t == type) w.u32(id);
        }
      });
    }
  });
}

void write_elng(BoxWriter& w, const std::string& bcp47_tag) {
  if (bcp47_tag.empty()) return;
  w.full_box(FourCC("elng"), 0, 0, [&] {
    w.text(bcp47_tag);
    w.u8(0);
  });
}

}  // namespace aw
