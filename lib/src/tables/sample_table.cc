#include "tables/sample_table.h"

#include <algorithm>

namespace aw {

void SampleTable::append_delta(uint32_t delta) {
  if (!stts_.empty() && stts_.back().delta == delta) {
    ++stts_.back().count;
  } else {
    stts_.push_back({1, delta});
  }
  media_duration_ += delta;
  max_pts_end_ = std::max(max_pts_end_, last_pts_ + static_cast<int64_t>(delta));
}

void SampleTable::add_sample(int64_t dts, int64_t pts, uint32_t size, bool sync) {
  if (sample_count_ == 0) {
    first_dts_ = dts;
    min_pts_ = pts;
    max_pts_end_ = pts;
  } else {
    // The caller guarantees dts is non-decreasing and the gap fits 32 bits.
    append_delta(static_cast<uint32_t>(dts - last_dts_));
  }
  min_pts_ = std::min(min_pts_, pts);
  last_dts_ = dts;
  last_pts_ = pts;

  auto offset = static_cast<int32_t>(pts - dts);
  if (offset != 0) has_ctts_ = true;
  if (!ctts_.empty() && ctts_.back().offset == offset) {
    ++ctts_.back().count;
  } else {
    ctts_.push_back({1, offset});
  }
  composition_shift_ = std::max(composition_shift_, -offset);

  if (!sizes_.empty() && sizes_.front() != size) constant_size_ = false;
  sizes_.push_back(size);
  total_bytes_ += size;
  max_sample_size_ = std::max(max_sample_size_, size);

  ++sample_count_;
  if (sync) sync_samples_.push_back(sample_count_);
}

void SampleTable::finish(uint32_t last_duration) {
  if (finished_ || sample_count_ == 0) return;
  append_delta(last_duration);
  finished_ = true;
}

void SampleTable::add_chunk(uint64_t payload_offset, uint32_t count) {
  if (count == 0) return;
  chunks_.push_back({payload_offset, count});
}

}  // namespace aw
