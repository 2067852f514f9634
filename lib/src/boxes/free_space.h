// 'free' boxes (ISO/IEC 14496-12 8.1.2): bytes every reader skips. The writer reserves room with them
// (for a moov written later, a 64-bit mdat header) and hides boxes it no longer wants read (an old moov,
// the fragment headers of a recording finished as a plain movie) by rewriting their type in place.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "aw/fourcc.h"
#include "aw/status.h"
#include "boxes/box_writer.h"
#include "io/byte_sink.h"

namespace aw {

constexpr uint64_t kBoxHeaderSize = 8;

// A whole 'free' box of `size` bytes (at least 8, at most 2^32 - 1), its payload zeros.
void write_free(BoxWriter& w, uint64_t size);
// Only the 8-byte header of a 'free' box of `size` bytes: its payload is whatever the file holds there.
void write_free_header(BoxWriter& w, uint64_t size);
std::vector<uint8_t> free_header(uint64_t size);

// Rewrites the type of the box that starts at `box_offset` in `file`: 4 bytes, so the change is atomic
// for any reader (and, synced, for a power loss).
Status retype_box(ByteSink& file, uint64_t box_offset, FourCC type);
// Turns the box at `box_offset` into padding every reader skips (retyped 'free').
Status hide_box(ByteSink& file, uint64_t box_offset);
// Hides the box of `box_size` bytes at `box_offset` and zeroes its payload, so a reader that looks inside
// 'free' boxes (VLC warns of a "moov hidden in a free box") finds nothing there. The type goes first: a crash
// in between leaves padding either way.
Status erase_box(ByteSink& file, uint64_t box_offset, uint64_t box_size);
// A copy of the whole box `box` with another type.
std::vector<uint8_t> retyped_copy(std::span<const uint8_t> box, FourCC type);

}  // namespace aw
