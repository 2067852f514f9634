// Boxes that follow the configuration box in a visual sample entry: fiel, colr (nclx / nclc), mdcv + clli
// (ISO) or SmDm + CoLL (QuickTime), pasp, clap, and btrt. Each writes nothing when it has nothing to say.
#pragma once

#include "aw/format_description.h"
#include "aw/media_types.h"
#include "boxes/box_writer.h"
#include "codecs/track_format.h"
#include "tables/bitrates.h"

namespace aw {

// colr: 'nclx' with the full-range flag (ISO/IEC 14496-12 12.1.5) or QuickTime's 'nclc' without it.
void write_colr(BoxWriter& w, const ColorDescription& color, FileType file_type);
// mdcv (ISO/IEC 23001-8 / 14496-15): SEI units, primaries in green, blue, red order as the SEI has them.
void write_mdcv(BoxWriter& w, const MasteringDisplay& display);
// clli: max content and max frame-average light level.
void write_clli(BoxWriter& w, const ContentLightLevel& level);
// SmDm (VP codec ISO binding, QuickTime): FullBox, 0.16 chromaticities in R, G, B order, 24.8 / 18.14 luminance.
void write_smdm(BoxWriter& w, const MasteringDisplay& display);
// CoLL: FullBox, max content and max frame-average light level.
void write_coll(BoxWriter& w, const ContentLightLevel& level);
// pasp: hSpacing, vSpacing.
void write_pasp(BoxWriter& w, uint32_t h_spacing, uint32_t v_spacing);
// fiel (QuickTime "Field handling"): field count and order, top or bottom field first.
void write_fiel(BoxWriter& w, FieldOrder order);
// clap: the clean aperture as rationals, offsets from the picture centre.
void write_clap(BoxWriter& w, const CleanAperture& aperture, uint32_t width, uint32_t height);
// btrt (14496-12 8.5.2.2): bufferSizeDB, maxBitrate, avgBitrate.
void write_btrt(BoxWriter& w, const Bitrates& bitrates);

// All of them for a visual entry, in the order FFmpeg writes them; btrt only in ISO files and only when
// the rates are known.
void write_visual_extensions(BoxWriter& w, const VisualExtensions& visual, FileType file_type, uint32_t width,
                             uint32_t height, const Bitrates& bitrates);

}  // namespace aw
