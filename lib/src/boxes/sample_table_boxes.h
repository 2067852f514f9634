// Sample table boxes (ISO/IEC 14496-12 clause 8.6 and 8.7): stts, ctts, stss, stsc, stsz, stco/co64,
// written from a compact SampleTable.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>

#include "aw/media_types.h"
#include "boxes/box_writer.h"
#include "tables/sample_table.h"

namespace aw {

void write_stts(BoxWriter& w, const SampleTable& t);
// How composition offsets (pts - dts) are stored: `shift` is added to each. Non-negative results are a
// version-0 ctts every reader takes; `signed_offsets` allows negative ones (version 1 in ISO files,
// version 0 read as signed in QuickTime, QTFF "Composition offset atom") and adds a cslg.
struct CompositionStorage {
  int32_t shift = 0;
  bool signed_offsets = false;
};
// The smallest and largest raw offset of a table (0, 0 when it has none).
std::pair<int32_t, int32_t> composition_offset_range(const SampleTable& t);
// Nothing when every offset is zero.
void write_ctts(BoxWriter& w, const SampleTable& t, const CompositionStorage& storage, FileType file_type);
// Non-negative offsets, shifted by the table's own composition_shift().
inline void write_ctts(BoxWriter& w, const SampleTable& t) {
  write_ctts(w, t, {t.composition_shift(), false}, FileType::kMpeg4);
}
// cslg (14496-12 8.6.1.4): only with signed offsets that are actually negative.
void write_cslg(BoxWriter& w, const SampleTable& t, const CompositionStorage& storage);
// Nothing when every sample is a sync sample (ISO 14496-12 8.6.2.1).
void write_stss(BoxWriter& w, const SampleTable& t);
void write_stsc(BoxWriter& w, const SampleTable& t);
void write_stsz(BoxWriter& w, const SampleTable& t);
// stco, or co64 when `use_co64`; chunk offsets are payload offsets plus `payload_base`.
void write_chunk_offsets(BoxWriter& w, const SampleTable& t, uint64_t payload_base, bool use_co64);
// True when some chunk offset would not fit in 32 bits.
bool needs_co64(const SampleTable& t, uint64_t payload_base);

// stbl with the sample descriptions written by `write_sample_entry` (`sample_entry_count` of them: more
// than one when a track's format changed mid-stream, each chunk naming its own in stsc).
void write_stbl(BoxWriter& w, const SampleTable& t, const std::function<void()>& write_sample_entry,
                uint64_t payload_base, bool use_co64, const CompositionStorage& composition, FileType file_type,
                uint32_t sample_entry_count = 1);
inline void write_stbl(BoxWriter& w, const SampleTable& t, const std::function<void()>& write_sample_entry,
                       uint64_t payload_base, bool use_co64) {
  write_stbl(w, t, write_sample_entry, payload_base, use_co64, {t.composition_shift(), false}, FileType::kMpeg4);
}

}  // namespace aw
