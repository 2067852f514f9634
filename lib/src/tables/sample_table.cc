#include "tables/sample_table.h"

#include <algorithm>

namespace aw {

void SampleTable::append_delta(uint32_t delta, uint32_t count) {
  if (!stts_.empty() && stts_.back().delta == delta) {
    stts_.back().count += count;
  } else {
    stts_.push_back({count, delta});
  }
  media_duration_ += uint64_t{delta} * count;
  max_pts_end_ = std::max(max_pts_end_, last_pts_ + static_cast<int64_t>(delta));
}

void SampleTable::record_size(uint32_t size, uint32_t count) {
  if (sample_count_ == 0) first_size_ = size;
  if (sizes_.empty() && size != first_size_) sizes_.assign(sample_count_, first_size_);
  if (!sizes_.empty()) sizes_.insert(sizes_.end(), count, size);
  total_bytes_ += uint64_t{size} * count;
  max_sample_size_ = std::max(max_sample_size_, size);
}

void SampleTable::record_sync(bool sync) {
  // Called before sample_count_ counts this sample.
  if (all_sync_ && !sync) {
    all_sync_ = false;
    sync_samples_.reserve(sample_count_);
    for (uint32_t n = 1; n <= sample_count_; ++n) sync_samples_.push_back(n);
  }
  if (!all_sync_ && sync) sync_samples_.push_back(sample_count_ + 1);
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
  ctts_.back().count += rest;  // add_sample() just opened a run of offset 0
  record_size(size, rest);
  if (!all_sync_) {
    for (uint32_t i = 0; i < rest; ++i) sync_samples_.push_back(sample_count_ + 1 + i);
  }
  sample_count_ += rest;
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
