#include "tables/sample_table.h"

#include <algorithm>

namespace aw {

void SampleTable::append_delta(uint32_t delta, uint32_t count) {
  stts_.append(delta, count);
  media_duration_ += uint64_t{delta} * count;
  max_pts_end_ = std::max(max_pts_end_, last_pts_ + static_cast<int64_t>(delta));
}

void SampleTable::record_size(uint32_t size, uint32_t count) {
  if (sample_count_ == 0) first_size_ = size;
  if (constant_size() && size != first_size_) {
    for (uint32_t i = 0; i < sample_count_; ++i) sizes_.push(first_size_);
  }
  if (!constant_size()) {
    for (uint32_t i = 0; i < count; ++i) sizes_.push(size);
  }
  total_bytes_ += uint64_t{size} * count;
  max_sample_size_ = std::max(max_sample_size_, size);
}

void SampleTable::record_sync(bool sync) {
  // Called before sample_count_ counts this sample.
  if (all_sync_ && !sync) {
    all_sync_ = false;
    for (uint32_t n = 0; n < sample_count_; ++n) sync_.push(true);
  }
  if (!all_sync_) sync_.push(sync);
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
  ctts_.append(offset);
  composition_shift_ = std::max(composition_shift_, -offset);

  record_size(size, 1);
  record_sync(sync);
  ++sample_count_;
}

void SampleTable::add_sample_run(int64_t dts, uint32_t count, uint32_t size, uint32_t delta) {
  if (count == 0) return;
  add_sample(dts, dts, size, true);
  if (count == 1) return;
  // The remaining count - 1 samples: the run's first delta closes the sample just added.
  uint32_t rest = count - 1;
  append_delta(delta, rest);
  last_dts_ = dts + static_cast<int64_t>(delta) * rest;
  last_pts_ = last_dts_;
  max_pts_end_ = std::max(max_pts_end_, last_pts_);
  ctts_.append(0, rest);  // add_sample() just added offset 0
  record_size(size, rest);
  if (!all_sync_) {
    for (uint32_t i = 0; i < rest; ++i) sync_.push(true);
  }
  sample_count_ += rest;
}

void SampleTable::finish(uint32_t last_duration) {
  if (finished_ || sample_count_ == 0) return;
  append_delta(last_duration);
  finished_ = true;
}

void SampleTable::add_chunk(uint64_t payload_offset, uint32_t count, uint32_t description_index) {
  if (count == 0) return;
  const uint32_t current = description_changes_.empty() ? 1 : description_changes_.back().description_index;
  if (description_index != current) {
    description_changes_.push_back({static_cast<uint32_t>(chunks_.count() + 1), description_index});
  }
  chunks_.push({payload_offset, count});
}

size_t SampleTable::memory_bytes() const {
  return stts_.memory_bytes() + ctts_.memory_bytes() + sizes_.memory_bytes() + sync_.memory_bytes() +
         chunks_.memory_bytes() + description_changes_.capacity() * sizeof(DescriptionChange);
}

}  // namespace aw
