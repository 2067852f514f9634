// Timed metadata (QTFF "Timed Metadata Media", ISO 14496-12 12.9.4): the 'mebx' sample entry with its key
// table, and the samples, whose atoms are typed by the keys' local ids.
#pragma once

#include <span>

#include "aw/format_description.h"
#include "boxes/box_writer.h"

namespace aw {

// mebx { keys { <local id 1..n> { keyd [dtyp] } } }. The key table is a plain atom here, unlike the
// FullBox 'keys' of moov/meta.
void write_mebx_entry(BoxWriter& w, std::span<const TimedMetadataKey> keys);

// Why a key list cannot describe a track ("key 2 has an empty name"), or ok.
Status check_metadata_keys(std::span<const TimedMetadataKey> keys);

}  // namespace aw
