// Segment output: an initialization segment, then separable segments on keyframes with reports.
#include <gtest/gtest.h>

#include "aw/asset_writer.h"
#include "golden.h"
#include "test_media.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

using test::File;
using test::make_sample;

struct Collector : SegmentDelegate {
  struct Segment {
    SegmentType type;
    std::vector<uint8_t> bytes;
    std::optional<SegmentReport> report;
  };
  std::vector<Segment> segments;
  // When set, the delivery of this segment (0-based, initialization segments included) fails.
  std::optional<size_t> fail_at;
  Status did_output_segment_data(std::span<const uint8_t> data, SegmentType type, const SegmentReport* report) override {
    if (fail_at && segments.size() == *fail_at) {
      return Status(ErrorCode::kIo, "upload of segment " + std::to_string(*fail_at) + " failed");
    }
    segments.push_back({type, {data.begin(), data.end()}, report ? std::optional(*report) : std::nullopt});
    return Status::ok();
  }
};

std::vector<test::Box> boxes_of(const std::vector<uint8_t>& bytes) { return test::parse_boxes(bytes, 0); }

std::vector<std::string> types_of(const std::vector<uint8_t>& bytes) {
  std::vector<std::string> out;
  for (const auto& b : boxes_of(bytes)) out.push_back(b.type);
  return out;
}

struct Segmenter {
  Collector collector;
  std::shared_ptr<AssetWriterInput> video = test::h264_input();
  std::shared_ptr<AssetWriterInput> audio = test::aac_input();
  std::unique_ptr<AssetWriter> writer;

  explicit Segmenter(const std::function<void(AssetWriter&)>& configure = {}) {
    writer = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, collector)).value();
    EXPECT_TRUE(writer->set_preferred_output_segment_interval(Time(2, 1)).is_ok());
    if (configure) configure(*writer);
    EXPECT_TRUE(writer->add(video).is_ok());
    EXPECT_TRUE(writer->add(audio).is_ok());
    EXPECT_TRUE(writer->start_writing().is_ok());
    EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
  }

  // 30 fps video, a keyframe every second; AAC alongside; from frame `from` to `to`.
  void append(int from, int to) {
    for (int v = from; v < to; ++v) {
      Time t(v, 30);
      ASSERT_TRUE(video->append(make_sample(t, t, 400, v % gop == 0, 0x11)).is_ok());
      for (; Time(int64_t{next_audio} * 1024, 44100) < t + Time(1, 30); ++next_audio) {
        Time at(int64_t{next_audio} * 1024, 44100);
        ASSERT_TRUE(audio->append(make_sample(at, at, 100, true, 0x22)).is_ok());
      }
    }
  }
  int next_audio = 0;
  int gop = 30;  // frames from one keyframe to the next
};

TEST(SegmentWriter, refuses_file_types_that_cannot_be_segmented) {
  Collector c;
  EXPECT_EQ(AssetWriter::create_for_segments(FileType::k3Gpp, c).status().code(), ErrorCode::kUnsupported);
  EXPECT_TRUE(AssetWriter::create_for_segments(FileType::kMpeg4, c).is_ok());
}

