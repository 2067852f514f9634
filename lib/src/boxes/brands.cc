#include "boxes/brands.h"

#include <algorithm>

namespace aw {

namespace {

bool uses(std::span<const Codec> codecs, Codec codec) {
  return std::find(codecs.begin(), codecs.end(), codec) != codecs.end();
}

}  // namespace

FileTypeBox file_type_box_for(FileType type, const BrandNeeds& needs) {
  FileTypeBox box;
  switch (type) {
    case FileType::kQuickTimeMovie:
      // QuickTime has no brand for tfdt: a fragmented movie declares what a plain one does.
      return {FourCC("qt  "), 0x200, {FourCC("qt  ")}};
    case FileType::kAppleM4V:
      box = {FourCC("M4V "), 0x200, {FourCC("M4V "), FourCC("M4A "), FourCC("mp42"), FourCC("isom")}};
      break;
    case FileType::kAppleM4A:
      box = {FourCC("M4A "), 0x200, {FourCC("M4A "), FourCC("mp42"), FourCC("isom")}};
      break;
    case FileType::k3Gpp:
      // Release 6 is the first 3GPP release with AVC and AAC (3GPP TS 26.244).
      box = {FourCC("3gp6"), 0x200, {FourCC("3gp6"), FourCC("3gp5"), FourCC("3gp4"), FourCC("isom"), FourCC("iso2")}};
      break;
    case FileType::kMpeg4:
      box = {FourCC("isom"), 0x200, {FourCC("isom"), FourCC("iso2")}};
      if (uses(needs.codecs, Codec::kH264)) box.compatible_brands.push_back(FourCC("avc1"));
      box.compatible_brands.push_back(FourCC("mp41"));
      break;
  }
  if (needs.signed_composition_offsets) box.compatible_brands.push_back(FourCC("iso4"));
  if (needs.stays_fragmented) box.compatible_brands.push_back(FourCC("iso6"));
  return with_codec_brands(std::move(box), needs.codecs);
}

FileTypeBox with_codec_brands(FileTypeBox box, std::span<const Codec> codecs) {
  // AV1 in ISOBMFF (AV1-ISOBMFF 2.1): a file with AV1 tracks SHALL list av01.
  if (uses(codecs, Codec::kAv1)) box.compatible_brands.push_back(FourCC("av01"));
  return box;
}

SegmentBrands segment_brands(FileTypeProfile profile, size_t tracks_per_header) {
  // A CMAF header's MovieBox SHALL contain exactly one track (23000-19 7.3.2.1): a muxed header under the
  // CMAF profile is plain fragmented MP4 and claims no cmf* brand, in its header or its segments.
  const bool cmaf = profile == FileTypeProfile::kMpeg4CmafCompliant && tracks_per_header == 1;
  if (cmaf) {
    // cmfc for the track format, cmf2 for its 2nd-edition constraints; iso6 for tfdt (23000-19 7.2).
    // Segments: the CMAF segment and fragment brands (7.3.3).
    return {true,
            {FourCC("cmf2"), 0, {FourCC("cmf2"), FourCC("cmfc"), FourCC("iso6"), FourCC("isom")}},
            FileTypeBox{FourCC("cmfs"), 0, {FourCC("cmfs"), FourCC("cmff"), FourCC("iso6")}}};
  }
  SegmentBrands brands{false, {FourCC("iso6"), 0, {FourCC("iso6"), FourCC("isom"), FourCC("mp41")}}, std::nullopt};
  // A muxed stream asked for as CMAF still starts each segment with a styp (segment boundaries stay
  // marked in a concatenated stream); Apple HLS segments start with their moof.
  if (profile == FileTypeProfile::kMpeg4CmafCompliant) {
    brands.segment = FileTypeBox{FourCC("iso6"), 0, {FourCC("iso6")}};
  }
  return brands;
}

}  // namespace aw
