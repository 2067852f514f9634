// The HlsPackager on its own: file names from the pattern, atomic files, playlists after every segment, the
// live window, and errors, fed with made-up segments instead of a writer.
#include "aw/hls_packager.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aw/asset_writer.h"
#include "aw/codec_string.h"
#include "io/atomic_file.h"
#include "manifest/rendition.h"
#include "manifest/segment_naming.h"
#include "test_media.h"

namespace aw {
namespace {

namespace fs = std::filesystem;

class Dir {
 public:
  Dir() {
    std::string templ = (fs::temp_directory_path() / "aw-seg-XXXXXX").string();
    path_ = mkdtemp(templ.data());
  }
  ~Dir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, ec);
    fs::remove_all(path_, ec);
  }
  Dir(const Dir&) = delete;
  Dir& operator=(const Dir&) = delete;
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(path_)) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::string path_;
};

aw::SegmentReport report(int64_t start_ms, int64_t video_ms, int64_t audio_ms = 0) {
  aw::SegmentReport r;
  r.sequence_number = 1;
  aw::SegmentTrackReport video;
  video.track_id = 1;
  video.media_type = aw::MediaType::kVideo;
  video.earliest_presentation_time = aw::Time(start_ms, 1000);
  video.duration = aw::Time(video_ms, 1000);
  video.sample_count = static_cast<uint32_t>(video_ms * 30 / 1000);
  r.tracks.push_back(video);
  if (audio_ms > 0) {
    aw::SegmentTrackReport audio;
    audio.track_id = 2;
    audio.media_type = aw::MediaType::kAudio;
    audio.earliest_presentation_time = aw::Time(start_ms, 1000);
    audio.duration = aw::Time(audio_ms, 1000);
    r.tracks.push_back(audio);
  }
  return r;
}

const std::vector<uint8_t> kInit = {0, 0, 0, 8, 'f', 't', 'y', 'p'};
const std::vector<uint8_t> kMedia(1000, 0x42);

struct Fixture {
  Dir dir;
  HlsPackagerConfig config;
  std::vector<HlsWrittenSegment> written;
  std::vector<std::string> inits;
  std::vector<std::string> failures;  // the errors the delegate returned to the writer
  std::unique_ptr<HlsPackager> output;