TEST(SegmentWriter, emits_an_initialization_segment_then_keyframe_aligned_media_segments) {
  Segmenter s;
  s.append(0, 6 * 30);
  ASSERT_TRUE(s.writer->finish_writing().is_ok()) << s.writer->error().to_string();
  auto& segs = s.collector.segments;
  ASSERT_EQ(segs.size(), 4u);  // init + 3 segments of 2 s
  EXPECT_EQ(segs[0].type, SegmentType::kInitialization);
  ASSERT_TRUE(segs[0].report);  // the header's tracks, with no samples
  ASSERT_EQ(segs[0].report->tracks.size(), 2u);
  EXPECT_EQ(segs[0].report->tracks[1].media_type, MediaType::kAudio);
  EXPECT_EQ(segs[0].report->tracks[1].sample_count, 0u);
  EXPECT_EQ(types_of(segs[0].bytes), (std::vector<std::string>{"ftyp", "moov"}));
  uint32_t sequence = 1;
  for (size_t i = 1; i < segs.size(); ++i) {
    EXPECT_EQ(segs[i].type, SegmentType::kSeparable);
    EXPECT_EQ(types_of(segs[i].bytes), (std::vector<std::string>{"moof", "mdat"}));
    ASSERT_TRUE(segs[i].report);
    const SegmentReport& r = *segs[i].report;
    EXPECT_EQ(r.sequence_number, sequence++);
    ASSERT_EQ(r.tracks.size(), 2u);
    EXPECT_EQ(r.tracks[0].media_type, MediaType::kVideo);
    EXPECT_TRUE(r.tracks[0].first_sample_is_sync);
    EXPECT_EQ(r.tracks[0].sample_count, 60u);
    EXPECT_EQ(r.tracks[0].earliest_presentation_time, Time(2 * static_cast<int64_t>(i - 1), 1));
    EXPECT_EQ(r.tracks[0].duration, Time(2, 1));
    // The reported byte ranges hold exactly this track's payload.
    for (size_t t = 0; t < 2; ++t) {
      for (auto [offset, length] : r.tracks[t].data_ranges) {
        ASSERT_LE(offset + length, segs[i].bytes.size());
        for (uint64_t b = offset; b < offset + length; ++b) ASSERT_EQ(segs[i].bytes[b], t == 0 ? 0x11 : 0x22);
      }
    }
  }
}

TEST(SegmentWriter, a_keyframe_decoding_a_tick_before_the_boundary_still_starts_the_next_segment) {
  // What an encoder asked for a keyframe at 2 s delivers after rounding: its decode time one 90 kHz tick
  // early. Without the tolerance the segment would run on to the keyframe at 4 s.
  Collector collector;
  auto video = test::h264_input();
  auto writer = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, collector)).value();
  ASSERT_TRUE(writer->set_preferred_output_segment_interval(Time(2, 1)).is_ok());
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  for (int v = 0; v < 6 * 30; ++v) {
    bool key = v % 60 == 0;
    Time t = key && v > 0 ? Time(v * 3000 - 1, 90000) : Time(v, 30);
    ASSERT_TRUE(video->append(make_sample(t, t, 400, key)).is_ok());
  }
  ASSERT_TRUE(writer->finish_writing().is_ok());
  std::vector<uint32_t> counts;
  for (const auto& segment : collector.segments) {
    if (segment.type == SegmentType::kSeparable) counts.push_back(segment.report->tracks[0].sample_count);
  }
  EXPECT_EQ(counts, (std::vector<uint32_t>{60, 60, 60}));
}

TEST(SegmentWriter, all_tracks_share_one_decode_time_origin) {
  Segmenter s;
  s.append(0, 4 * 30);
  ASSERT_TRUE(s.writer->finish_writing().is_ok());
  auto boxes = boxes_of(s.collector.segments[2].bytes);
  const test::Box* moof = &boxes[0];
  // Second segment: both tracks' tfdt equal 2 s in their own timescales.
  EXPECT_EQ(moof->child("traf", 0)->child("tfdt")->u64(4), 180000u);
  uint64_t audio_tfdt = moof->child("traf", 1)->child("tfdt")->u64(4);
  EXPECT_GE(audio_tfdt, 88200u);
  EXPECT_LT(audio_tfdt, 88200u + 1024);
}

// The bytes of the `index`th top-level box of a delivered segment, as golden hex.
std::string box_hex(const std::vector<uint8_t>& bytes, size_t index) {
  const test::Box box = boxes_of(bytes).at(index);
  return hex(std::span(bytes).subspan(box.offset, box.size));
}

void use_cmaf(AssetWriter& w) {
  ASSERT_TRUE(w.set_output_file_type_profile(FileTypeProfile::kMpeg4CmafCompliant).is_ok());
}

