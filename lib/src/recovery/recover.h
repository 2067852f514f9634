// The recovery of a killed recording (see aw/recover.h): finds the complete fragments, rebuilds each
// track's sample table from their runs and writes the plain movie.
#pragma once

#include <cstdint>
#include <vector>

#include "aw/recover.h"
#include "recovery/movie_reader.h"
#include "tables/sample_table.h"
#include "writer/edit_list.h"

namespace aw::recovery {

// The edit list and track duration (movie timescale) of a recovered track: the recording's empty edit,
// then its media from where the recording's media edit started to the end of the last sample.
TrackTimeline recovered_timeline(const RecordedTrack& track, const SampleTable& table, uint32_t movie_timescale);

// The complete plain moov of the recovered movie; chunk offsets in the tables are absolute.
std::vector<uint8_t> build_recovered_moov(const RecordedMovie& movie, const std::vector<SampleTable>& tables);

}  // namespace aw::recovery
