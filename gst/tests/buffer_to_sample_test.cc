// buffer_to_sample() and running_times(): no copies, running time in ns, DTS falling back to PTS.
#include "convert/buffer_to_sample.h"

#include <gtest/gtest.h>

namespace gstaw {
namespace {

class BufferToSample : public ::testing::Test {
 protected:
  void SetUp() override {
    gst_init(nullptr, nullptr);
    gst_segment_init(&segment_, GST_FORMAT_TIME);
  }
  GstSegment segment_;
};

TEST_F(BufferToSample, sample_points_into_the_buffer_and_owner_keeps_it_alive) {
  GstBuffer* buffer = gst_buffer_new_allocate(nullptr, 16, nullptr);
  GST_BUFFER_PTS(buffer) = 40 * GST_MSECOND;
  GST_BUFFER_DTS(buffer) = 20 * GST_MSECOND;
  GST_BUFFER_DURATION(buffer) = 33 * GST_MSECOND;
  GST_BUFFER_FLAG_SET(buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  GstMapInfo map;
  ASSERT_TRUE(gst_buffer_map(buffer, &map, GST_MAP_READ));
  const uint8_t* bytes = map.data;
  gst_buffer_unmap(buffer, &map);

  auto times = running_times(buffer, segment_);
  ASSERT_TRUE(times);
  gst_buffer_ref(buffer);  // keep one reference to watch the owner release the other
  auto sample = buffer_to_sample(buffer, *times);
  ASSERT_TRUE(sample);
  EXPECT_EQ(sample->data.data(), bytes);
  EXPECT_EQ(sample->data.size(), 16u);
  EXPECT_EQ(sample->presentation_time, aw::Time(40'000'000, 1'000'000'000));
  EXPECT_EQ(sample->decode_time, aw::Time(20'000'000, 1'000'000'000));
  EXPECT_EQ(sample->duration, aw::Time(33'000'000, 1'000'000'000));
  EXPECT_FALSE(sample->sync);
  EXPECT_EQ(GST_MINI_OBJECT_REFCOUNT_VALUE(buffer), 2);
  sample.reset();
  EXPECT_EQ(GST_MINI_OBJECT_REFCOUNT_VALUE(buffer), 1);
  gst_buffer_unref(buffer);
}

TEST_F(BufferToSample, missing_dts_falls_back_to_pts_and_missing_duration_is_invalid) {
  GstBuffer* buffer = gst_buffer_new();
  GST_BUFFER_PTS(buffer) = GST_SECOND;
  auto times = running_times(buffer, segment_);
  ASSERT_TRUE(times);
  EXPECT_EQ(times->dts, static_cast<int64_t>(GST_SECOND));
  EXPECT_FALSE(times->duration);
  auto sample = buffer_to_sample(buffer, *times);
  ASSERT_TRUE(sample);
  EXPECT_FALSE(sample->duration.is_valid());
  EXPECT_TRUE(sample->sync);
}

TEST_F(BufferToSample, running_time_follows_the_segment_and_goes_negative_before_its_start) {
  segment_.start = GST_SECOND;
  segment_.base = 5 * GST_SECOND;
  GstBuffer* buffer = gst_buffer_new();
  GST_BUFFER_PTS(buffer) = 2 * GST_SECOND;
  GST_BUFFER_DTS(buffer) = GST_SECOND - 10 * GST_MSECOND;
  auto times = running_times(buffer, segment_);
  ASSERT_TRUE(times);
  EXPECT_EQ(times->pts, static_cast<int64_t>(6 * GST_SECOND));
  EXPECT_EQ(times->dts, static_cast<int64_t>(5 * GST_SECOND - 10 * GST_MSECOND));
  gst_buffer_unref(buffer);
}

TEST_F(BufferToSample, buffer_without_timestamps_has_no_running_time) {
  GstBuffer* buffer = gst_buffer_new();
  EXPECT_FALSE(running_times(buffer, segment_));
  gst_buffer_unref(buffer);
}

}  // namespace
}  // namespace gstaw
