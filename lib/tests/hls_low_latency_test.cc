// Low-Latency HLS from the HlsPackager fed by a writer with parts: each part on disk (a byte range of the
// growing segment file, or a file of its own) before the playlist names it, the playlist's LL tags line
// by line, and the other renditions' reports.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "aw/asset_writer.h"
#include "aw/hls_packager.h"
#include "test_media.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

// A writer of 30 fps video (a keyframe every second, 100-byte frames; AAC beside it when asked) in 2 s
// segments of 0.5 s parts into an HlsPackager writing to a temporary directory.
struct LowLatencyStream {
  test::TempDir dir;
  std::vector<HlsPublishedPart> parts;
  std::vector<HlsWrittenSegment> segments;
  std::shared_ptr<AssetWriterInput> video = test::h264_input();
  std::shared_ptr<AssetWriterInput> audio;
  std::unique_ptr<HlsPackager> packager;
  std::unique_ptr<AssetWriter> writer;
  int next_audio = 0;
  Time video_delay = Time::zero();

  // `on_part` sees each part as it is published (before the next one is written).
  explicit LowLatencyStream(const std::function<void(HlsPackagerConfig&)>& configure = {}, bool with_audio = false,
                            std::function<int64_t(int64_t)> wall_clock_us_at = {},
                            std::function<void(const HlsPublishedPart&)> on_part = {}) {
    HlsPackagerConfig config;
    config.segment_pattern = dir.file("segment%05d.m4s");
    config.playlist_location = dir.file("index.m3u8");
    config.sync = false;
    config.segment_interval_ns = 2'000'000'000;
    config.part_interval_ns = 500'000'000;
    if (configure) configure(config);
    HlsPackager::Callbacks callbacks;
    callbacks.part_published = [this, on_part = std::move(on_part)](const HlsPublishedPart& part) {
      if (on_part) on_part(part);
      parts.push_back(part);
    };
    callbacks.segment_written = [this](const HlsWrittenSegment& segment) { segments.push_back(segment); };
    callbacks.now_us = [] { return int64_t{1'764'041'440'000'000}; };
    callbacks.wall_clock_us_at = std::move(wall_clock_us_at);
    packager = std::move(HlsPackager::create(config, callbacks)).value();
    writer = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, *packager)).value();
    EXPECT_TRUE(writer->set_preferred_output_segment_interval(Time(2, 1)).is_ok());
    EXPECT_TRUE(writer->set_preferred_output_part_interval(Time(1, 2)).is_ok());
    EXPECT_TRUE(writer->set_one_track_per_header(config.one_track_per_header).is_ok());
    EXPECT_TRUE(writer->add(video).is_ok());
    if (with_audio) {
      audio = test::aac_input();
      EXPECT_TRUE(writer->add(audio).is_ok());
    }
    EXPECT_TRUE(writer->start_writing().is_ok());
    EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
  }

  // Video frames `from` to `to` (30 fps, `video_delay` after the audio's start), each after the audio up to it.
  void append(int from, int to) {
    for (int v = from; v < to; ++v) {
      const Time at = Time(v, 30) + video_delay;
      append_audio_until(at);
      ASSERT_TRUE(video->append(test::make_sample(at, at, 100, v % 30 == 0, 0x11)).is_ok());
    }
    append_audio_until(Time(to, 30) + video_delay);
  }
  void append_audio_until(Time end) {
    for (; audio && Time(int64_t{next_audio} * 1024, 44100) < end; ++next_audio) {
      Time at(int64_t{next_audio} * 1024, 44100);
      ASSERT_TRUE(audio->append(test::make_sample(at, at, 20, true, 0x22)).is_ok());
    }
  }
  void finish() {
    ASSERT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string();
    ASSERT_TRUE(packager->finish().is_ok());
  }
  std::string playlist() const { return test::file_contents(dir.file("index.m3u8")); }
};

