// Segment output with parts (LL-HLS Partial Segments, CMAF chunks): each segment cut into moof+mdat parts
// at the part interval, each handed out as soon as it is written, the segment then exactly their bytes.
#include <gtest/gtest.h>

#include <bit>
#include <map>
#include <optional>

#include "aw/asset_writer.h"
#include "golden.h"
#include "test_media.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

using test::make_sample;

// What the delegate heard, in order: parts and whole segments.
struct PartCollector : SegmentDelegate {
  struct Part {
    std::vector<uint8_t> bytes;
    PartReport report;
  };
  struct Segment {
    std::vector<uint8_t> bytes;
    SegmentReport report;
    std::vector<Part> parts;  // the parts delivered before it, of its track
  };
  std::vector<std::vector<uint8_t>> headers;
  std::vector<Segment> segments;
  std::map<uint32_t, std::vector<Part>> pending;  // by the first track's ID
  std::vector<std::string> events;                // "part <track> <index>", "segment <track>"

  Status did_output_segment_data(std::span<const uint8_t> data, SegmentType type,
                                 const SegmentReport* report) override {
    if (type == SegmentType::kInitialization) {
      headers.emplace_back(data.begin(), data.end());
      return Status::ok();
    }
    const uint32_t track = report->tracks.front().track_id;
    events.push_back("segment " + std::to_string(track));
    segments.push_back({{data.begin(), data.end()}, *report, std::move(pending[track])});
    pending[track].clear();
    return Status::ok();
  }
  Status did_output_part_data(std::span<const uint8_t> data, const PartReport& report) override {
    const uint32_t track = report.tracks.front().track_id;
    events.push_back("part " + std::to_string(track) + " " + std::to_string(report.index));
    pending[track].push_back({{data.begin(), data.end()}, report});
    return Status::ok();
  }
};

std::vector<std::string> types_of(std::span<const uint8_t> bytes) {
  std::vector<std::string> out;
  for (const auto& b : test::parse_boxes(bytes, 0)) out.push_back(b.type);
  return out;
}

// The moof of a part's bytes (after its styp, if any).
test::Box moof_of(std::span<const uint8_t> part) {
  for (auto& box : test::parse_boxes(part, 0)) {
    if (box.type == "moof") return box;
  }
  ADD_FAILURE() << "no moof";
  return {};
}

// The sum of a traf's sample durations: tfhd's default or each trun sample's own (ISO 14496-12 8.8.7, 8.8.8).
uint64_t traf_duration(const test::Box& traf) {
  const test::Box* tfhd = traf.child("tfhd");
  const uint32_t tfhd_flags = tfhd->u32(0) & 0xffffff;
  size_t at = 8;                   // after version/flags and the track ID
  if (tfhd_flags & 0x01) at += 8;  // base data offset
  if (tfhd_flags & 0x02) at += 4;  // sample description index
  std::optional<uint32_t> default_duration;
  if (tfhd_flags & 0x08) default_duration = tfhd->u32(at);
  uint64_t total = 0;
  for (size_t r = 0; r < traf.count("trun"); ++r) {
    const test::Box* trun = traf.child("trun", r);
    const uint32_t flags = trun->u32(0) & 0xffffff;
    const uint32_t count = trun->u32(4);
    const size_t first = 8 + ((flags & 0x1) ? 4 : 0) + ((flags & 0x4) ? 4 : 0);
    const size_t stride = 4 * static_cast<size_t>(std::popcount(flags & 0xf00));
    for (uint32_t i = 0; i < count; ++i) {
      total += (flags & 0x100) ? trun->u32(first + i * stride) : default_duration.value_or(0);
    }
  }
  return total;
}

struct PartSegmenter {
  PartCollector collector;
  std::shared_ptr<AssetWriterInput> video = test::h264_input();
  std::shared_ptr<AssetWriterInput> audio = test::aac_input();
  std::unique_ptr<AssetWriter> writer;
  int fps = 30;
  int gop = 30;  // frames from one keyframe to the next
  int next_audio = 0;