TEST(SegmentWriter, cmaf_profile_with_a_muxed_header_claims_no_cmaf_brand_but_starts_each_segment_with_styp) {
  // Audio and video in one header: "The MovieBox SHALL contain exactly one track" (23000-19 7.3.2.1) does
  // not hold, so neither the header nor a segment names cmfc, cmf2, cmfs or cmff.
  Segmenter s(use_cmaf);
  s.append(0, 60);
  ASSERT_TRUE(s.writer->finish_writing().is_ok());
  auto& segs = s.collector.segments;
  ASSERT_GE(segs.size(), 2u);
  // ftyp iso6, minor 0, compatible iso6 isom mp41: what the Apple HLS profile's header declares.
  EXPECT_EQ(box_hex(segs[0].bytes, 0), "0000001c 66747970 69736f36 00000000 69736f36 69736f6d 6d703431");
  EXPECT_EQ(types_of(segs[1].bytes), (std::vector<std::string>{"styp", "moof", "mdat"}));
  // styp iso6, minor 0, compatible iso6.
  EXPECT_EQ(box_hex(segs[1].bytes, 0), "00000014 73747970 69736f36 00000000 69736f36");
  // Data ranges account for the styp in front.
  auto [offset, length] = segs[1].report->tracks[0].data_ranges.front();
  EXPECT_EQ(segs[1].bytes[offset], 0x11);
  EXPECT_GT(length, 0u);
  // No cmf2, so tfhd leaves the sample description to trex (flags without 0x000002).
  const std::vector<test::Box> boxes = boxes_of(segs[1].bytes);  // kept: tfhd points into it
  const test::Box* tfhd = boxes[1].find("traf/tfhd");
  ASSERT_TRUE(tfhd);
  EXPECT_EQ(tfhd->u32(0), 0x00020038u);
}

TEST(SegmentWriter, cmaf_profile_with_one_track_per_header_brands_each_header_cmf2_and_each_segment_cmfs) {
  Segmenter s([](AssetWriter& w) {
    use_cmaf(w);
    ASSERT_TRUE(w.set_one_track_per_header(true).is_ok());
  });
  s.append(0, 60);
  ASSERT_TRUE(s.writer->finish_writing().is_ok());
  auto& segs = s.collector.segments;
  ASSERT_EQ(segs.size(), 4u);  // a header per track, then a segment per track
  for (size_t i = 0; i < 2; ++i) {
    // ftyp cmf2, minor 0, compatible cmf2 cmfc iso6 isom.
    EXPECT_EQ(box_hex(segs[i].bytes, 0), "00000020 66747970 636d6632 00000000 636d6632 636d6663 69736f36 69736f6d");
  }
  for (size_t i = 2; i < 4; ++i) {
    // styp cmfs, minor 0, compatible cmfs cmff iso6.
    EXPECT_EQ(box_hex(segs[i].bytes, 0), "0000001c 73747970 636d6673 00000000 636d6673 636d6666 69736f36");
  }
}

TEST(SegmentWriter, cmaf_profile_with_a_single_track_is_cmaf_without_one_track_per_header) {
  // The header holds one track either way: what counts is the tracks in a header, not the setting.
  Collector collector;
  auto video = test::h264_input();
  auto writer = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, collector)).value();
  use_cmaf(*writer);
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  for (int v = 0; v < 30; ++v) ASSERT_TRUE(video->append(make_sample(Time(v, 30), Time(v, 30), 10, v == 0)).is_ok());
  ASSERT_TRUE(writer->finish_writing().is_ok());
  ASSERT_EQ(collector.segments.size(), 2u);
  EXPECT_EQ(box_hex(collector.segments[0].bytes, 0),
            "00000020 66747970 636d6632 00000000 636d6632 636d6663 69736f36 69736f6d");
  EXPECT_EQ(box_hex(collector.segments[1].bytes, 0), "0000001c 73747970 636d6673 00000000 636d6673 636d6666 69736f36");
}