TEST(HlsLowLatency, each_part_is_in_the_growing_segment_file_before_a_playlist_names_it) {
  // Checked as each part is published: its bytes are in the file, and the playlist names exactly them.
  std::vector<std::string> problems;
  std::string playlist_location;
  auto check = [&](const HlsPublishedPart& part) {
    const std::string file = test::file_contents(part.location);
    if (file.size() != part.offset + part.size) problems.push_back(part.location + " is not exactly its parts so far");
    auto boxes =
        test::parse_boxes(std::span(reinterpret_cast<const uint8_t*>(file.data()) + part.offset, part.size), 0);
    if (boxes.size() != 2 || boxes[0].type != "moof" || boxes[1].type != "mdat") {
      problems.push_back("part " + std::to_string(part.part) + " is not one moof + mdat");
    }
    const std::string line = "BYTERANGE=\"" + std::to_string(part.size) + "@" + std::to_string(part.offset) + "\"";
    if (part.playlist.find(line) == std::string::npos) problems.push_back("no " + line);
    if (part.playlist != test::file_contents(playlist_location)) problems.push_back("the playlist on disk differs");
    const std::string hint = "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"" + part.uri +
                             "\",BYTERANGE-START=" + std::to_string(part.offset + part.size) + "\n";
    if (part.playlist.find(hint) == std::string::npos) problems.push_back("no " + hint);
  };
  LowLatencyStream s([&](HlsPackagerConfig& c) { playlist_location = c.playlist_location; }, false, {}, check);
  s.append(0, 4 * 30);
  s.finish();
  EXPECT_EQ(s.parts.size(), 8u);
  EXPECT_EQ(problems, std::vector<std::string>{});
}

TEST(HlsLowLatency, a_live_playlist_lists_parts_before_each_extinf_then_those_in_progress_and_the_hint) {
  LowLatencyStream s;
  s.append(0, 2 * 30 + 2 * 15 + 5);  // two parts of the second segment are out
  // Byte ranges follow each other in each segment's file; a part starting on a keyframe is independent;
  // the hint names the next part's first byte in the growing file.
  EXPECT_EQ(
      s.playlist(),
      "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n"
      "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500\n#EXT-X-PART-INF:PART-TARGET=0.500\n"
      "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4\"\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00000.m4s\",BYTERANGE=\"1612@0\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00000.m4s\",BYTERANGE=\"1608@1612\"\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00000.m4s\",BYTERANGE=\"1612@3220\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00000.m4s\",BYTERANGE=\"1608@4832\"\n"
      "#EXTINF:2.000,\nsegment00000.m4s\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00001.m4s\",BYTERANGE=\"1612@0\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00001.m4s\",BYTERANGE=\"1608@1612\"\n"
      "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"segment00001.m4s\",BYTERANGE-START=3220\n");
  s.finish();
}

TEST(HlsLowLatency, parts_leave_the_playlist_after_three_target_durations_and_the_end_has_no_hint) {
  LowLatencyStream s;
  s.append(0, 10 * 30);
  s.finish();
  // Five 2 s segments: the last three (three target durations) keep their parts.
  EXPECT_EQ(
      s.playlist(),
      "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n"
      "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500\n#EXT-X-PART-INF:PART-TARGET=0.500\n"
      "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4\"\n"
      "#EXTINF:2.000,\nsegment00000.m4s\n#EXTINF:2.000,\nsegment00001.m4s\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00002.m4s\",BYTERANGE=\"1612@0\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00002.m4s\",BYTERANGE=\"1608@1612\"\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00002.m4s\",BYTERANGE=\"1612@3220\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00002.m4s\",BYTERANGE=\"1608@4832\"\n"
      "#EXTINF:2.000,\nsegment00002.m4s\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00003.m4s\",BYTERANGE=\"1612@0\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00003.m4s\",BYTERANGE=\"1608@1612\"\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00003.m4s\",BYTERANGE=\"1612@3220\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00003.m4s\",BYTERANGE=\"1608@4832\"\n"
      "#EXTINF:2.000,\nsegment00003.m4s\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00004.m4s\",BYTERANGE=\"1612@0\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00004.m4s\",BYTERANGE=\"1608@1612\"\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00004.m4s\",BYTERANGE=\"1612@3220\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00004.m4s\",BYTERANGE=\"1608@4832\"\n"
      "#EXTINF:2.000,\nsegment00004.m4s\n"
      "#EXT-X-ENDLIST\n");
}