  PartSegmenter(Time part, bool with_audio, const std::function<void(AssetWriter&)>& configure = {}) {
    writer = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, collector)).value();
    EXPECT_TRUE(writer->set_preferred_output_segment_interval(Time(2, 1)).is_ok());
    EXPECT_TRUE(writer->set_preferred_output_part_interval(part).is_ok());
    EXPECT_TRUE(writer->set_output_file_type_profile(FileTypeProfile::kMpeg4CmafCompliant).is_ok());
    if (configure) configure(*writer);
    EXPECT_TRUE(writer->add(video).is_ok());
    if (with_audio)
      EXPECT_TRUE(writer->add(audio).is_ok());
    else
      audio.reset();
    EXPECT_TRUE(writer->start_writing().is_ok());
    EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
  }

  // Video frames `from` to `to` (payload 0x11), AAC alongside (0x22).
  void append(int from, int to) {
    for (int v = from; v < to; ++v) {
      Time t(v, fps);
      ASSERT_TRUE(video->append(make_sample(t, t, 400, v % gop == 0, 0x11)).is_ok());
      for (; audio && Time(int64_t{next_audio} * 1024, 44100) < t + Time(1, fps); ++next_audio) {
        Time at(int64_t{next_audio} * 1024, 44100);
        ASSERT_TRUE(audio->append(make_sample(at, at, 100, true, 0x22)).is_ok());
      }
    }
  }
  void finish() { ASSERT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string(); }
};

std::vector<uint32_t> video_counts(const PartCollector::Segment& segment) {
  std::vector<uint32_t> counts;
  for (const auto& part : segment.parts) counts.push_back(part.report.tracks.front().sample_count);
  return counts;
}

TEST(SegmentParts, a_segment_is_exactly_the_concatenation_of_its_parts_delivered_before_it) {
  PartSegmenter s(Time(1, 2), /*with_audio=*/true);
  s.append(0, 4 * 30);
  s.finish();
  ASSERT_EQ(s.collector.segments.size(), 2u);
  for (const auto& segment : s.collector.segments) {
    ASSERT_EQ(segment.parts.size(), 4u);  // 2 s of 0.5 s parts
    std::vector<uint8_t> joined;
    for (size_t k = 0; k < segment.parts.size(); ++k) {
      const auto& part = segment.parts[k];
      EXPECT_EQ(part.report.index, k);
      EXPECT_EQ(part.report.offset, joined.size());
      EXPECT_EQ(part.report.size, part.bytes.size());
      EXPECT_EQ(part.report.duration, Time(1, 2));
      // The first part carries the segment's styp; every part is one moof + mdat.
      EXPECT_EQ(types_of(part.bytes), k == 0 ? (std::vector<std::string>{"styp", "moof", "mdat"})
                                             : (std::vector<std::string>{"moof", "mdat"}));
      joined.insert(joined.end(), part.bytes.begin(), part.bytes.end());
    }
    EXPECT_EQ(joined, segment.bytes);
    EXPECT_EQ(video_counts(segment), (std::vector<uint32_t>{15, 15, 15, 15}));
    // The segment's report adds its parts up, with byte ranges into the segment.
    const SegmentReport& r = segment.report;
    EXPECT_EQ(r.sequence_number, segment.parts.front().report.sequence_number);
    ASSERT_EQ(r.tracks.size(), 2u);
    EXPECT_EQ(r.tracks[0].sample_count, 60u);
    EXPECT_EQ(r.tracks[0].duration, Time(2, 1));
    // A run per interleaving window, a quarter of a part each (the writer shortens the window for parts).
    EXPECT_EQ(r.tracks[0].data_ranges.size(), segment.parts.size() * 4);
    for (size_t t = 0; t < 2; ++t) {
      for (auto [offset, length] : r.tracks[t].data_ranges) {
        ASSERT_LE(offset + length, segment.bytes.size());
        for (uint64_t b = offset; b < offset + length; ++b) ASSERT_EQ(segment.bytes[b], t == 0 ? 0x11 : 0x22);
      }
    }
  }
}