TEST(SegmentWriter, under_cmf2_every_tfhd_names_its_sample_description) {
  // CMAF 23000-19 7.7.3 (the cmf2 brand): each chunk's tfhd/trun carry its defaults, trex's index included.
  Segmenter s([](AssetWriter& w) {
    use_cmaf(w);
    ASSERT_TRUE(w.set_one_track_per_header(true).is_ok());
  });
  s.append(0, 60);
  ASSERT_TRUE(s.writer->finish_writing().is_ok());
  auto& segs = s.collector.segments;
  ASSERT_EQ(segs.size(), 4u);
  // Video: flags default-base-is-moof | description | duration | size; track 1, description 1, 3000 ticks
  // of 90 kHz, 400 bytes (the keyframe at 1 s inside the one trun leaves flags per sample).
  EXPECT_EQ(hex(boxes_of(segs[2].bytes)[1].find("traf/tfhd")->payload),
            "0002001a 00000001 00000001 00000bb8 00000190");
  // Audio: track 2, description 1, 1024 ticks, 100 bytes, sync.
  EXPECT_EQ(hex(boxes_of(segs[3].bytes)[1].find("traf/tfhd")->payload),
            "0002003a 00000002 00000001 00000400 00000064 02000000");
}

TEST(SegmentWriter, one_track_per_header_segments_hold_one_trun_per_traf) {
  // A track alone in its segment's mdat is one contiguous run of samples, however many interleave chunks
  // brought them (audio came in a chunk per 500 ms window, so a trun each).
  Segmenter s([](AssetWriter& w) { ASSERT_TRUE(w.set_one_track_per_header(true).is_ok()); });
  s.append(0, 4 * 30);
  ASSERT_TRUE(s.writer->finish_writing().is_ok());
  auto& segs = s.collector.segments;
  ASSERT_EQ(segs.size(), 6u);
  for (size_t i = 2; i < segs.size(); ++i) {
    const std::vector<test::Box> boxes = boxes_of(segs[i].bytes);  // kept: traf points into it
    const test::Box* traf = boxes[0].child("traf");
    ASSERT_TRUE(traf);
    EXPECT_EQ(traf->count("trun"), 1u) << "segment " << i;
    EXPECT_EQ(traf->child("trun")->u32(4), segs[i].report->tracks[0].sample_count) << "segment " << i;
  }
}

TEST(SegmentWriter, flush_segment_cuts_at_the_next_keyframe_and_infinity_cuts_only_on_flush) {
  Segmenter s([](AssetWriter& w) { ASSERT_TRUE(w.set_preferred_output_segment_interval(Time::positive_infinity()).is_ok()); });
  s.append(0, 75);  // 2.5 s: no segment yet
  EXPECT_EQ(s.collector.segments.size(), 0u);
  ASSERT_TRUE(s.writer->flush_segment().is_ok());
  // The keyframe at 3 s (frame 90) ends the segment, delivered once the interleaver has passed it.
  s.append(75, 120);
  ASSERT_EQ(s.collector.segments.size(), 2u);
  EXPECT_EQ(s.collector.segments[1].report->tracks[0].sample_count, 90u);
  ASSERT_TRUE(s.writer->finish_writing().is_ok());
  ASSERT_EQ(s.collector.segments.size(), 3u);
  EXPECT_EQ(s.collector.segments[2].report->tracks[0].sample_count, 30u);
}

TEST(SegmentWriter, calls_back_into_the_writer_from_the_delegate_are_refused_not_deadlocked) {
  struct Reentrant : SegmentDelegate {
    AssetWriter* writer = nullptr;
    Status flush_status;
    Status did_output_segment_data(std::span<const uint8_t>, SegmentType type, const SegmentReport*) override {
      if (type == SegmentType::kSeparable) flush_status = writer->flush_segment();
      return Status::ok();
    }
  } delegate;
  auto writer = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, delegate)).value();
  delegate.writer = writer.get();
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->set_preferred_output_segment_interval(Time(1, 1)).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  for (int v = 0; v < 90; ++v) ASSERT_TRUE(video->append(make_sample(Time(v, 30), Time(v, 30), 10, v % 30 == 0)).is_ok());
  EXPECT_EQ(delegate.flush_status.code(), ErrorCode::kInvalidState);
  EXPECT_TRUE(writer->flush_segment().is_ok());  // outside the callback it works
  ASSERT_TRUE(writer->finish_writing().is_ok());
}