TEST(HlsLowLatency, part_files_are_named_after_their_segment_and_the_segment_file_is_their_bytes) {
  LowLatencyStream s([](HlsPackagerConfig& c) { c.part_files = true; });
  s.append(0, 2 * 30 + 15 + 5);
  EXPECT_EQ(
      s.playlist(),
      "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n"
      "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500\n#EXT-X-PART-INF:PART-TARGET=0.500\n"
      "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4\"\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00000.0.m4s\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00000.1.m4s\"\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00000.2.m4s\",INDEPENDENT=YES\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00000.3.m4s\"\n"
      "#EXTINF:2.000,\nsegment00000.m4s\n"
      "#EXT-X-PART:DURATION=0.500,URI=\"segment00001.0.m4s\",INDEPENDENT=YES\n"
      "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"segment00001.1.m4s\"\n");
  s.finish();
  ASSERT_EQ(s.parts.size(), 6u);  // 2.67 s: four parts, then 0.5 s and 0.17 s
  std::string joined;
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(s.parts[k].location, s.dir.file("segment00000." + std::to_string(k) + ".m4s"));
    EXPECT_EQ(s.parts[k].uri, "segment00000." + std::to_string(k) + ".m4s");
    EXPECT_EQ(s.parts[k].offset, 0u);
    joined += test::file_contents(s.parts[k].location);
  }
  EXPECT_EQ(joined, test::file_contents(s.dir.file("segment00000.m4s")));
}

TEST(HlsLowLatency, one_track_per_header_playlists_report_the_other_renditions_live_edge) {
  LowLatencyStream s(
      [](HlsPackagerConfig& c) {
        c.one_track_per_header = true;
        c.segment_pattern = (std::filesystem::path(c.segment_pattern).parent_path() / "%s/segment%05d.m4s").string();
        c.playlist_location = (std::filesystem::path(c.playlist_location).parent_path() / "%s/index.m3u8").string();
      },
      /*with_audio=*/true);
  s.append(0, 2 * 30 + 15 + 5);
  // At each cut the video part is published before the audio's: the video playlist reports the audio's
  // edge one part behind, the audio playlist the video's current one.
  const std::string video = test::file_contents(s.dir.file("track1/index.m3u8"));
  EXPECT_TRUE(
      video.ends_with("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"segment00001.m4s\",BYTERANGE-START=1612\n"
                      "#EXT-X-RENDITION-REPORT:URI=\"../track2/index.m3u8\",LAST-MSN=0,LAST-PART=3\n"))
      << video;
  const std::string audio = test::file_contents(s.dir.file("track2/index.m3u8"));
  EXPECT_TRUE(audio.ends_with("#EXT-X-RENDITION-REPORT:URI=\"../track1/index.m3u8\",LAST-MSN=1,LAST-PART=0\n"))
      << audio;
  // AAC frames end up to a frame past the video's cut: the audio playlist's part target is the interval and
  // one frame (1024 / 44100 s), fixed by its first part.
  EXPECT_NE(audio.find("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.572\n"
                       "#EXT-X-PART-INF:PART-TARGET=0.524\n"),
            std::string::npos)
      << audio;
  EXPECT_NE(audio.find("#EXT-X-PART:DURATION=0.511,URI=\"segment00000.m4s\",BYTERANGE=\"548@0\",INDEPENDENT=YES\n"),
            std::string::npos)
      << audio;
  s.finish();
}

