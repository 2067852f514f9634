// Which brands a file declares (ftyp, and styp for media segments): one place for the file type's own
// brands and those a layout or profile adds (ISO/IEC 14496-12 4.3, 14496-14, 3GPP TS 26.244, CMAF
// ISO/IEC 23000-19 7.2 / 7.3.3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "aw/fourcc.h"
#include "aw/media_types.h"
#include "aw/segments.h"

namespace aw {

struct FileTypeBox {
  FourCC major_brand;
  uint32_t minor_version = 0;
  std::vector<FourCC> compatible_brands;
};

// What of a movie, besides its file type, decides the brands it declares.
struct BrandNeeds {
  std::span<const Codec> codecs;  // codec brands (avc1, av01) where the type expects them
  // A movie whose fragments are what readers play (not a recording finished as a plain movie) also
  // declares iso6, the brand that introduces tfdt.
  bool stays_fragmented = false;
  // ctts version 1 (signed composition offsets) came with iso4 (14496-12 4.3 brand list).
  bool signed_composition_offsets = false;
};

// The brands a file type declares.
FileTypeBox file_type_box_for(FileType type, const BrandNeeds& needs = {});
// `box` with the brands the codecs of its tracks add (av01), for a file or an initialization segment.
FileTypeBox with_codec_brands(FileTypeBox box, std::span<const Codec> codecs);

// What a segment stream claims: one decision for its header's ftyp, its segments' styp and what the CMAF
// brands ask of every fragment.
struct SegmentBrands {
  // Each header and its segments form a CMAF track: cmfc/cmf2, cmfs, and every tfhd names its sample
  // description (cmf2, 23000-19 7.7.3).
  bool cmaf = false;
  FileTypeBox header;                  // ftyp of each initialization segment
  std::optional<FileTypeBox> segment;  // styp in front of each media segment, if any
};

// The brands of segments written under `profile` with headers of `tracks_per_header` tracks.
SegmentBrands segment_brands(FileTypeProfile profile, size_t tracks_per_header);

}  // namespace aw