TEST(SegmentWriter, init_plus_segments_concatenate_into_a_valid_fragmented_movie) {
  Segmenter s;
  s.append(0, 5 * 30);
  ASSERT_TRUE(s.writer->finish_writing().is_ok());
  std::vector<uint8_t> all;
  for (const auto& seg : s.collector.segments) all.insert(all.end(), seg.bytes.begin(), seg.bytes.end());
  auto boxes = boxes_of(all);  // throws if any size does not add up
  size_t moofs = 0;
  for (const auto& b : boxes) moofs += b.type == "moof";
  EXPECT_EQ(moofs, 3u);  // 2 s, 2 s, 1 s
  EXPECT_EQ(s.writer->flush_segment().code(), ErrorCode::kInvalidState);
}

TEST(SegmentWriter, a_delegate_error_fails_the_writer_with_that_error_and_nothing_more_goes_out) {
  Segmenter s;
  s.collector.fail_at = 2;  // init and the first segment go out, the second fails
  Status appended;
  for (int v = 0; v < 6 * 30 && appended; ++v) {
    Time t(v, 30);
    appended = s.video->append(make_sample(t, t, 400, v % 30 == 0, 0x11));
    if (appended) appended = s.audio->append(make_sample(t, t, 100, true, 0x22));
    if (!appended) {
      EXPECT_EQ(appended.code(), ErrorCode::kIo);
      EXPECT_EQ(appended.message(), "upload of segment 2 failed");
      break;
    }
  }
  EXPECT_EQ(s.writer->status(), WriterStatus::kFailed);
  EXPECT_EQ(s.writer->error().message(), "upload of segment 2 failed");
  EXPECT_EQ(s.video->append(make_sample(Time(7, 1), Time(7, 1), 400, true)).message(), "upload of segment 2 failed");
  EXPECT_EQ(s.writer->finish_writing().message(), "upload of segment 2 failed");
  EXPECT_EQ(s.collector.segments.size(), 2u);
}

TEST(SegmentWriter, a_delegate_error_on_the_initialization_segment_fails_the_writer) {
  Segmenter s;
  s.collector.fail_at = 0;
  s.append(0, 30);
  Status finished = s.writer->finish_writing();
  EXPECT_EQ(finished.message(), "upload of segment 0 failed");
  EXPECT_EQ(s.writer->status(), WriterStatus::kFailed);
  EXPECT_TRUE(s.collector.segments.empty());
}

TEST(SegmentWriter, one_track_per_header_gives_each_track_its_own_header_and_segments) {
  Segmenter s([](AssetWriter& w) {
    ASSERT_TRUE(w.set_output_file_type_profile(FileTypeProfile::kMpeg4CmafCompliant).is_ok());
    ASSERT_TRUE(w.set_one_track_per_header(true).is_ok());
  });
  s.append(0, 4 * 30);
  ASSERT_TRUE(s.writer->finish_writing().is_ok()) << s.writer->error().to_string();
  auto& segs = s.collector.segments;
  ASSERT_EQ(segs.size(), 6u);  // two headers, then video and audio of each 2 s cut
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(segs[i].type, SegmentType::kInitialization);
    ASSERT_TRUE(segs[i].report);
    ASSERT_EQ(segs[i].report->tracks.size(), 1u);
    EXPECT_EQ(segs[i].report->tracks[0].track_id, i + 1);
    auto boxes = boxes_of(segs[i].bytes);
    const test::Box* moov = &boxes[1];
    ASSERT_TRUE(moov->child("trak", 0));
    EXPECT_FALSE(moov->child("trak", 1));
    // tkhd version 1: the track ID after creation and modification times (8 bytes each).
    EXPECT_EQ(moov->child("trak", 0)->child("tkhd")->u32(4 + 16), i + 1);
    const test::Box* mvex = moov->child("mvex");
    ASSERT_TRUE(mvex);
    EXPECT_TRUE(mvex->child("trex", 0));
    EXPECT_FALSE(mvex->child("trex", 1));
  }
  for (size_t i = 2; i < segs.size(); ++i) {
    ASSERT_EQ(segs[i].type, SegmentType::kSeparable);
    EXPECT_EQ(types_of(segs[i].bytes), (std::vector<std::string>{"styp", "moof", "mdat"}));
    const SegmentReport& r = *segs[i].report;
    ASSERT_EQ(r.tracks.size(), 1u);
    const uint32_t track_id = i % 2 == 0 ? 1 : 2;
    EXPECT_EQ(r.tracks[0].track_id, track_id);
    EXPECT_EQ(r.sequence_number, (i - 2) / 2 + 1);  // every track's segments count 1, 2, ...
    auto boxes = boxes_of(segs[i].bytes);
    EXPECT_EQ(boxes[1].child("traf", 0)->child("tfhd")->u32(4), track_id);
    EXPECT_FALSE(boxes[1].child("traf", 1));
    for (auto [offset, length] : r.tracks[0].data_ranges) {
      ASSERT_LE(offset + length, segs[i].bytes.size());
      for (uint64_t b = offset; b < offset + length; ++b) ASSERT_EQ(segs[i].bytes[b], track_id == 1 ? 0x11 : 0x22);
    }
  }
  EXPECT_EQ(segs[2].report->tracks[0].sample_count, 60u);
  // The audio of the second cut starts where the video's does (2 s), within one AAC frame.
  const Time audio_start = segs[5].report->tracks[0].earliest_presentation_time;
  EXPECT_GE(audio_start, Time(2, 1));
  EXPECT_LT(audio_start, Time(2, 1) + Time(1024, 44100));
}