TEST(SegmentParts, parts_have_their_own_sequence_numbers_and_decode_times_that_continue) {
  PartSegmenter s(Time(1, 2), /*with_audio=*/true);
  s.append(0, 4 * 30);
  s.finish();
  uint32_t sequence = 1;
  uint64_t video_tfdt = 0;
  uint64_t audio_tfdt = 0;
  for (const auto& segment : s.collector.segments) {
    for (const auto& part : segment.parts) {
      EXPECT_EQ(part.report.sequence_number, sequence);
      const test::Box moof = moof_of(part.bytes);
      EXPECT_EQ(moof.child("mfhd")->u32(4), sequence);
      ++sequence;
      // Each traf's tfdt is where the track's previous part ended (its trun durations summed).
      for (size_t t = 0; t < 2; ++t) {
        const test::Box* traf = moof.child("traf", t);
        ASSERT_TRUE(traf);
        uint64_t& expected = traf->child("tfhd")->u32(4) == 1 ? video_tfdt : audio_tfdt;
        EXPECT_EQ(traf->child("tfdt")->u64(4), expected) << "part " << part.report.sequence_number;
        expected += traf_duration(*traf);
      }
    }
  }
  EXPECT_EQ(video_tfdt, 4u * 90000);  // every frame once
  EXPECT_EQ(sequence, 9u);
}

TEST(SegmentParts, a_part_starting_on_a_keyframe_is_independent) {
  PartSegmenter s(Time(1, 2), /*with_audio=*/true);
  s.append(0, 2 * 30);
  s.finish();
  ASSERT_EQ(s.collector.segments.size(), 1u);
  std::vector<bool> independent;
  for (const auto& part : s.collector.segments[0].parts) independent.push_back(part.report.independent);
  EXPECT_EQ(independent, (std::vector<bool>{true, false, true, false}));  // keyframes at 0 s and 1 s
}

TEST(SegmentParts, a_part_is_cut_on_any_sample_and_never_outlasts_the_interval) {
  // 25 fps against 1/3 s parts: 8 frames (320 ms) fit, 9 (360 ms) would not; a keyframe every 2 s.
  PartSegmenter s(Time(333333333, 1000000000), /*with_audio=*/false);
  s.fps = 25;
  s.gop = 50;
  s.append(0, 4 * 25);
  s.finish();
  ASSERT_EQ(s.collector.segments.size(), 2u);
  for (const auto& segment : s.collector.segments) {
    EXPECT_EQ(video_counts(segment), (std::vector<uint32_t>{8, 8, 8, 8, 8, 8, 2}));
    for (const auto& part : segment.parts) EXPECT_LE(part.report.duration, Time(333333333, 1000000000));
  }
}

TEST(SegmentParts, a_frame_a_rounding_past_the_interval_still_ends_the_part_it_completes) {
  // 30 fps: ten frames last 1/3 s, a third of a nanosecond more than 333333333 ns; six such parts make the
  // 2 s segment, with no sliver of a part before the keyframe.
  PartSegmenter s(Time(333333333, 1000000000), /*with_audio=*/true);
  s.gop = 60;
  s.append(0, 4 * 30);
  s.finish();
  ASSERT_EQ(s.collector.segments.size(), 2u);
  for (const auto& segment : s.collector.segments) {
    EXPECT_EQ(video_counts(segment), (std::vector<uint32_t>{10, 10, 10, 10, 10, 10}));
  }
}

TEST(SegmentParts, a_late_keyframe_ends_the_segment_in_the_parts_that_follow_the_interval) {
  // A keyframe every 2.5 s against 2 s segments: parts keep coming at 0.5 s until the keyframe ends both.
  PartSegmenter s(Time(1, 2), /*with_audio=*/false);
  s.gop = 75;
  s.append(0, 5 * 30);
  s.finish();
  ASSERT_EQ(s.collector.segments.size(), 2u);
  EXPECT_EQ(video_counts(s.collector.segments[0]), (std::vector<uint32_t>{15, 15, 15, 15, 15}));
  EXPECT_EQ(s.collector.segments[1].report.tracks[0].earliest_presentation_time, Time(5, 2));
  EXPECT_TRUE(s.collector.segments[1].parts.front().report.independent);
}

