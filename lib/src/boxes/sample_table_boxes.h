// Sample table boxes (ISO/IEC 14496-12 clause 8.6 and 8.7): stts, ctts, stss, stsc, stsz, stco/co64,
// written from a run-length SampleTable.
#pragma once

#include <cstdint>
#include <functional>

#include "boxes/box_writer.h"
#include "tables/sample_table.h"

namespace aw {

void write_stts(BoxWriter& w, const SampleTable& t);
// Nothing when every offset is zero.
void write_ctts(BoxWriter& w, const SampleTable& t);
// Nothing when every sample is a sync sample (ISO 14496-12 8.6.2.1).
void write_stss(BoxWriter& w, const SampleTable& t);
void write_stsc(BoxWriter& w, const SampleTable& t);
void write_stsz(BoxWriter& w, const SampleTable& t);
// stco, or co64 when `use_co64`; chunk offsets are payload offsets plus `payload_base`.
void write_chunk_offsets(BoxWriter& w, const SampleTable& t, uint64_t payload_base, bool use_co64);
// True when some chunk offset would not fit in 32 bits.
bool needs_co64(const SampleTable& t, uint64_t payload_base);

// stbl with the sample description written by `write_sample_entry`.
void write_stbl(BoxWriter& w, const SampleTable& t, const std::function<void()>& write_sample_entry,
                uint64_t payload_base, bool use_co64);

}  // namespace aw
