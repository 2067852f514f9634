#include "rotation/rotated_file.h"

#include "rotation/writer_copy.h"

namespace aw {
namespace {

// ftyp, mvhd, the tracks' headers and sample descriptions, and slack for metadata.
constexpr uint64_t kIndexBaseBytes = 4096;
// stts/ctts/stsz/stss/stco per sample at worst (a size, a time run, an offset per chunk): what a dense index
// costs, so the estimate errs on the large side.
constexpr uint64_t kIndexBytesPerSample = 16;

}  // namespace

Result<std::unique_ptr<RotatedFileWriter>> RotatedFileWriter::open(const AssetWriter& prototype, std::string path,
                                                                   uint64_t index, Time start) {
  auto context = [&](const Status& s) { return s.with_context("file " + std::to_string(index) + " \"" + path + "\""); };
  auto writer = WriterConfigurationCopy::make(prototype, path);
  if (!writer) return context(writer.status());
  RotatedFile file;
  file.path = path;
  file.index = index;
  file.start = start;
  file.sample_counts.assign(prototype.inputs().size(), 0);
  std::unique_ptr<RotatedFileWriter> opened(new RotatedFileWriter(std::move(writer).value(), std::move(file)));
  if (Status s = opened->writer_->set_observer(&opened->listener_); !s) return context(s);
  if (Status s = opened->writer_->start_writing(); !s) return context(s);
  if (Status s = opened->writer_->start_session(start); !s) return context(s);
  return opened;
}

RotatedFileWriter::RotatedFileWriter(std::unique_ptr<AssetWriter> writer, RotatedFile file)
    : writer_(std::move(writer)), file_(std::move(file)), ended_(file_.sample_counts.size(), false) {}

Status RotatedFileWriter::append(size_t track, Sample sample) {
  const uint64_t size = sample.data.size();
  AW_RETURN_IF_ERROR(writer_->inputs()[track]->append(std::move(sample)));
  ++file_.sample_counts[track];
  payload_bytes_ += size;
  ++samples_;
  return Status::ok();
}

Status RotatedFileWriter::end_track(size_t track) {
  if (ended_[track]) return Status::ok();
  ended_[track] = true;
  return writer_->inputs()[track]->mark_as_finished();
}

Status RotatedFileWriter::close() {
  for (size_t track = 0; track < ended_.size(); ++track) AW_RETURN_IF_ERROR(end_track(track));
  // Media presented past the next file's start (the last audio frame's tail) is trimmed by the edit, so the
  // files' durations add up to the recording's.
  if (file_.end.is_numeric()) AW_RETURN_IF_ERROR(writer_->end_session(file_.end));
  AW_RETURN_IF_ERROR(writer_->finish_writing());
  file_.bytes = listener_.finished.size;
  if (!file_.end.is_numeric()) file_.end = file_.start + listener_.finished.duration;
  return Status::ok();
}

Status RotatedFileWriter::cancel() { return writer_->cancel_writing(); }

uint64_t RotatedFileWriter::estimated_size() const {
  return kIndexBaseBytes + payload_bytes_ + kIndexBytesPerSample * samples_;
}

}  // namespace aw