  Fixture() {
    config.segment_pattern = dir / "segment%05d.m4s";
    config.init_location = dir / "init.mp4";
    config.playlist_location = dir / "index.m3u8";
    config.sync = false;
    config.segment_interval_ns = 2'000'000'000;
  }
  void create(int64_t now_us = 1'700'000'000'000'000) {
    HlsPackager::Callbacks callbacks;
    callbacks.init_written = [this](const std::string& location, uint64_t) { inits.push_back(location); };
    callbacks.segment_written = [this](const HlsWrittenSegment& s) {
      // The segment and the playlist listing it are on disk when the callback runs.
      EXPECT_TRUE(fs::exists(s.location));
      if (!config.playlist_location.empty()) {
        EXPECT_NE(test::file_contents(expand_rendition_name(config.playlist_location, s.rendition)).find(s.uri), std::string::npos);
      }
      written.push_back(s);
    };
    callbacks.describe_track = [](uint32_t track_id) {
      if (track_id == 1)
        return HlsTrackDescription{"video_0", aw::MediaType::kVideo, "avc1.640014", "", {{320, 240}}, 30.0, {}, {}};
      return HlsTrackDescription{"audio_" + std::to_string(track_id - 2),
                                 aw::MediaType::kAudio,
                                 "mp4a.40.2",
                                 track_id == 2 ? "en" : "",
                                 std::nullopt,
                                 std::nullopt,
                                 44100u,
                                 2u};
    };
    callbacks.now_us = [now_us] { return now_us; };
    auto created = HlsPackager::create(config, std::move(callbacks));
    ASSERT_TRUE(created) << created.status().message();
    output = std::move(created).value();
  }
  // One track per header, its locations in the directory (with %s); the multivariant playlist main.m3u8.
  void one_track_per_header(const std::string& segments, const std::string& init, const std::string& playlist) {
    config.one_track_per_header = true;
    config.segment_pattern = dir / segments;
    config.init_location = dir / init;
    config.playlist_location = dir / playlist;
    config.multivariant_location = dir / "main.m3u8";
  }
  void deliver(std::span<const uint8_t> data, aw::SegmentType type, const aw::SegmentReport& r) {
    aw::Status status = output->did_output_segment_data(data, type, &r);
    if (!status) failures.push_back(status.message());
  }
  // The header of every track (tracks 1 and 2: video and audio), or of one track.
  void init(std::optional<uint32_t> only_track = std::nullopt) {
    aw::SegmentReport r = report(0, 0, 1);
    r.type = aw::SegmentType::kInitialization;
    if (only_track) r.tracks = {r.tracks[*only_track - 1]};
    deliver(kInit, aw::SegmentType::kInitialization, r);
  }
  void segment(int64_t start_ms, int64_t duration_ms) {
    deliver(kMedia, aw::SegmentType::kSeparable, report(start_ms, duration_ms));
  }
  // One track's segment (one track per header): 1 is the video, 2 the audio.
  void track_segment(uint32_t track_id, int64_t start_ms, int64_t duration_ms, size_t size, bool sync = true) {
    aw::SegmentReport r = report(start_ms, duration_ms, duration_ms);
    r.tracks = {r.tracks[track_id - 1]};
    r.tracks[0].first_sample_is_sync = sync;
    deliver(std::vector<uint8_t>(size, 0x42), aw::SegmentType::kSeparable, r);
  }
};

TEST(SegmentNames, pattern_number_is_formatted_with_its_width) {
  EXPECT_EQ(format_segment_name("segment%05d.m4s", 7).value(), "segment00007.m4s");
  EXPECT_EQ(format_segment_name("seg%d.m4s", 123456).value(), "seg123456.m4s");
  EXPECT_EQ(format_segment_name("seg%3u.m4s", 4).value(), "seg  4.m4s");
  EXPECT_EQ(format_segment_name("100%%-%02i.m4s", 3).value(), "100%-03.m4s");
  EXPECT_EQ(format_segment_name("s%05d.m4s", 1234567).value(), "s1234567.m4s");
}

TEST(SegmentNames, patterns_without_exactly_one_integer_conversion_are_refused) {
  for (const char* bad :
       {"segment.m4s", "seg%d-%d.m4s", "seg%s.m4s", "seg%05.m4s", "seg%", "seg%lld.m4s", "seg%099d.m4s"}) {
    aw::Status status = check_segment_pattern(bad);
    EXPECT_FALSE(status) << bad;
    EXPECT_NE(status.message().find(bad), std::string::npos) << status.message();
  }
}

TEST(SegmentNames, uris_are_relative_to_the_playlist_directory) {
  EXPECT_EQ(uri_relative_to("/srv/hls/segment00001.m4s", "/srv/hls/index.m3u8"), "segment00001.m4s");
  EXPECT_EQ(uri_relative_to("/srv/hls/media/s1.m4s", "/srv/hls/index.m3u8"), "media/s1.m4s");
  EXPECT_EQ(uri_relative_to("/srv/a/s1.m4s", "/srv/b/index.m3u8"), "../a/s1.m4s");
  EXPECT_EQ(uri_relative_to("init.mp4", "index.m3u8"), "init.mp4");
}