TEST(SegmentWriter, a_gop_longer_than_the_interval_makes_segments_of_a_gop_each) {
  Segmenter s;
  s.gop = 5 * 30;
  s.append(0, 15 * 30);
  ASSERT_TRUE(s.writer->finish_writing().is_ok());
  auto& segs = s.collector.segments;
  ASSERT_EQ(segs.size(), 4u);
  for (size_t i = 1; i < segs.size(); ++i) {
    EXPECT_EQ(segs[i].report->tracks[0].duration, Time(5, 1));
    EXPECT_TRUE(segs[i].report->tracks[0].first_sample_is_sync);
  }
}

TEST(SegmentWriter, without_a_keyframe_for_three_intervals_a_segment_is_cut_within_them) {
  Segmenter s;
  s.gop = 10 * 30;
  s.append(0, 10 * 30);
  ASSERT_TRUE(s.writer->finish_writing().is_ok());
  auto& segs = s.collector.segments;
  ASSERT_EQ(segs.size(), 3u);  // 6 s (three 2 s intervals), then the 4 s left
  EXPECT_EQ(segs[1].report->tracks[0].duration, Time(6, 1));
  EXPECT_TRUE(segs[1].report->tracks[0].first_sample_is_sync);
  EXPECT_EQ(segs[2].report->tracks[0].duration, Time(4, 1));
  EXPECT_FALSE(segs[2].report->tracks[0].first_sample_is_sync);
}

TEST(SegmentWriter, maximum_segment_duration_bounds_every_segment) {
  Segmenter s([](AssetWriter& w) { ASSERT_TRUE(w.set_maximum_segment_duration(Time(5, 2)).is_ok()); });
  s.gop = 10 * 30;
  s.append(0, 10 * 30);
  ASSERT_TRUE(s.writer->finish_writing().is_ok());
  auto& segs = s.collector.segments;
  ASSERT_EQ(segs.size(), 5u);  // four of 2.5 s
  for (size_t i = 1; i < segs.size(); ++i) EXPECT_LE(segs[i].report->tracks[0].duration, Time(5, 2));
  EXPECT_EQ(segs[1].report->tracks[0].duration, Time(5, 2));
  EXPECT_EQ(Segmenter().writer->set_maximum_segment_duration(Time::zero()).code(), ErrorCode::kInvalidArgument);
}

// 3 s of video, new parameter sets (640x480) with the keyframe at 3 s, 3 s more, finished.
void record_a_change_at_3_seconds(Segmenter& s) {
  s.append(0, 90);
  ASSERT_TRUE(s.video->change_format({Codec::kH264, unhex("01f4001effe1001e67f4001e90d9b281407b602d41818190000003001"
                                                           "000000303c8f162d96001000668ebec448440")})
                  .is_ok());
  s.append(90, 180);
  ASSERT_TRUE(s.writer->finish_writing().is_ok()) << s.writer->error().to_string();
}