// Every PART-TARGET line in the playlists published for `rendition` (parts' and segments' texts).
std::set<std::string> part_targets_of(const LowLatencyStream& s, const std::string& rendition) {
  std::set<std::string> targets;
  auto add = [&](const std::string& text) {
    const size_t at = text.find("PART-TARGET=");
    if (at != std::string::npos) targets.insert(text.substr(at, text.find('\n', at) - at));
  };
  for (const HlsPublishedPart& part : s.parts) {
    if (part.rendition == rendition) add(part.playlist);
  }
  for (const HlsWrittenSegment& segment : s.segments) {
    if (segment.rendition == rendition) add(segment.playlist);
  }
  return targets;
}

TEST(HlsLowLatency, a_muxed_segment_whose_audio_leads_its_video_has_parts_that_add_up_to_its_extinf) {
  // A live source's audio starts 0.3 s before its first keyframe: the first part still starts with video and
  // lasts a part interval of it, so the parts' durations add up to the segment's EXTINF (its video's).
  LowLatencyStream s({}, /*with_audio=*/true);
  s.video_delay = Time(3, 10);
  s.append(0, 4 * 30);
  s.finish();
  ASSERT_EQ(s.segments.size(), 2u);
  for (const HlsWrittenSegment& segment : s.segments) {
    int64_t parts_ns = 0;
    for (const HlsPublishedPart& part : s.parts) {
      if (part.media_sequence != segment.index) continue;
      parts_ns += part.duration_ns;
      EXPECT_LE(part.duration_ns, 500'000'000) << "part " << part.part << " of segment " << segment.index;
    }
    EXPECT_EQ(parts_ns, segment.duration_ns) << "segment " << segment.index;
  }
  EXPECT_EQ(s.parts.front().duration_ns, 500'000'000);
  EXPECT_EQ(part_targets_of(s, ""), std::set<std::string>{"PART-TARGET=0.500"});
}

TEST(HlsLowLatency, part_targets_stay_fixed_when_the_audio_outlasts_the_video) {
  // One track per header; the video ends (its pad's EOS) 0.8 s before the audio: the audio rendition's
  // trailing parts are cut by its own samples, so its PART-TARGET, fixed by its first part, holds to the end.
  LowLatencyStream s(
      [](HlsPackagerConfig& c) {
        c.one_track_per_header = true;
        c.segment_pattern = (std::filesystem::path(c.segment_pattern).parent_path() / "%s/segment%05d.m4s").string();
        c.playlist_location = (std::filesystem::path(c.playlist_location).parent_path() / "%s/index.m3u8").string();
      },
      /*with_audio=*/true);
  s.append(0, 4 * 30);
  ASSERT_TRUE(s.video->mark_as_finished().is_ok());
  s.append_audio_until(Time(48, 10));
  s.finish();
  EXPECT_EQ(part_targets_of(s, "track1"), std::set<std::string>{"PART-TARGET=0.500"});
  EXPECT_EQ(part_targets_of(s, "track2"), std::set<std::string>{"PART-TARGET=0.524"});
  for (const HlsPublishedPart& part : s.parts) {
    EXPECT_LE(part.duration_ns, part.rendition == "track1" ? 500'000'000 : 523'220'000)
        << part.rendition << " part " << part.media_sequence << "." << part.part;
  }
  EXPECT_NE(test::file_contents(s.dir.file("track2/index.m3u8")).find("PART-TARGET=0.524\n"), std::string::npos);
}

TEST(HlsLowLatency, a_last_frame_starting_at_the_part_limit_is_a_part_of_its_own) {
  // The stream ends 16 frames into a segment: 15 frames fill a 0.5 s part, and the 16th, which starts at its
  // limit, would make it 0.533 s; it becomes the segment's last part, and PART-TARGET stays 0.5.
  LowLatencyStream s;
  s.append(0, 2 * 30 + 16);
  s.finish();
  ASSERT_FALSE(s.parts.empty());
  EXPECT_EQ(s.parts.back().duration_ns, 33'333'333);
  for (const HlsPublishedPart& part : s.parts) EXPECT_LE(part.duration_ns, 500'000'000) << part.part;
  EXPECT_EQ(part_targets_of(s, ""), std::set<std::string>{"PART-TARGET=0.500"});
}