TEST(SegmentParts, parts_go_out_while_the_segment_is_still_being_appended) {
  PartSegmenter s(Time(1, 2), /*with_audio=*/true);
  // 0.5 s and a few frames: the first part is out (the interleaver's window is an eighth of a second).
  s.append(0, 15 + 5);
  EXPECT_EQ(s.collector.events, (std::vector<std::string>{"part 1 0"}));
  s.append(20, 2 * 30 + 5);
  EXPECT_EQ(s.collector.events,
            (std::vector<std::string>{"part 1 0", "part 1 1", "part 1 2", "part 1 3", "segment 1"}));
  s.finish();
}

TEST(SegmentParts, one_track_per_header_cuts_each_tracks_segment_into_parts_of_its_own) {
  PartSegmenter s(Time(1, 2), /*with_audio=*/true,
                  [](AssetWriter& w) { ASSERT_TRUE(w.set_one_track_per_header(true).is_ok()); });
  s.append(0, 2 * 30);
  s.finish();
  EXPECT_EQ(s.collector.events,
            (std::vector<std::string>{"part 1 0", "part 2 0", "part 1 1", "part 2 1", "part 1 2", "part 2 2",
                                      "part 1 3", "part 2 3", "segment 1", "segment 2"}));
  ASSERT_EQ(s.collector.segments.size(), 2u);
  for (const auto& segment : s.collector.segments) {
    std::vector<uint8_t> joined;
    for (const auto& part : segment.parts) {
      ASSERT_EQ(part.report.tracks.size(), 1u);
      EXPECT_EQ(moof_of(part.bytes).count("traf"), 1u);
      joined.insert(joined.end(), part.bytes.begin(), part.bytes.end());
    }
    EXPECT_EQ(joined, segment.bytes);
  }
  // Audio parts are all independent (every AAC frame is a sync sample).
  for (const auto& part : s.collector.segments[1].parts) EXPECT_TRUE(part.report.independent);
  EXPECT_FALSE(s.collector.segments[0].parts[1].report.independent);
}

TEST(SegmentParts, without_a_part_interval_no_part_is_delivered) {
  PartSegmenter s(Time::invalid(), /*with_audio=*/true);
  s.append(0, 2 * 30);
  s.finish();
  EXPECT_EQ(s.collector.events, (std::vector<std::string>{"segment 1"}));
  EXPECT_EQ(s.writer->preferred_output_part_interval(), Time::invalid());
}

TEST(SegmentParts, the_part_interval_must_be_a_positive_time) {
  PartCollector c;
  auto writer = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, c)).value();
  EXPECT_EQ(writer->set_preferred_output_part_interval(Time::zero()).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(writer->set_preferred_output_part_interval(Time(-1, 2)).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(writer->set_preferred_output_part_interval(Time(1, 5)).is_ok());
}

TEST(SegmentParts, a_parts_bytes_are_its_moof_and_mdat_exactly) {
  // Video only, four 4-byte frames at 10 fps in 0.2 s parts: the second part, golden.
  PartCollector c;
  auto video = test::h264_input();
  auto writer = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, c)).value();
  ASSERT_TRUE(writer->set_preferred_output_segment_interval(Time(1, 1)).is_ok());
  ASSERT_TRUE(writer->set_preferred_output_part_interval(Time(1, 5)).is_ok());
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  for (int v = 0; v < 4; ++v)
    ASSERT_TRUE(video->append(make_sample(Time(v, 10), Time(v, 10), 4, v == 0, 0x10 + v)).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok());
  ASSERT_EQ(c.segments.size(), 1u);
  ASSERT_EQ(c.segments[0].parts.size(), 2u);
  // mfhd 2; tfhd defaults (base is moof; 9000 ticks of 90 kHz, 4 bytes, non-sync); tfdt 0.2 s; one trun
  // of both frames (the interleaving windows' chunks lie together in the mdat); mdat with frames 2 and 3.
  EXPECT_EQ(hex(c.segments[0].parts[1].bytes),
            "00000064 6d6f6f66 00000010 6d666864 00000000 00000002 0000004c 74726166 0000001c 74666864 00020038 "
            "00000001 00002328 00000004 01010000 00000014 74666474 01000000 00000000 00004650 00000014 7472756e "
            "00000001 00000002 0000006c 00000010 6d646174 12121212 13131313");
}

}  // namespace
}  // namespace aw
