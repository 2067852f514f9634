// Timed text and chapters: the tx3g sample entry (3GPP TS 26.245 5.16), QuickTime's 'text' sample
// description for chapter tracks in .mov, the media headers of text and other non-A/V tracks (nmhd in ISO
// files, gmhd in QuickTime), and the Nero chapter list (chpl) that ffmpeg reads from moov/udta.
#pragma once

#include <cstdint>
#include <span>

#include "aw/fourcc.h"
#include "aw/media_types.h"
#include "aw/text_and_metadata.h"
#include "boxes/box_writer.h"

namespace aw {

// tx3g with the defaults ffmpeg's mov_text encoder and qtmux use: centred at the bottom, white 18-point
// Sans-Serif on a transparent background, the text box the whole track (0,0,0,0 = the track's size).
void write_tx3g_entry(BoxWriter& w);
// QuickTime's 'text' sample description (QTFF "Text Sample Description"): every field default (black text,
// no box), which is what QuickTime reads chapter titles from.
void write_quicktime_text_entry(BoxWriter& w);

// The media header of a track whose handler is neither 'vide' nor 'soun': nmhd (ISO 14496-12 8.4.5.2) in
// ISO files; in QuickTime a base media information header (gmhd/gmin), plus the 'text' atom QuickTime
// wants for text handlers to show chapters.
void write_null_media_header(BoxWriter& w, FileType file_type, FourCC handler);

// Nero's chapter list (moov/udta/chpl, version 1): start times in 100 ns units and titles of at most 255
// bytes; at most 255 chapters (the count is 8 bits), the rest left to the chapter track.
void write_chpl(BoxWriter& w, std::span<const Chapter> chapters);

}  // namespace aw
