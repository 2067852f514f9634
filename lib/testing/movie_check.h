// A strict structural check of a finished movie file (or of concatenated segments), shared by the fuzz
// targets, the element tests and the large-file tests: every box size adds up (the library's reader, through
// testing/box_tree.h), there is exactly one moov, every sample the sample tables index (stco/co64 + stsc +
// stsz) lies inside an mdat payload, table counts agree, and in fragmented files every trun's data lies
// inside the mdat that follows its moof. Each check returns an empty string when the file is sound, else what
// is wrong and where.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace aw::check {

// A byte range of the file: an mdat's payload.
struct Range {
  uint64_t begin = 0;
  uint64_t end = 0;
};

// A whole file image (or init segment + media segments concatenated).
std::string check_movie(std::span<const uint8_t> bytes);
std::string check_movie_file(const std::string& path);

// The sample tables of a moov read on its own from file offset `moov_offset`, against the mdat payloads
// found by seeking (testing/box_tree.h's scan_top_level): for files too large to read whole. `samples`, when
// given, receives the samples of all tracks.
std::string check_moov(std::span<const uint8_t> moov, uint64_t moov_offset, const std::vector<Range>& mdats,
                       uint64_t* samples = nullptr);

}  // namespace aw::check
