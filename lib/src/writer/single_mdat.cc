#include "writer/single_mdat.h"

#include "boxes/box_writer.h"
#include "boxes/free_space.h"
#include "boxes/movie_boxes.h"
#include "writer/movie_box.h"
#include "writer/movie_index.h"

namespace aw {

Result<SingleMdatHead> write_single_mdat_head(OutputFile& file, const FileTypeBox& ftyp, uint64_t reserve) {
  BoxWriter w;
  SingleMdatHead head;
  write_ftyp(w, ftyp);
  head.reserve_offset = w.size();
  if (reserve > 0) write_free(w, reserve);
  head.mdat_header_offset = w.size();
  write_free(w, kBoxHeaderSize);
  write_mdat_header(w, 0, false);  // its size is patched at finish
  head.payload_start = w.size();
  AW_RETURN_IF_ERROR(file.append(w.data()));
  return head;
}

Result<OutputFile> create_single_mdat_file(const std::string& path, const FileTypeBox& ftyp, uint64_t reserve,
                                           SingleMdatHead& head) {
  AW_ASSIGN_OR_RETURN(OutputFile file, OutputFile::create(path));
  auto written = write_single_mdat_head(file, ftyp, reserve);
  if (!written) {
    file.remove();
    return written.status();
  }
  head = *written;
  return file;
}

Status close_single_mdat(OutputFile& file, const SingleMdatHead& head, uint64_t payload) {
  bool large = mdat_needs_large_size(payload);
  BoxWriter w;
  write_mdat_header(w, payload, large);
  return file.write_at(head.mdat_header_offset + (large ? 0 : kBoxHeaderSize), w.data());
}

Status MediaData::write_chunk(TrackState& track, std::span<PendingSample> samples) {
  return for_each_description_run(samples, [&](std::span<PendingSample> run) {
    std::vector<std::span<const uint8_t>> buffers;
    buffers.reserve(run.size());
    uint32_t sample_count = 0;
    for (const auto& s : run) {
      buffers.push_back(s.data);
      sample_count += s.sample_count;
    }
    uint64_t chunk_offset = size_;
    uint64_t before = file_.position();
    AW_RETURN_IF_ERROR(file_.append_vectored(buffers));
    size_ += file_.position() - before;
    track.table.add_chunk(chunk_offset, sample_count, run[0].description_index);
    return Status::ok();
  });
}

Result<uint64_t> MediaData::append(std::span<const uint8_t> bytes) {
  uint64_t offset = size_;
  AW_RETURN_IF_ERROR(file_.append(bytes));
  size_ += bytes.size();
  return offset;
}

Status SingleMdatMovie::open(uint64_t reserve) {
  AW_ASSIGN_OR_RETURN(OutputFile output, create_single_mdat_file(movie_.path, movie_.file_type_box(), reserve, head_));
  output_.emplace(std::move(output));
  media_.emplace(*output_);
  return Status::ok();
}

Status SingleMdatMovie::open_empty() {
  AW_ASSIGN_OR_RETURN(OutputFile output, OutputFile::create(movie_.path));
  output_.emplace(std::move(output));
  return Status::ok();
}

Status SingleMdatMovie::write_chunk(size_t track, std::span<PendingSample> samples) {
  return media_->write_chunk(movie_.tracks[track], samples);
}

Result<std::vector<TrackSummary>> SingleMdatMovie::finish_index() {
  // The chapter titles go after the media, inside the mdat.
  return finish_movie_index(movie_, [&](std::span<const uint8_t> s) { return media_->append(s); });
}

void SingleMdatMovie::cancel() {
  if (output_) output_->remove();
  output_.reset();
}

Status write_moov_first(OutputFile& destination, OutputFile& media, uint64_t media_offset, uint64_t payload,
                        const MovieState& movie, std::span<const TrackSummary> summaries) {
  // The moov size depends on whether chunk offsets need 64 bits, which depends on the moov size: settle it
  // by building until the size stops changing (at most twice more). Chunk offsets are kept relative to the
  // payload's first byte, wherever `media` holds it.
  BoxWriter head;
  write_ftyp(head, movie.file_type_box());
  MovieContext context = movie.context();
  bool large = mdat_needs_large_size(payload);
  uint64_t header_size = large ? 16 : 8;
  std::vector<uint8_t> moov = build_moov(movie.tracks, summaries, context, head.size() + header_size);
  for (int i = 0; i < 3; ++i) {
    auto again = build_moov(movie.tracks, summaries, context, head.size() + moov.size() + header_size);
    if (again.size() == moov.size()) {
      moov = std::move(again);
      break;
    }
    moov = std::move(again);
  }
  head.bytes(moov);
  write_mdat_header(head, payload, large);
  AW_RETURN_IF_ERROR(destination.append(head.data()));
  return destination.append_range(media, media_offset, payload);
}

}  // namespace aw
