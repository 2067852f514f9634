// Track references (tref, ISO/IEC 14496-12 8.3.3) and the extended language tag (elng, 8.4.6).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "aw/asset_writer_input.h"
#include "aw/fourcc.h"
#include "boxes/box_writer.h"

namespace aw {

FourCC track_reference_type(TrackAssociationType type);

// tref with one child box per reference type, listing the referenced track ids in the order given.
// Nothing for no references.
void write_tref(BoxWriter& w, std::span<const std::pair<FourCC, uint32_t>> references);

// elng: a BCP-47 language tag; nothing for an empty tag.
void write_elng(BoxWriter& w, const std::string& bcp47_tag);

}  // namespace aw
