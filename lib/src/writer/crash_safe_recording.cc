#include "writer/crash_safe_recording.h"

#include "boxes/box_writer.h"
#include "boxes/free_space.h"
#include "boxes/movie_boxes.h"
#include "writer/movie_index.h"

namespace aw {

Status CrashSafeRecording::start() {
  FragmentSettings fs;
  fs.interval = movie_.settings.crash_recovery_interval;
  fs.sync_to_disk = movie_.settings.sync_fragments_to_disk;
  // These fragments are never seen by a player of the finished file: cut on time, keyframe or not.
  fs.intervals_before_cut_without_sync = 1;
  // Each run is indexed as a chunk of the plain movie's sample tables where it landed.
  return open(fs, [this](size_t track, uint64_t offset, uint32_t count, uint32_t description) {
    movie_.tracks[track].table.add_chunk(offset, count, description);
  });
}

Result<uint64_t> CrashSafeRecording::append_chapter_samples(std::span<const uint8_t> samples) {
  BoxWriter mdat;
  write_mdat_header(mdat, samples.size(), false);
  mdat.bytes(samples);
  uint64_t offset = output_->position() + kBoxHeaderSize;
  AW_RETURN_IF_ERROR(output_->append(mdat.data()));
  return offset;
}

Status CrashSafeRecording::finish() {
  AW_RETURN_IF_ERROR(write_rest());
  AW_ASSIGN_OR_RETURN(auto summaries, finish_movie_index(movie_, [this](std::span<const uint8_t> s) {
                        return append_chapter_samples(s);
                      }));
  // The complete index goes after the last fragment and is on disk before any fragment header is hidden.
  AW_RETURN_IF_ERROR(output_->append(build_moov(movie_.tracks, summaries, movie_.context(), 0)));
  if (movie_.settings.sync_fragments_to_disk) AW_RETURN_IF_ERROR(output_->flush_to_disk());
  // The first moov (the recording's fragmented header) is no longer read: erased, not only hidden.
  AW_RETURN_IF_ERROR(erase_box(*output_, header_.space().moov_offset(), header_.space().moov_size()));
  for (uint64_t moof : fragments_->moof_offsets()) AW_RETURN_IF_ERROR(hide_box(*output_, moof));
  return output_->close();
}

}  // namespace aw
