// The one mdat of plain and moov-first movies: its head in the file, the chunks appended to it (each
// indexed in its track's sample table by its offset from the payload's first byte), and the moov-first
// layout written with one sequential copy of the payload.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aw/status.h"
#include "io/output_file.h"
#include "writer/interleaver.h"
#include "writer/movie_state.h"
#include "writer/output_mode.h"

namespace aw {

// Where the head of a single-mdat file put things.
struct SingleMdatHead {
  uint64_t reserve_offset = 0;      // the 'free' box reserved for a moov written later (if any)
  uint64_t mdat_header_offset = 0;  // the placeholder + mdat header
  uint64_t payload_start = 0;       // the payload's first byte
};

// Writes ftyp, `reserve` bytes of 'free' (room for the moov of a moov-first movie; 0: none), then room for
// a 64-bit mdat header: an 8-byte 'free' box that becomes part of the mdat header if the media passes
// 4 GiB, so chunk offsets never move.
Result<SingleMdatHead> write_single_mdat_head(OutputFile& file, const FileTypeBox& ftyp, uint64_t reserve);
// Creates `path` and writes that head into it (the file is removed again if the head cannot be written).
Result<OutputFile> create_single_mdat_file(const std::string& path, const FileTypeBox& ftyp, uint64_t reserve,
                                           SingleMdatHead& head);
// Patches the mdat header for `payload` bytes: 32-bit behind the placeholder, or 64-bit over both.
Status close_single_mdat(OutputFile& file, const SingleMdatHead& head, uint64_t payload);

// The payload: chunks appended to a file (the output itself, or a temporary file of a moov-first movie).
class MediaData {
 public:
  explicit MediaData(OutputFile& file) : file_(file) {}
  // Appends one chunk per run of a sample description and records it in the track's table.
  Status write_chunk(TrackState& track, std::span<PendingSample> samples);
  // Appends `bytes` and returns their offset in the payload.
  Result<uint64_t> append(std::span<const uint8_t> bytes);
  uint64_t size() const { return size_; }

 private:
  OutputFile& file_;
  uint64_t size_ = 0;
};

// What plain and moov-first movies share: the output, its one mdat's head and payload, and the end of the
// index (tables closed, chapter titles appended to the payload).
class SingleMdatMovie : public OutputMode {
 public:
  Status write_chunk(size_t track, std::span<PendingSample> samples) override;
  void cancel() override;

 protected:
  explicit SingleMdatMovie(MovieState& movie) : movie_(movie) {}
  // Creates the output with its head; `reserve`: room for a moov in front of the mdat.
  Status open(uint64_t reserve);
  // Only creates the output (its payload goes elsewhere until finish: set media_).
  Status open_empty();
  Result<std::vector<TrackSummary>> finish_index();

  MovieState& movie_;
  std::optional<OutputFile> output_;
  std::optional<MediaData> media_;
  SingleMdatHead head_;
};

// ftyp + moov + mdat header into `destination`, then the `payload` bytes of `media` from `media_offset`,
// copied in one sequential pass.
Status write_moov_first(OutputFile& destination, OutputFile& media, uint64_t media_offset, uint64_t payload,
                        const MovieState& movie, std::span<const TrackSummary> summaries);

}  // namespace aw
