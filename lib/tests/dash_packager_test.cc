// The MPD the HlsPackager writes beside its playlists (HlsPackagerConfig::mpd_location): refused for muxed
// segments, dynamic while segments arrive, static (or an ended dynamic one) at finish, and its
// SegmentTimeline checked against the segments the packager reported and the files on disk.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>

#include "aw/asset_writer.h"
#include "aw/hls_packager.h"
#include "test_media.h"

namespace aw {
namespace {

// A directory per track (%s) in `dir`, with an MPD beside them.
HlsPackagerConfig per_track_config(const test::TempDir& dir) {
  HlsPackagerConfig config;
  config.segment_pattern = dir.file("%s/segment%05d.m4s");
  config.init_location = dir.file("%s/init.mp4");
  config.playlist_location = dir.file("%s/index.m3u8");
  config.mpd_location = dir.file("manifest.mpd");
  config.one_track_per_header = true;
  config.sync = false;
  return config;
}

// 30 fps video (a keyframe every second, 100-byte frames) and 44.1 kHz AAC (20-byte frames), one track per
// header in 2 s CMAF segments, into a packager writing HLS and an MPD to a temporary directory.
struct DashStream {
  test::TempDir dir;
  std::vector<HlsWrittenSegment> segments;
  std::shared_ptr<AssetWriterInput> video = test::h264_input();
  std::shared_ptr<AssetWriterInput> audio = test::aac_input();
  std::unique_ptr<HlsPackager> packager;
  std::unique_ptr<AssetWriter> writer;
  int next_audio = 0;
  // Where the media starts on the source timeline; later than 0, the segments' time origin stays at 0.
  Time start = Time::zero();

  explicit DashStream(const std::function<void(HlsPackagerConfig&)>& configure = {},
                      std::function<int64_t(int64_t)> wall_clock_us_at = {}, Time start_at = Time::zero())
      : start(start_at) {
    HlsPackagerConfig config = per_track_config(dir);
    config.segment_interval_ns = 2'000'000'000;
    config.first_index = 1;
    if (configure) configure(config);
    HlsPackager::Callbacks callbacks;
    callbacks.describe_track = [](uint32_t id) {
      HlsTrackDescription description;
      if (id == 1) {
        description = {"video", MediaType::kVideo, "avc1.640014", "", std::pair{320u, 240u}, 30.0, {}, {}};
      } else {
        description = {"audio", MediaType::kAudio, "mp4a.40.2", "en", {}, {}, 44100u, 2u};
      }
      return description;
    };
    callbacks.segment_written = [this](const HlsWrittenSegment& segment) { segments.push_back(segment); };
    callbacks.now_us = [] { return int64_t{1'764'041'440'000'000}; };
    callbacks.wall_clock_us_at = std::move(wall_clock_us_at);
    packager = std::move(HlsPackager::create(config, callbacks)).value();
    writer = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, *packager)).value();
    EXPECT_TRUE(writer->set_output_file_type_profile(FileTypeProfile::kMpeg4CmafCompliant).is_ok());
    EXPECT_TRUE(writer->set_preferred_output_segment_interval(Time(2, 1)).is_ok());
    EXPECT_TRUE(writer->set_one_track_per_header(true).is_ok());
    EXPECT_TRUE(writer->add(video).is_ok());
    EXPECT_TRUE(writer->add(audio).is_ok());
    if (start != Time::zero()) {
      EXPECT_TRUE(writer->set_initial_segment_start_time(Time::zero()).is_ok());
    }
    EXPECT_TRUE(writer->start_writing().is_ok());
    EXPECT_TRUE(writer->start_session(start).is_ok());
  }

