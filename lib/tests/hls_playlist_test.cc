// The HLS playlist text: tags, their order and values, as RFC 8216bis and hls.js read them.
#include "manifest/hls_playlist.h"

#include <gtest/gtest.h>

#include <string>

namespace aw::hls {
namespace {

TEST(HlsPlaylist, media_playlist_lists_segments_with_real_durations_and_the_init_map) {
  MediaPlaylist p;
  p.target_duration_s = 6;
  p.media_sequence = 3;
  p.map_uri = "init.mp4";
  p.segments = {{"segment00003.m4s", 6'006'000'000, std::nullopt, false, {}, {}},
                {"segment00004.m4s", 4'004'000'000, std::nullopt, false, {}, {}}};
  EXPECT_EQ(render(p),
            "#EXTM3U\n"
            "#EXT-X-VERSION:7\n"
            "#EXT-X-TARGETDURATION:6\n"
            "#EXT-X-MEDIA-SEQUENCE:3\n"
            "#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-MAP:URI=\"init.mp4\"\n"
            "#EXTINF:6.006,\n"
            "segment00003.m4s\n"
            "#EXTINF:4.004,\n"
            "segment00004.m4s\n");
}

TEST(HlsPlaylist, ended_event_playlist_carries_type_and_endlist) {
  MediaPlaylist p;
  p.playlist_type = "EVENT";
  p.map_uri = "init.mp4";
  p.segments = {{"a.m4s", 1'000'000'000, std::nullopt, false, {}, {}}};
  p.ended = true;
  const std::string text = render(p);
  EXPECT_NE(text.find("#EXT-X-PLAYLIST-TYPE:EVENT\n"), std::string::npos);
  EXPECT_TRUE(text.ends_with("a.m4s\n#EXT-X-ENDLIST\n")) << text;
}

TEST(HlsPlaylist, program_date_time_precedes_its_segment) {
  MediaPlaylist p;
  p.segments = {{"a.m4s", 2'000'000'000, int64_t{1'764'041'440'123'456}, false, {}, {}}};
  EXPECT_NE(render(p).find("#EXT-X-PROGRAM-DATE-TIME:2025-11-25T03:30:40.123Z\n#EXTINF:2.000,\na.m4s\n"),
            std::string::npos)
      << render(p);
}

// A format change (a new init segment): EXT-X-DISCONTINUITY and the new EXT-X-MAP before its first segment
// (RFC 8216 4.3.2.3, 4.3.2.5); once that segment leaves a live window, its map becomes the playlist's and
// the discontinuity counts in EXT-X-DISCONTINUITY-SEQUENCE (6.2.2).
TEST(HlsPlaylist, format_change_starts_a_discontinuity_with_its_own_map) {
  MediaPlaylist p;
  p.target_duration_s = 2;
  p.map_uri = "init.mp4";
  p.segments = {{"s0.m4s", 2'000'000'000, std::nullopt, false, {}, {}},
                {"s1.m4s", 2'000'000'000, std::nullopt, true, "init-1.mp4", {}},
                {"s2.m4s", 2'000'000'000, std::nullopt, false, {}, {}}};
  EXPECT_EQ(render(p),
            "#EXTM3U\n"
            "#EXT-X-VERSION:7\n"
            "#EXT-X-TARGETDURATION:2\n"
            "#EXT-X-MEDIA-SEQUENCE:0\n"
            "#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-MAP:URI=\"init.mp4\"\n"
            "#EXTINF:2.000,\n"
            "s0.m4s\n"
            "#EXT-X-DISCONTINUITY\n"
            "#EXT-X-MAP:URI=\"init-1.mp4\"\n"
            "#EXTINF:2.000,\n"
            "s1.m4s\n"
            "#EXTINF:2.000,\n"
            "s2.m4s\n");
  drop_first_segment(p);
  EXPECT_EQ(p.media_sequence, 1u);
  EXPECT_EQ(p.discontinuity_sequence, 0u);
  drop_first_segment(p);
  EXPECT_EQ(p.media_sequence, 2u);
  EXPECT_EQ(p.discontinuity_sequence, 1u);
  EXPECT_EQ(render(p),
            "#EXTM3U\n"
            "#EXT-X-VERSION:7\n"
            "#EXT-X-TARGETDURATION:2\n"
            "#EXT-X-MEDIA-SEQUENCE:2\n"
            "#EXT-X-DISCONTINUITY-SEQUENCE:1\n"
            "#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-MAP:URI=\"init-1.mp4\"\n"
            "#EXTINF:2.000,\n"
            "s2.m4s\n");
}

// A playlist delta update (rfc8216bis 6.2.5.1): the segments that end at least CAN-SKIP-UNTIL before the end
// become one EXT-X-SKIP (version 9); a map a skipped segment started is restated for the ones that follow.
TEST(HlsPlaylist, delta_update_skips_the_segments_ending_before_the_skip_boundary) {
  MediaPlaylist p;
  p.target_duration_s = 2;
  p.map_uri = "init.mp4";
  p.skip_until_ns = 12'000'000'000;
  for (int i = 0; i < 8; ++i) p.segments.push_back({"s" + std::to_string(i) + ".m4s", 2'000'000'000, {}, false, {}, {}});
  p.segments[1].discontinuity = true;
  p.segments[1].map_uri = "init-1.mp4";
  std::string kept;
  for (int i = 2; i < 8; ++i) kept += "#EXTINF:2.000,\ns" + std::to_string(i) + ".m4s\n";
  EXPECT_EQ(render_delta(p),
            "#EXTM3U\n"
            "#EXT-X-VERSION:9\n"
            "#EXT-X-TARGETDURATION:2\n"
            "#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=12.000\n"
            "#EXT-X-MEDIA-SEQUENCE:0\n"
            "#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-MAP:URI=\"init.mp4\"\n"
            "#EXT-X-SKIP:SKIPPED-SEGMENTS=2\n"
            "#EXT-X-MAP:URI=\"init-1.mp4\"\n" +
                kept);
  // The full playlist says the server can skip, and stays at version 7.
  const std::string full = render(p);
  EXPECT_TRUE(full.starts_with("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n"
                               "#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=12.000\n"))
      << full;
  // Now the segments after the first last 13.9 s: none ends 14 s before the end, so nothing is skipped.
  p.segments.back().duration_ns = 1'900'000'000;
  p.skip_until_ns = 14'000'000'000;
  EXPECT_EQ(render_delta(p), render(p));
}

TEST(HlsPlaylist, target_duration_is_the_ceiling_of_the_longest_segments_extinf) {
  EXPECT_EQ(target_duration_for(0), 1u);
  EXPECT_EQ(target_duration_for(1), 1u);
  EXPECT_EQ(target_duration_for(2'000'000'000), 2u);
  EXPECT_EQ(target_duration_for(2'000'000'001), 2u);  // written as EXTINF 2.000
  EXPECT_EQ(target_duration_for(2'000'500'000), 3u);  // written as EXTINF 2.001
  EXPECT_EQ(target_duration_for(5'999'000'000), 6u);
  for (int64_t ns : {1'000'499'999LL, 1'000'500'000LL, 4'999'999'999LL, 6'006'500'000LL}) {
    EXPECT_LE(std::stod(format_duration(ns)), static_cast<double>(target_duration_for(ns))) << ns;
  }
}

TEST(HlsPlaylist, durations_print_as_milliseconds_rounded_to_nearest) {
  EXPECT_EQ(format_duration(2'000'000'000), "2.000");
  EXPECT_EQ(format_duration(1'999'999'999), "2.000");
  EXPECT_EQ(format_duration(33'366'666), "0.033");
  EXPECT_EQ(format_duration(6'006'500'000), "6.007");
  EXPECT_EQ(format_duration(-5), "0.000");
}

TEST(HlsPlaylist, date_times_are_utc_iso8601_with_milliseconds) {
  EXPECT_EQ(format_date_time(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_date_time(-1'000), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_date_time(951'782'400'500'000), "2000-02-29T00:00:00.500Z");
}

TEST(HlsPlaylist, multivariant_playlist_names_codecs_bandwidth_and_resolution) {
  MultivariantPlaylist p;
  Variant v;
  v.uri = "index.m3u8";
  v.bandwidth = 1'583'900;
  v.average_bandwidth = 1'562'864;
  v.codecs = {"avc1.640014", "mp4a.40.2"};
  v.resolution = std::pair<uint32_t, uint32_t>{320, 240};
  v.frame_rate = 30.0;
  p.variants.push_back(v);
  EXPECT_EQ(render(p),
            "#EXTM3U\n"
            "#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=1583900,AVERAGE-BANDWIDTH=1562864,CODECS=\"avc1.640014,mp4a.40.2\","
            "RESOLUTION=320x240,FRAME-RATE=30.000\n"
            "index.m3u8\n");
}

TEST(HlsPlaylist, audio_only_variant_has_no_resolution) {
  MultivariantPlaylist p;
  p.variants.push_back({"audio.m3u8", 130'000, std::nullopt, {"mp4a.40.2"}, std::nullopt, std::nullopt, ""});
  EXPECT_EQ(render(p),
            "#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=130000,"
            "CODECS=\"mp4a.40.2\"\naudio.m3u8\n");
}

TEST(HlsPlaylist, separate_audio_is_an_ext_x_media_rendition_the_variant_names_by_group) {
  MultivariantPlaylist p;
  p.renditions.push_back({"AUDIO", "audio", "audio_0", "en", true, true, "audio_0/index.m3u8"});
  p.renditions.push_back({"AUDIO", "audio", "audio_1", "", false, true, "audio_1/index.m3u8"});
  Variant v;
  v.uri = "video_0/index.m3u8";
  v.bandwidth = 900'000;
  v.codecs = {"avc1.640014", "mp4a.40.2"};
  v.resolution = std::pair<uint32_t, uint32_t>{320, 240};
  v.audio_group = "audio";
  p.variants.push_back(v);
  EXPECT_EQ(render(p),
            "#EXTM3U\n"
            "#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"audio_0\",LANGUAGE=\"en\",DEFAULT=YES,AUTOSELECT=YES,"
            "URI=\"audio_0/index.m3u8\"\n"
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"audio_1\",DEFAULT=NO,AUTOSELECT=YES,"
            "URI=\"audio_1/index.m3u8\"\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=900000,CODECS=\"avc1.640014,mp4a.40.2\",RESOLUTION=320x240,AUDIO=\"audio\"\n"
            "video_0/index.m3u8\n");
}

TEST(HlsPlaylist, quoted_strings_refuse_quotes_and_line_breaks) {
  EXPECT_TRUE(is_quotable("init 1.mp4"));
  EXPECT_FALSE(is_quotable("a\"b"));
  EXPECT_FALSE(is_quotable("a\nb"));
}

}  // namespace
}  // namespace aw::hls
