// User data metadata in the style each file type's readers expect:
//  - mp4 / m4v / m4a: udta/meta/hdlr(mdir)/ilst with iTunes-style items (©nam, ©ART, trkn, covr, ... each
//    holding a 'data' box), which iTunes, ffprobe, qtdemux and mediainfo all read; a location goes in a
//    classic ©xyz user data item, as Apple's and ffmpeg's writers do;
//  - mov: QuickTime metadata (udta/meta with an 'mdta' handler, 'keys' of reverse-DNS names such as
//    com.apple.quicktime.location.ISO6709, and an 'ilst' indexed by key), as AVAssetWriter writes it, plus
//    the classic text items (©nam ...) that older readers know;
//  - 3gp: the 3GPP asset boxes of TS 26.244 (titl, perf, albm, dscp, cprt, gnre, yrrc).
#pragma once

#include <functional>

#include <cstdint>
#include <optional>
#include <string>

#include "aw/media_types.h"
#include "aw/metadata.h"
#include "boxes/box_writer.h"

namespace aw {

// iTunes' gapless playback information (the iTunSMPB comment of .m4a files): the encoder delay and the end
// padding around the original audio, in samples, as players that ignore edit lists (iTunes, older iPods,
// ffmpeg's gapless mode) read them.
struct GaplessInfo {
  uint32_t priming = 0;
  uint32_t padding = 0;
  uint64_t valid_samples = 0;
};

// " 00000000 PPPPPPPP DDDDDDDD VVVVVVVVVVVVVVVV 00000000 ..." as iTunes writes it: twelve hexadecimal
// fields with a leading space, the fourth 64 bits wide.
std::string itunsmpb_text(const GaplessInfo& info);

// Writes a udta box holding `metadata` (and, in an iTunes-style ilst, `gapless`), or nothing when no item
// can be written.
// `more` writes further children (the Nero chapter list) after the metadata.
void write_udta(BoxWriter& w, const Metadata& metadata, FileType file_type,
                const std::optional<GaplessInfo>& gapless = std::nullopt,
                const std::function<void(BoxWriter&)>& more = {});

}  // namespace aw