  // Video frames `from` to `to`, each after the audio up to it.
  void append(int from, int to) {
    for (int v = from; v < to; ++v) {
      const Time at = Time(v, 30) + start;
      append_audio_until(at);
      ASSERT_TRUE(video->append(test::make_sample(at, at, 100, v % 30 == 0, 0x11)).is_ok());
    }
    append_audio_until(Time(to, 30) + start);
  }
  void append_audio_until(Time end) {
    for (; Time(int64_t{next_audio} * 1024, 44100) + start < end; ++next_audio) {
      const Time at = Time(int64_t{next_audio} * 1024, 44100) + start;
      ASSERT_TRUE(audio->append(test::make_sample(at, at, 20, true, 0x22)).is_ok());
    }
  }
  void finish() {
    ASSERT_TRUE(writer->finish_writing().is_ok()) << writer->error().to_string();
    ASSERT_TRUE(packager->finish().is_ok());
  }
  std::string mpd() const { return test::file_contents(dir.file("manifest.mpd")); }
};

// Light well-formedness: every element closed in order (xmllint is left to the end-to-end tests).
bool tags_balance(const std::string& xml) {
  std::vector<std::string> open;
  const std::regex tag(R"re(<(/?)([A-Za-z]+)[^<>]*?(/?)>)re");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), tag); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    if (!m[3].str().empty()) continue;  // <S .../>
    if (m[1].str().empty()) {
      open.push_back(m[2]);
    } else if (open.empty() || open.back() != m[2].str()) {
      return false;
    } else {
      open.pop_back();
    }
  }
  return open.empty();
}