TEST(SegmentDurations, video_duration_wins_over_a_longer_audio_track) {
  EXPECT_EQ(segment_duration_ns(report(0, 2000, 2090)), 2'000'000'000);
  aw::SegmentReport audio_only = report(0, 0, 1500);
  audio_only.tracks.erase(audio_only.tracks.begin());
  EXPECT_EQ(segment_duration_ns(audio_only), 1'500'000'000);
  EXPECT_EQ(segment_start_ns(report(4000, 2000, 2000)), 4'000'000'000);
}

TEST(AtomicWrite, replaces_the_file_and_leaves_no_temporary) {
  Dir dir;
  const std::string path = dir / "index.m3u8";
  const std::string first = "#EXTM3U\nfirst\n", second = "#EXTM3U\nsecond\n";
  ASSERT_TRUE(
      write_file_atomically(path, std::span(reinterpret_cast<const uint8_t*>(first.data()), first.size()), true));
  ASSERT_TRUE(
      write_file_atomically(path, std::span(reinterpret_cast<const uint8_t*>(second.data()), second.size()), false));
  EXPECT_EQ(test::file_contents(path), second);
  EXPECT_EQ(dir.names(), std::vector<std::string>{"index.m3u8"});
}

TEST(AtomicWrite, failure_names_the_path_and_leaves_the_old_file) {
  Dir dir;
  const std::string path = dir / "missing/index.m3u8";
  aw::Status status = write_file_atomically(path, kInit, false);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.code(), aw::ErrorCode::kIo);
  EXPECT_NE(status.message().find(path + ".tmp"), std::string::npos) << status.message();
}

TEST(HlsPackagerFiles, init_then_segments_then_endlist) {
  Fixture f;
  f.create();
  f.init();
  f.segment(0, 2000);
  f.segment(2000, 2000);
  f.segment(4000, 1500);
  ASSERT_TRUE(f.output->finish());
  EXPECT_EQ(f.dir.names(), (std::vector<std::string>{"index.m3u8", "init.mp4", "segment00000.m4s", "segment00001.m4s",
                                                     "segment00002.m4s"}));
  EXPECT_EQ(test::file_contents(f.dir / "init.mp4"), std::string(kInit.begin(), kInit.end()));
  EXPECT_EQ(test::file_contents(f.dir / "index.m3u8"),
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
            "#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4\"\n"
            "#EXTINF:2.000,\nsegment00000.m4s\n#EXTINF:2.000,\nsegment00001.m4s\n#EXTINF:1.500,\nsegment00002.m4s\n"
            "#EXT-X-ENDLIST\n");
  ASSERT_EQ(f.written.size(), 3u);
  EXPECT_EQ(f.inits, std::vector<std::string>{f.dir / "init.mp4"});
  EXPECT_EQ(f.written[1].location, f.dir / "segment00001.m4s");
  EXPECT_EQ(f.written[1].uri, "segment00001.m4s");
  EXPECT_EQ(f.written[1].index, 1u);
  EXPECT_EQ(f.written[1].duration_ns, 2'000'000'000);
  EXPECT_EQ(f.written[1].start_ns, 2'000'000'000);
  EXPECT_EQ(f.written[1].size, kMedia.size());
  EXPECT_EQ(f.written[1].report.tracks.size(), 1u);
  EXPECT_TRUE(f.failures.empty());
}

// A format change: the writer sends a further header for the same tracks. It goes to init-1.mp4 (the
// segments before keep init.mp4), and the playlist names it with a discontinuity before the next segment.
TEST(HlsPackagerFiles, a_further_header_is_numbered_and_starts_a_discontinuity_with_its_map) {
  Fixture f;
  f.create();
  f.init();
  f.segment(0, 2000);
  f.init();
  f.segment(2000, 2000);
  f.segment(4000, 2000);
  f.init();
  f.segment(6000, 1000);
  ASSERT_TRUE(f.output->finish());
  EXPECT_TRUE(f.failures.empty()) << f.failures.front();
  EXPECT_EQ(f.dir.names(),
            (std::vector<std::string>{"index.m3u8", "init-1.mp4", "init-2.mp4", "init.mp4", "segment00000.m4s",
                                      "segment00001.m4s", "segment00002.m4s", "segment00003.m4s"}));
  EXPECT_EQ(f.inits, (std::vector<std::string>{f.dir / "init.mp4", f.dir / "init-1.mp4", f.dir / "init-2.mp4"}));
  EXPECT_EQ(test::file_contents(f.dir / "index.m3u8"),
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
            "#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4\"\n"
            "#EXTINF:2.000,\nsegment00000.m4s\n"
            "#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\"\n#EXTINF:2.000,\nsegment00001.m4s\n"
            "#EXTINF:2.000,\nsegment00002.m4s\n"
            "#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-2.mp4\"\n#EXTINF:1.000,\nsegment00003.m4s\n"
            "#EXT-X-ENDLIST\n");
}

TEST(SegmentNames, further_init_segments_are_numbered_before_the_extension) {
  EXPECT_EQ(numbered_init_location("out/init.mp4", 1), "out/init-1.mp4");
  EXPECT_EQ(numbered_init_location("out.d/init", 2), "out.d/init-2");
  EXPECT_EQ(numbered_init_location("init.cmfv", 3), "init-3.cmfv");
}

TEST(HlsPackagerFiles, target_duration_grows_with_a_long_segment_and_never_shrinks) {
  Fixture f;
  f.create();
  f.init();
  f.segment(0, 4100);
  f.segment(4100, 1000);
  EXPECT_NE(f.output->media_playlist_text().find("#EXT-X-TARGETDURATION:5\n"), std::string::npos);
}

TEST(HlsPackagerWindow, playlist_length_slides_the_window_and_advances_the_media_sequence) {
  Fixture f;
  f.config.playlist_length = 3;
  f.create();
  f.init();
  for (int i = 0; i < 5; ++i) f.segment(i * 2000, 2000);
  const std::string text = test::file_contents(f.dir / "index.m3u8");
  EXPECT_NE(text.find("#EXT-X-MEDIA-SEQUENCE:2\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("PLAYLIST-TYPE"), std::string::npos) << text;
  EXPECT_EQ(text.find("segment00001.m4s"), std::string::npos) << text;
  EXPECT_NE(text.find("segment00002.m4s"), std::string::npos) << text;
  EXPECT_NE(text.find("segment00004.m4s"), std::string::npos) << text;
  // No max-files: nothing is deleted.
  EXPECT_TRUE(fs::exists(f.dir / "segment00000.m4s"));
}

TEST(HlsPackagerWindow, max_files_deletes_the_oldest_segments_but_keeps_the_listed_ones) {
  Fixture f;
  f.config.playlist_length = 2;
  f.config.max_files = 3;
  f.create();
  f.init();
  for (int i = 0; i < 6; ++i) f.segment(i * 2000, 2000);
  EXPECT_EQ(f.dir.names(), (std::vector<std::string>{"index.m3u8", "init.mp4", "segment00003.m4s", "segment00004.m4s",
                                                     "segment00005.m4s"}));
}

TEST(HlsPackagerWindow, max_files_below_playlist_length_never_deletes_a_listed_segment) {
  Fixture f;
  f.config.playlist_length = 4;
  f.config.max_files = 1;
  f.create();
  f.init();
  for (int i = 0; i < 6; ++i) f.segment(i * 2000, 2000);
  EXPECT_EQ(f.dir.names().size(), 2u + 4u);
  EXPECT_TRUE(fs::exists(f.dir / "segment00002.m4s"));
  EXPECT_FALSE(fs::exists(f.dir / "segment00001.m4s"));
}

TEST(HlsPackagerPlaylists, multivariant_playlist_points_at_the_media_playlist_with_codecs) {
  Fixture f;
  f.config.multivariant_location = f.dir / "main.m3u8";
  f.create();
  f.init();
  f.segment(0, 2000);  // 1000 bytes in 2 s: 4000 bit/s
  EXPECT_EQ(test::file_contents(f.dir / "main.m3u8"),
            "#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=4000,AVERAGE-BANDWIDTH=4000,"
            "CODECS=\"avc1.640014,mp4a.40.2\",RESOLUTION=320x240,FRAME-RATE=30.000\nindex.m3u8\n");
  f.segment(2000, 1000);  // 8000 bit/s: the new peak
  EXPECT_NE(test::file_contents(f.dir / "main.m3u8").find("BANDWIDTH=8000,AVERAGE-BANDWIDTH=5333,"), std::string::npos);
}

TEST(HlsPackagerPlaylists, program_date_time_follows_the_media_timeline_from_the_first_segment) {
  Fixture f;
  f.config.program_date_time = true;
  f.create(/*now_us=*/1'000'000'002'000'000);  // the first segment completes at 1000000002 s
  f.init();
  f.segment(500, 2000);
  f.segment(2500, 2000);
  const std::string text = test::file_contents(f.dir / "index.m3u8");
  EXPECT_NE(text.find("#EXT-X-PROGRAM-DATE-TIME:2001-09-09T01:46:40.000Z\n#EXTINF:2.000,\nsegment00000"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("#EXT-X-PROGRAM-DATE-TIME:2001-09-09T01:46:42.000Z\n#EXTINF:2.000,\nsegment00001"),
            std::string::npos)
      << text;
}

TEST(HlsPackagerPlaylists, no_playlist_location_writes_only_segments) {
  Fixture f;
  f.config.playlist_location.clear();
  f.create();
  f.init();
  f.segment(0, 2000);
  ASSERT_TRUE(f.output->finish());
  EXPECT_EQ(f.dir.names(), (std::vector<std::string>{"init.mp4", "segment00000.m4s"}));
  EXPECT_EQ(f.written.at(0).uri, f.dir / "segment00000.m4s");
}

TEST(HlsPackagerErrors, bad_pattern_unquotable_names_or_a_vod_window_are_refused_at_creation) {
  HlsPackagerConfig config;
  config.segment_pattern = "segment.m4s";
  EXPECT_FALSE(HlsPackager::create(config, {}));
  config.segment_pattern = "segment%d.m4s";
  config.init_location = "in\"it.mp4";
  EXPECT_FALSE(HlsPackager::create(config, {}));
  config.init_location.clear();
  config.playlist_root = "http://x/\"";
  EXPECT_FALSE(HlsPackager::create(config, {}));
  config.playlist_root.clear();
  config.playlist_type = HlsPackagerConfig::PlaylistType::kVod;
  config.playlist_length = 3;  // a VOD playlist lists every segment
  EXPECT_FALSE(HlsPackager::create(config, {}));
}

TEST(HlsPackagerFiles, without_an_init_location_the_header_goes_beside_the_segments) {
  Fixture f;
  f.config.segment_pattern = f.dir / "hls/segment%05d.m4s";
  f.config.playlist_location = f.dir / "index.m3u8";
  f.config.init_location.clear();
  fs::create_directories(f.dir / "hls");
  f.create();
  f.init();
  f.segment(0, 2000);
  ASSERT_TRUE(f.output->finish());
  EXPECT_EQ(f.inits, std::vector<std::string>{f.dir / "hls/init.mp4"});
  EXPECT_NE(test::file_contents(f.dir / "index.m3u8").find("#EXT-X-MAP:URI=\"hls/init.mp4\"\n"), std::string::npos);
  EXPECT_EQ(default_init_location("segment%05d.m4s"), "init.mp4");
  EXPECT_EQ(default_init_location("/srv/hls/%s/segment%05d.m4s"), "/srv/hls/%s/init.mp4");
}

TEST(HlsPackagerPlaylists, playlist_root_prefixes_every_uri_of_both_playlists) {
  Fixture f;
  f.config.multivariant_location = f.dir / "main.m3u8";
  f.config.playlist_root = "https://cdn.example/live/";
  f.create();
  f.init();
  f.segment(0, 2000);
  f.init();  // a format change: its EXT-X-MAP too
  f.segment(2000, 2000);
  ASSERT_TRUE(f.output->finish());
  const std::string media = test::file_contents(f.dir / "index.m3u8");
  EXPECT_NE(media.find("#EXT-X-MAP:URI=\"https://cdn.example/live/init.mp4\"\n"), std::string::npos) << media;
  EXPECT_NE(media.find("\nhttps://cdn.example/live/segment00000.m4s\n"), std::string::npos) << media;
  EXPECT_NE(media.find("#EXT-X-MAP:URI=\"https://cdn.example/live/init-1.mp4\"\n"), std::string::npos) << media;
  EXPECT_NE(media.find("\nhttps://cdn.example/live/segment00001.m4s\n"), std::string::npos) << media;
  EXPECT_EQ(f.written.at(0).uri, "https://cdn.example/live/segment00000.m4s");
  const std::string main = test::file_contents(f.dir / "main.m3u8");
  EXPECT_NE(main.find("\nhttps://cdn.example/live/index.m3u8\n"), std::string::npos) << main;
  EXPECT_EQ(under_root("a/b.m4s", "http://h/x"), "http://h/x/a/b.m4s");
  EXPECT_EQ(under_root("b.m4s", ""), "b.m4s");
}

TEST(HlsPackagerPlaylists, a_vod_playlist_is_an_event_playlist_until_it_ends) {
  Fixture f;
  f.config.playlist_type = HlsPackagerConfig::PlaylistType::kVod;
  f.create();
  f.init();
  f.segment(0, 2000);
  EXPECT_NE(test::file_contents(f.dir / "index.m3u8").find("#EXT-X-PLAYLIST-TYPE:EVENT\n"), std::string::npos);
  ASSERT_TRUE(f.output->finish());
  const std::string text = test::file_contents(f.dir / "index.m3u8");
  EXPECT_NE(text.find("#EXT-X-PLAYLIST-TYPE:VOD\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("EVENT"), std::string::npos) << text;
  EXPECT_NE(text.find("#EXT-X-ENDLIST\n"), std::string::npos) << text;
}

TEST(HlsPackagerErrors, a_write_error_is_reported_once_and_stops_further_writes) {
  // A missing directory fails for root too (a read-only one would not).
  Fixture f;
  f.config.segment_pattern = f.dir / "gone/segment%05d.m4s";
  f.create();
  f.init();
  f.segment(0, 2000);
  ASSERT_EQ(f.failures.size(), 1u);
  f.segment(2000, 2000);  // the writer would not deliver this; if it did, the same error comes back
  ASSERT_EQ(f.failures.size(), 2u);
  EXPECT_EQ(f.failures[1], f.failures[0]);
  EXPECT_NE(f.failures[0].find(f.dir / "gone/segment00000.m4s.tmp"), std::string::npos) << f.failures[0];
  EXPECT_NE(f.failures[0].find("segment " + f.dir / "gone/segment00000.m4s:"), std::string::npos) << f.failures[0];
  EXPECT_FALSE(f.output->error());
  EXPECT_FALSE(f.output->finish());
  EXPECT_EQ(f.dir.names(), std::vector<std::string>{"init.mp4"});
  EXPECT_TRUE(f.written.empty());
}

TEST(SegmentNames, percent_s_is_the_rendition_name) {
  EXPECT_EQ(expand_rendition_name("hls/%s/segment%05d.m4s", "audio_0"), "hls/audio_0/segment%05d.m4s");
  EXPECT_EQ(expand_rendition_name("100%%s-%s.mp4", "v"), "100%%s-v.mp4");
  EXPECT_TRUE(has_rendition_name("%s/init.mp4"));
  EXPECT_FALSE(has_rendition_name("init%%s.mp4"));
}

TEST(HlsPackagerTracks, one_track_per_header_writes_each_tracks_files_and_playlist_under_its_name) {
  Fixture f;
  f.one_track_per_header("%s/segment%05d.m4s", "%s/init.mp4", "%s/index.m3u8");
  f.create();
  f.init(1);
  f.init(2);
  f.track_segment(1, 0, 2000, 100'000);  // 400 kbit/s
  // The audio playlist does not exist yet: no multivariant playlist may name it.
  EXPECT_FALSE(fs::exists(f.dir / "main.m3u8"));
  f.track_segment(2, 0, 2000, 32'000);      // 128 kbit/s
  f.track_segment(1, 2000, 2000, 150'000);  // 600 kbit/s: the new video peak
  f.track_segment(2, 2000, 2000, 32'000);
  ASSERT_TRUE(f.output->finish());
  EXPECT_TRUE(f.failures.empty()) << f.failures.front();
  EXPECT_EQ(f.dir.names(), (std::vector<std::string>{"audio_0", "main.m3u8", "video_0"}));
  for (const char* track : {"video_0", "audio_0"}) {
    EXPECT_EQ(test::file_contents(f.dir / (std::string(track) + "/index.m3u8")),
              "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
              "#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4\"\n"
              "#EXTINF:2.000,\nsegment00000.m4s\n#EXTINF:2.000,\nsegment00001.m4s\n#EXT-X-ENDLIST\n");
    EXPECT_TRUE(fs::exists(f.dir / (std::string(track) + "/init.mp4")));
  }
  EXPECT_EQ(test::file_contents(f.dir / "main.m3u8"),
            "#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"audio_0\",LANGUAGE=\"en\",DEFAULT=YES,AUTOSELECT=YES,"
            "URI=\"audio_0/index.m3u8\"\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=728000,AVERAGE-BANDWIDTH=628000,CODECS=\"avc1.640014,mp4a.40.2\","
            "RESOLUTION=320x240,FRAME-RATE=30.000,AUDIO=\"audio\"\n"
            "video_0/index.m3u8\n");
  ASSERT_EQ(f.written.size(), 4u);
  EXPECT_EQ(f.written[1].rendition, "audio_0");
  EXPECT_EQ(f.written[1].location, f.dir / "audio_0/segment00000.m4s");
  EXPECT_EQ(f.written[1].uri, "segment00000.m4s");
  EXPECT_EQ(f.inits, (std::vector<std::string>{f.dir / "video_0/init.mp4", f.dir / "audio_0/init.mp4"}));
}

TEST(HlsPackagerTracks, a_track_without_segments_is_left_out_of_the_multivariant_playlist_at_the_end) {
  Fixture f;
  f.one_track_per_header("%s-%d.m4s", "%s.mp4", "%s.m3u8");
  f.create();
  f.init(1);
  f.init(2);
  f.track_segment(1, 0, 2000, 1000);
  EXPECT_FALSE(fs::exists(f.dir / "main.m3u8"));  // the audio playlist does not exist yet
  ASSERT_TRUE(f.output->finish());
  const std::string text = test::file_contents(f.dir / "main.m3u8");
  EXPECT_EQ(text.find("audio"), std::string::npos) << text;
  EXPECT_NE(text.find("CODECS=\"avc1.640014\",RESOLUTION=320x240,FRAME-RATE=30.000\nvideo_0.m3u8\n"), std::string::npos)
      << text;
}

TEST(HlsPackagerTracks, one_track_per_header_needs_the_track_name_in_every_location) {
  HlsPackagerConfig config;
  config.one_track_per_header = true;
  config.segment_pattern = "%s/segment%05d.m4s";
  config.init_location = "%s/init.mp4";
  config.playlist_location = "index.m3u8";
  auto refused = HlsPackager::create(config, {});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.status().message().find("\"index.m3u8\" needs a %s"), std::string::npos)
      << refused.status().message();
  config.playlist_location = "%s.m3u8";
  EXPECT_TRUE(HlsPackager::create(config, {}));
  config.segment_pattern = "%s/segment.m4s";
  EXPECT_FALSE(HlsPackager::create(config, {}));
}

TEST(HlsPackagerPlaylists, a_segment_cut_without_a_keyframe_ends_the_independent_segments_claim) {
  Fixture f;
  f.one_track_per_header("%s-%d.m4s", "%s.mp4", "%s.m3u8");
  f.create();
  f.init(1);
  f.track_segment(1, 0, 6000, 1000);
  EXPECT_NE(test::file_contents(f.dir / "video_0.m3u8").find("#EXT-X-INDEPENDENT-SEGMENTS\n"), std::string::npos);
  f.track_segment(1, 6000, 1500, 1000, /*sync=*/false);
  const std::string text = test::file_contents(f.dir / "video_0.m3u8");
  EXPECT_EQ(text.find("INDEPENDENT"), std::string::npos) << text;
  EXPECT_NE(text.find("#EXT-X-TARGETDURATION:6\n"), std::string::npos) << text;
  EXPECT_EQ(test::file_contents(f.dir / "main.m3u8").find("INDEPENDENT"), std::string::npos);
}

// The path a media server takes (docs/segments.md, "Using the HLS packager from the library"): a writer
// for segments with the packager as its delegate, no GStreamer.
TEST(HlsPackagerWithWriter, a_writers_segments_become_files_and_playlists_on_disk) {
  Dir dir;
  std::shared_ptr<AssetWriterInput> video = test::h264_input();
  HlsPackagerConfig config;
  config.segment_pattern = dir / "segment%05d.m4s";
  config.init_location = dir / "init.mp4";
  config.playlist_location = dir / "index.m3u8";
  config.multivariant_location = dir / "main.m3u8";
  config.sync = false;
  config.segment_interval_ns = 2'000'000'000;
  HlsPackager::Callbacks callbacks;
  callbacks.describe_track = [&](uint32_t) {
    HlsTrackDescription track;
    if (auto codec = codec_string(video->source_format())) track.codec = *codec;
    track.resolution = {{320, 240}};
    return track;
  };
  auto packager = HlsPackager::create(config, callbacks);
  ASSERT_TRUE(packager) << packager.status().message();
  auto writer = AssetWriter::create_for_segments(FileType::kMpeg4, **packager);
  ASSERT_TRUE(writer) << writer.status().message();
  ASSERT_TRUE((*writer)->set_preferred_output_segment_interval(Time(2, 1)));
  ASSERT_TRUE((*writer)->add(video));
  ASSERT_TRUE((*writer)->start_writing());
  ASSERT_TRUE((*writer)->start_session(Time::zero()));
  for (int v = 0; v < 6 * 30; ++v) {
    ASSERT_TRUE(video->append(test::make_sample(Time(v, 30), Time(v, 30), 100, v % 30 == 0)));
  }
  ASSERT_TRUE(video->mark_as_finished());
  ASSERT_TRUE((*writer)->finish_writing()) << (*writer)->error().message();
  ASSERT_TRUE((*packager)->finish());

  EXPECT_EQ((*packager)->segments_written(), 3u);
  EXPECT_EQ(dir.names(), (std::vector<std::string>{"index.m3u8", "init.mp4", "main.m3u8", "segment00000.m4s",
                                                   "segment00001.m4s", "segment00002.m4s"}));
  EXPECT_EQ(test::file_contents(dir / "index.m3u8"),
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
            "#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4\"\n"
            "#EXTINF:2.000,\nsegment00000.m4s\n#EXTINF:2.000,\nsegment00001.m4s\n#EXTINF:2.000,\nsegment00002.m4s\n"
            "#EXT-X-ENDLIST\n");
  const std::string multivariant = test::file_contents(dir / "main.m3u8");
  EXPECT_NE(multivariant.find(",CODECS=\"avc1.640014\",RESOLUTION=320x240\nindex.m3u8\n"), std::string::npos)
      << multivariant;
}

}  // namespace
}  // namespace aw