// A format change (new SPS/PPS with a keyframe at 3 s) cuts a segment there and is preceded by a new
// initialization segment whose stsd holds only the new description (CMAF: one sample entry per track) and
// whose tkhd presents the new size; the segments keep trex's description 1 (no tfhd flag 0x000002).
TEST(SegmentWriter, format_change_cuts_a_segment_and_sends_a_new_initialization_segment) {
  Segmenter s;
  record_a_change_at_3_seconds(s);
  if (HasFatalFailure()) return;

  std::vector<std::string> kinds;
  std::vector<const Collector::Segment*> inits;
  for (const auto& seg : s.collector.segments) {
    kinds.push_back(seg.type == SegmentType::kInitialization ? "init" : "media");
    if (seg.type == SegmentType::kInitialization) inits.push_back(&seg);
  }
  // Segments at 0-2 s, 2-3 s (cut by the change), then the new header, 3-5 s, 5-6 s.
  EXPECT_EQ(kinds, (std::vector<std::string>{"init", "media", "media", "init", "media", "media"}));
  ASSERT_EQ(inits.size(), 2u);
  const uint16_t sizes[2][2] = {{320, 240}, {640, 480}};
  for (size_t i = 0; i < 2; ++i) {
    auto top = boxes_of(inits[i]->bytes);
    const test::Box* moov = &top.at(1);
    ASSERT_EQ(moov->type, "moov");
    const test::Box* stsd = moov->find("trak/mdia/minf/stbl/stsd");
    EXPECT_EQ(stsd->u32(4), 1u) << "init " << i;
    EXPECT_EQ(stsd->child("avc1")->u16(24), sizes[i][0]) << "init " << i;
    EXPECT_EQ(stsd->child("avc1")->u16(26), sizes[i][1]) << "init " << i;
    const test::Box* tkhd = moov->find("trak/tkhd");
    EXPECT_EQ(tkhd->u32(tkhd->payload.size() - 8) >> 16, sizes[i][0]) << "init " << i;
    // The audio track is described again, unchanged.
    EXPECT_EQ(moov->find("trak[1]/mdia/minf/stbl/stsd")->u32(4), 1u);
  }
  size_t media = 0;
  for (const auto& seg : s.collector.segments) {
    if (seg.type != SegmentType::kSeparable) continue;
    for (const auto& b : boxes_of(seg.bytes)) {
      if (b.type != "moof") continue;
      for (size_t t = 0; t < b.count("traf"); ++t) {
        EXPECT_EQ(b.child("traf", t)->child("tfhd")->u32(0) & 0x000002, 0u) << "segment " << media;
      }
    }
    ++media;
  }
  // The change's keyframe starts the first segment after the new header.
  const auto& after = s.collector.segments.at(4);
  ASSERT_TRUE(after.report.has_value());
  EXPECT_EQ(after.report->tracks.at(0).earliest_presentation_time, Time(3, 1));
  EXPECT_TRUE(after.report->tracks.at(0).first_sample_is_sync);
}

// With one track per header only the track whose format changed gets a new header.
TEST(SegmentWriter, format_change_with_one_track_per_header_sends_a_new_header_for_that_track_only) {
  Segmenter s([](AssetWriter& w) { ASSERT_TRUE(w.set_one_track_per_header(true).is_ok()); });
  record_a_change_at_3_seconds(s);
  if (HasFatalFailure()) return;
  std::vector<uint32_t> header_tracks;
  for (const auto& seg : s.collector.segments) {
    if (seg.type != SegmentType::kInitialization) continue;
    ASSERT_TRUE(seg.report.has_value());
    ASSERT_EQ(seg.report->tracks.size(), 1u);
    header_tracks.push_back(seg.report->tracks[0].track_id);
  }
  EXPECT_EQ(header_tracks, (std::vector<uint32_t>{1, 2, 1}));
}

}  // namespace
}  // namespace aw