// A Representation's segments as its SegmentTimeline lists them: number -> (t, d).
struct ListedSegment {
  uint64_t number;
  int64_t t;
  int64_t d;
};
std::map<std::string, std::vector<ListedSegment>> listed_segments(const std::string& mpd) {
  std::map<std::string, std::vector<ListedSegment>> listed;
  const std::regex representation(
      R"re(<Representation id="([^"]+)"[\s\S]*?startNumber="(\d+)">([\s\S]*?)</Representation>)re");
  const std::regex s(R"re(<S (?:t="(\d+)" )?d="(\d+)"(?: r="(\d+)")?/>)re");
  for (auto r = std::sregex_iterator(mpd.begin(), mpd.end(), representation); r != std::sregex_iterator(); ++r) {
    uint64_t number = std::stoull((*r)[2]);
    int64_t t = 0;
    const std::string body = (*r)[3];
    for (auto e = std::sregex_iterator(body.begin(), body.end(), s); e != std::sregex_iterator(); ++e) {
      if ((*e)[1].matched) t = std::stoll((*e)[1]);
      const int64_t d = std::stoll((*e)[2]);
      const int repeats = (*e)[3].matched ? std::stoi((*e)[3]) : 0;
      for (int k = 0; k <= repeats; ++k, t += d) listed[(*r)[1]].push_back({number++, t, d});
    }
  }
  return listed;
}

// A segment's start and duration in its track's timescale, on the file's media timeline.
std::pair<int64_t, int64_t> file_time_of(const HlsWrittenSegment& segment) {
  const SegmentTrackReport& track = segment.report.tracks.front();
  const int32_t timescale = track.earliest_presentation_time.timescale();
  return {track.earliest_presentation_time.value() - track.media_time_origin.rescaled(timescale).value(),
          track.duration.rescaled(timescale).value()};
}

TEST(DashPackager, an_mpd_of_muxed_segments_is_refused) {
  test::TempDir dir;
  HlsPackagerConfig config;
  config.segment_pattern = dir.file("segment%05d.m4s");
  config.mpd_location = dir.file("manifest.mpd");
  auto packager = HlsPackager::create(config, {});
  ASSERT_FALSE(packager.is_ok());
  EXPECT_NE(packager.status().message().find("one track per header"), std::string::npos)
      << packager.status().to_string();
}

TEST(DashPackager, a_template_padding_with_spaces_is_refused) {
  test::TempDir dir;
  HlsPackagerConfig config = per_track_config(dir);
  config.segment_pattern = dir.file("%s/segment%5d.m4s");
  EXPECT_FALSE(HlsPackager::create(config, {}).is_ok());
}

TEST(DashPackager, a_track_name_with_whitespace_fails_the_writer_before_any_file_names_it) {
  test::TempDir dir;
  HlsPackager::Callbacks callbacks;
  callbacks.describe_track = [](uint32_t) {
    HlsTrackDescription description;
    description.name = "main video";
    return description;
  };
  auto packager = std::move(HlsPackager::create(per_track_config(dir), callbacks)).value();
  auto writer = std::move(AssetWriter::create_for_segments(FileType::kMpeg4, *packager)).value();
  ASSERT_TRUE(writer->set_preferred_output_segment_interval(Time(1, 1)).is_ok());
  ASSERT_TRUE(writer->set_one_track_per_header(true).is_ok());
  auto video = test::h264_input();
  ASSERT_TRUE(writer->add(video).is_ok());
  ASSERT_TRUE(writer->start_writing().is_ok());
  ASSERT_TRUE(writer->start_session(Time::zero()).is_ok());
  Status status;
  for (int v = 0; v < 60 && status.is_ok(); ++v) {
    status = video->append(test::make_sample(Time(v, 30), Time(v, 30), 100, v % 30 == 0));
  }
  if (status.is_ok()) status = writer->finish_writing();
  EXPECT_NE(status.to_string().find("\"main video\" cannot be a DASH Representation id"), std::string::npos)
      << status.to_string();
  EXPECT_FALSE(std::filesystem::exists(dir.file("manifest.mpd")));
}

TEST(DashPackager, a_vod_stream_ends_with_a_static_mpd) {
  DashStream s([](HlsPackagerConfig& c) { c.playlist_type = HlsPackagerConfig::PlaylistType::kVod; });
  s.append(0, 5 * 30);
  s.finish();
  // Video ends at 5 s, the audio frame reaching past it at 221184 / 44100 s.
  EXPECT_EQ(s.mpd(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" "
            "profiles=\"urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019\" type=\"static\" "
            "mediaPresentationDuration=\"PT5.016S\" minBufferTime=\"PT2.000S\">\n"
            "  <Period id=\"0\" start=\"PT0S\">\n"
            "    <AdaptationSet contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\">\n"
            "      <Representation id=\"video\" codecs=\"avc1.640014\" bandwidth=\"25504\" width=\"320\" "
            "height=\"240\" frameRate=\"30\">\n"
            "        <SegmentTemplate timescale=\"90000\" initialization=\"$RepresentationID$/init.mp4\" "
            "media=\"$RepresentationID$/segment$Number%05d$.m4s\" startNumber=\"1\">\n"
            "          <SegmentTimeline>\n"
            "            <S t=\"0\" d=\"180000\" r=\"1\"/>\n"
            "            <S d=\"90000\"/>\n"
            "          </SegmentTimeline>\n"
            "        </SegmentTemplate>\n"
            "      </Representation>\n"
            "    </AdaptationSet>\n"
            "    <AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"en\" segmentAlignment=\"true\">\n"
            "      <Representation id=\"audio\" codecs=\"mp4a.40.2\" bandwidth=\"8012\" audioSamplingRate=\"44100\">\n"
            "        <AudioChannelConfiguration "
            "schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"2\"/>\n"
            "        <SegmentTemplate timescale=\"44100\" initialization=\"$RepresentationID$/init.mp4\" "
            "media=\"$RepresentationID$/segment$Number%05d$.m4s\" startNumber=\"1\">\n"
            "          <SegmentTimeline>\n"
            "            <S t=\"0\" d=\"89088\"/>\n"
            "            <S d=\"88064\"/>\n"
            "            <S d=\"44032\"/>\n"
            "          </SegmentTimeline>\n"
            "        </SegmentTemplate>\n"
            "      </Representation>\n"
            "    </AdaptationSet>\n"
            "  </Period>\n"
            "</MPD>\n");
}

// Every segment the packager reported is listed under its number with its time and duration, in order,
// and the template names its file on disk.
void expect_timeline_matches_segments(const DashStream& s, const std::string& mpd) {
  const auto listed = listed_segments(mpd);
  for (const std::string rendition : {"video", "audio"}) {
    std::vector<const HlsWrittenSegment*> written;
    for (const HlsWrittenSegment& segment : s.segments) {
      if (segment.rendition == rendition) written.push_back(&segment);
    }
    ASSERT_TRUE(listed.count(rendition)) << mpd;
    const std::vector<ListedSegment>& entries = listed.at(rendition);
    ASSERT_EQ(entries.size(), written.size()) << rendition;
    int64_t listed_total = 0;
    int64_t reported_total = 0;
    for (size_t k = 0; k < entries.size(); ++k) {
      EXPECT_EQ(entries[k].number, written[k]->index);
      EXPECT_EQ(std::pair(entries[k].t, entries[k].d), file_time_of(*written[k])) << rendition << " " << k;
      char name[32];
      std::snprintf(name, sizeof name, "segment%05llu.m4s", static_cast<unsigned long long>(entries[k].number));
      const std::string path = s.dir.file(rendition + "/" + name);
      EXPECT_EQ(path, written[k]->location);
      EXPECT_EQ(std::filesystem::file_size(path), written[k]->size);
      listed_total += entries[k].d;
      reported_total += written[k]->report.tracks.front().duration.value();
    }
    EXPECT_EQ(listed_total, reported_total) << rendition;
  }
}

TEST(DashPackager, the_timeline_lists_every_segment_reported_and_on_disk) {
  DashStream s([](HlsPackagerConfig& c) { c.playlist_type = HlsPackagerConfig::PlaylistType::kVod; });
  s.append(0, 7 * 30 + 10);
  s.finish();
  EXPECT_TRUE(tags_balance(s.mpd())) << s.mpd();
  expect_timeline_matches_segments(s, s.mpd());
}

TEST(DashPackager, while_segments_arrive_the_mpd_is_dynamic_and_written_once_every_track_has_a_segment) {
  DashStream s;
  s.append(0, 5 * 30);
  ASSERT_FALSE(s.segments.empty());
  // The first segment (video's) comes before audio has one: no MPD names a Representation without segments.
  EXPECT_EQ(s.segments.front().mpd, "");
  const std::string mpd = s.segments.back().mpd;
  EXPECT_EQ(mpd, s.mpd());
  EXPECT_TRUE(tags_balance(mpd)) << mpd;
  // now_us() when the first MPD was written, less the media then written: the audio's 89088 / 44100 s.
  EXPECT_EQ(mpd.substr(0, mpd.find("  <Period")),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" "
            "profiles=\"urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019\" type=\"dynamic\" "
            "availabilityStartTime=\"2025-11-25T03:30:37.979Z\" publishTime=\"2025-11-25T03:30:40.000Z\" "
            "minimumUpdatePeriod=\"PT2.000S\" suggestedPresentationDelay=\"PT6.000S\" minBufferTime=\"PT2.000S\">\n");
  EXPECT_NE(mpd.find("<UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-iso:2014\" value=\"/time\"/>"),
            std::string::npos);
  expect_timeline_matches_segments(s, mpd);
  s.finish();
}

TEST(DashPackager, an_event_stream_ends_with_a_dynamic_mpd_that_no_longer_updates) {
  DashStream s;
  s.append(0, 5 * 30);
  s.finish();
  const std::string mpd = s.mpd();
  EXPECT_NE(mpd.find("type=\"dynamic\""), std::string::npos);
  EXPECT_NE(mpd.find("mediaPresentationDuration=\"PT5.016S\""), std::string::npos);
  EXPECT_EQ(mpd.find("minimumUpdatePeriod"), std::string::npos) << mpd;
  expect_timeline_matches_segments(s, mpd);
}

TEST(DashPackager, a_live_window_lists_the_last_segments_from_their_number_with_a_time_shift_buffer) {
  DashStream s([](HlsPackagerConfig& c) { c.playlist_length = 2; });
  s.append(0, 9 * 30);
  const std::string mpd = s.mpd();
  EXPECT_NE(mpd.find("timeShiftBufferDepth=\"PT4.000S\""), std::string::npos) << mpd;
  const auto listed = listed_segments(mpd);
  for (const std::string rendition : {"video", "audio"}) {
    std::vector<const HlsWrittenSegment*> written;
    for (const HlsWrittenSegment& segment : s.segments) {
      if (segment.rendition == rendition) written.push_back(&segment);
    }
    ASSERT_GT(written.size(), 2u);
    ASSERT_EQ(listed.at(rendition).size(), 2u) << mpd;
    for (size_t k = 0; k < 2; ++k) {
      const HlsWrittenSegment& segment = *written[written.size() - 2 + k];
      EXPECT_EQ(listed.at(rendition)[k].number, segment.index);
      EXPECT_EQ(std::pair(listed.at(rendition)[k].t, listed.at(rendition)[k].d), file_time_of(segment));
    }
  }
  s.finish();
}

TEST(DashPackager, the_availability_start_time_follows_the_wall_clock_mapping) {
  // Media time 0 was captured at 1'764'041'400 s (Unix), as EXT-X-PROGRAM-DATE-TIME would say.
  DashStream s({}, [](int64_t media_ns) { return int64_t{1'764'041'400'000'000} + media_ns / 1000; });
  s.append(0, 5 * 30);
  EXPECT_NE(s.mpd().find("availabilityStartTime=\"2025-11-25T03:30:00.000Z\""), std::string::npos) << s.mpd();
  s.finish();
}

TEST(DashPackager, a_presentation_starting_after_the_time_origin_has_a_presentation_time_offset) {
  // The segments' media timeline starts at 0, the media 1 s later: the Period starts with the media.
  DashStream s([](HlsPackagerConfig& c) { c.playlist_type = HlsPackagerConfig::PlaylistType::kVod; }, {}, Time(1, 1));
  s.append(0, 5 * 30);
  s.finish();
  const std::string mpd = s.mpd();
  EXPECT_NE(mpd.find("mediaPresentationDuration=\"PT5.016S\""), std::string::npos) << mpd;
  EXPECT_NE(mpd.find("<SegmentTemplate timescale=\"90000\" presentationTimeOffset=\"90000\""), std::string::npos);
  EXPECT_NE(mpd.find("<S t=\"90000\" d=\"180000\" r=\"1\"/>"), std::string::npos);
  EXPECT_NE(mpd.find("<SegmentTemplate timescale=\"44100\" presentationTimeOffset=\"44100\""), std::string::npos);
  expect_timeline_matches_segments(s, mpd);
}

// Local files, with a log of how each was opened.
class LoggingFileStorage final : public HlsFileStorage {
 public:
  LoggingFileStorage() : HlsFileStorage(false) {}
  Result<std::unique_ptr<HlsStorageWriter>> open(const std::string& location, HlsFileKind kind,
                                                 HlsWriteMode mode) override {
    opened.push_back({location, kind, mode});
    return HlsFileStorage::open(location, kind, mode);
  }
  struct Opened {
    std::string location;
    HlsFileKind kind;
    HlsWriteMode mode;
  };
  std::vector<Opened> opened;
};

TEST(DashPackager, the_mpd_goes_through_the_storage_whole_as_a_playlist_once_per_segment_and_at_the_end) {
  auto storage = std::make_shared<LoggingFileStorage>();
  DashStream s([&](HlsPackagerConfig& c) { c.storage = storage; });
  s.append(0, 5 * 30);
  s.finish();
  size_t mpds = 0;
  for (const LoggingFileStorage::Opened& file : storage->opened) {
    if (file.location != s.dir.file("manifest.mpd")) continue;
    ++mpds;
    EXPECT_EQ(file.kind, HlsFileKind::kPlaylist);
    EXPECT_EQ(file.mode, HlsWriteMode::kWhole);
  }
  // Once after each segment from the first audio one on (video's first came alone), and at finish().
  size_t listed = 0;
  for (const HlsWrittenSegment& segment : s.segments) listed += segment.mpd.empty() ? 0 : 1;
  EXPECT_EQ(mpds, listed + 1);
  EXPECT_EQ(listed, s.segments.size() - 1);
}

}  // namespace
}  // namespace aw