TEST(HlsLowLatency, delta_updates_write_a_delta_playlist_beside_the_playlist_before_it) {
  LowLatencyStream s([](HlsPackagerConfig& c) { c.delta_updates = true; });
  s.append(0, 16 * 30 + 20);
  ASSERT_FALSE(s.parts.empty());
  const HlsPublishedPart& last = s.parts.back();
  EXPECT_EQ(last.playlist, s.playlist());
  EXPECT_EQ(last.delta_playlist, test::file_contents(s.dir.file("index-delta.m3u8")));
  EXPECT_NE(last.playlist.find("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500,"
                               "CAN-SKIP-UNTIL=12.000\n"),
            std::string::npos)
      << last.playlist;
  // Eight 2 s segments out: the first two end at least 12 s before the last one's end.
  EXPECT_NE(last.delta_playlist.find("#EXT-X-MAP:URI=\"init.mp4\"\n#EXT-X-SKIP:SKIPPED-SEGMENTS=2\n"
                                     "#EXTINF:2.000,\nsegment00002.m4s\n"),
            std::string::npos)
      << last.delta_playlist;
  // From the first segment after the skipped ones on, the delta playlist is the playlist's tail.
  const size_t tail = last.playlist.find("#EXTINF:2.000,\nsegment00002.m4s\n");
  ASSERT_NE(tail, std::string::npos);
  EXPECT_TRUE(last.delta_playlist.ends_with(last.playlist.substr(tail)));
  s.finish();
}

TEST(HlsLowLatency, a_packager_without_a_part_interval_lists_whole_segments_as_before) {
  LowLatencyStream s([](HlsPackagerConfig& c) { c.part_interval_ns = 0; });
  s.append(0, 4 * 30);
  s.finish();
  EXPECT_TRUE(s.parts.empty());
  EXPECT_EQ(s.playlist(),
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
            "#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4\"\n"
            "#EXTINF:2.000,\nsegment00000.m4s\n#EXTINF:2.000,\nsegment00001.m4s\n#EXT-X-ENDLIST\n");
}

TEST(HlsLowLatency, program_date_time_is_anchored_when_the_first_part_is_complete) {
  LowLatencyStream s([](HlsPackagerConfig& c) { c.program_date_time = true; });
  s.append(0, 2 * 30 + 5);
  const std::string text = s.playlist();
  EXPECT_NE(text.find("#EXT-X-PROGRAM-DATE-TIME:2025-11-25T03:30:39.500Z\n#EXT-X-PART:"), std::string::npos) << text;
  s.finish();
}

}  // namespace
}  // namespace aw

namespace aw {
namespace {

TEST(HlsLowLatency, program_date_time_comes_from_the_wall_clock_mapping_when_one_is_given) {
  // An element's mapping of running time to the wall clock: 10 s after the epoch second 1764041440.
  LowLatencyStream s([](HlsPackagerConfig& c) { c.program_date_time = true; }, /*with_audio=*/false,
                     [](int64_t media_ns) { return int64_t{1'764'041'450'000'000} + media_ns / 1000; });
  s.append(0, 4 * 30 + 20);  // the third segment's first part is out
  const std::string text = s.playlist();
  EXPECT_NE(text.find("#EXT-X-PROGRAM-DATE-TIME:2025-11-25T03:30:50.000Z\n#EXT-X-PART:"), std::string::npos) << text;
  EXPECT_NE(text.find("#EXT-X-PROGRAM-DATE-TIME:2025-11-25T03:30:52.000Z\n#EXT-X-PART:"), std::string::npos) << text;
  EXPECT_NE(text.find("#EXT-X-PROGRAM-DATE-TIME:2025-11-25T03:30:54.000Z\n#EXT-X-PART:"), std::string::npos) << text;
  s.finish();
}

}  // namespace
}  // namespace aw
