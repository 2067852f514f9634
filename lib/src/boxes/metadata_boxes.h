// User data metadata in the style each file type's readers expect:
//  - mp4 / m4v / m4a: udta/meta/hdlr(mdir)/ilst with iTunes-style items (©nam, ©ART, ... each holding a
//    'data' box), which iTunes, ffprobe, qtdemux and mediainfo all read;
//  - mov: QuickTime user data text items (©nam with a counted, language-tagged string);
//  - 3gp: the 3GPP asset boxes of TS 26.244 (titl, perf, albm, dscp, cprt, gnre, yrrc).
#pragma once

#include "aw/media_types.h"
#include "aw/metadata.h"
#include "boxes/box_writer.h"

namespace aw {

// Writes a udta box holding `metadata`, or nothing when no item can be written.
void write_udta(BoxWriter& w, const Metadata& metadata, FileType file_type);

}  // namespace aw
