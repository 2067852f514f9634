// The MPD's text: golden static and dynamic documents, SegmentTimeline folding, xs:duration, frame rates,
// escaping, and the SegmentTemplate made of a segment location.
#include "manifest/dash_mpd.h"

#include <gtest/gtest.h>

#include "manifest/segment_naming.h"

namespace aw::dash {
namespace {

Mpd two_track_mpd() {
  Mpd mpd;
  mpd.cmaf = true;
  mpd.min_buffer_time_ns = 2'000'000'000;
  Representation video;
  video.id = "video";
  video.codecs = "avc1.64001f";
  video.bandwidth = 400000;
  video.width = 1280;
  video.height = 720;
  video.frame_rate = "30000/1001";
  video.segments = {30000,
                    0,
                    1,
                    "$RepresentationID$/segment$Number%05d$.m4s",
                    "$RepresentationID$/init.mp4",
                    {{0, 60060, 1}, {120120, 30030, 0}}};
  Representation audio;
  audio.id = "audio";
  audio.codecs = "mp4a.40.2";
  audio.bandwidth = 192000;
  audio.audio_sampling_rate = 48000;
  audio.channels = 6;
  audio.segments = {
      48000, 1024, 1, "$RepresentationID$/segment$Number%05d$.m4s", "$RepresentationID$/init.mp4", {{1024, 96256, 0}}};
  mpd.adaptation_sets = {{"video", "video/mp4", "", {video}}, {"audio", "audio/mp4", "fr", {audio}}};
  return mpd;
}

TEST(DashMpd, a_static_mpd_lists_each_representation_with_its_timeline) {
  Mpd mpd = two_track_mpd();
  mpd.media_presentation_duration_ns = 5'000'000'000;
  EXPECT_EQ(
      render(mpd),
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" "
      "profiles=\"urn:mpeg:dash:profile:isoff-live:2011,urn:mpeg:dash:profile:cmaf:2019\" type=\"static\" "
      "mediaPresentationDuration=\"PT5.000S\" minBufferTime=\"PT2.000S\">\n"
      "  <Period id=\"0\" start=\"PT0S\">\n"
      "    <AdaptationSet contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\">\n"
      "      <Representation id=\"video\" codecs=\"avc1.64001f\" bandwidth=\"400000\" width=\"1280\" "
      "height=\"720\" frameRate=\"30000/1001\">\n"
      "        <SegmentTemplate timescale=\"30000\" initialization=\"$RepresentationID$/init.mp4\" "
      "media=\"$RepresentationID$/segment$Number%05d$.m4s\" startNumber=\"1\">\n"
      "          <SegmentTimeline>\n"
      "            <S t=\"0\" d=\"60060\" r=\"1\"/>\n"
      "            <S d=\"30030\"/>\n"
      "          </SegmentTimeline>\n"
      "        </SegmentTemplate>\n"
      "      </Representation>\n"
      "    </AdaptationSet>\n"
      "    <AdaptationSet contentType=\"audio\" mimeType=\"audio/mp4\" lang=\"fr\" segmentAlignment=\"true\">\n"
      "      <Representation id=\"audio\" codecs=\"mp4a.40.2\" bandwidth=\"192000\" audioSamplingRate=\"48000\">\n"
      "        <AudioChannelConfiguration "
      "schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"6\"/>\n"
      "        <SegmentTemplate timescale=\"48000\" presentationTimeOffset=\"1024\" "
      "initialization=\"$RepresentationID$/init.mp4\" media=\"$RepresentationID$/segment$Number%05d$.m4s\" "
      "startNumber=\"1\">\n"
      "          <SegmentTimeline>\n"
      "            <S t=\"1024\" d=\"96256\"/>\n"
      "          </SegmentTimeline>\n"
      "        </SegmentTemplate>\n"
      "      </Representation>\n"
      "    </AdaptationSet>\n"
      "  </Period>\n"
      "</MPD>\n");
}

TEST(DashMpd, a_dynamic_mpd_carries_its_clock_window_and_utc_timing) {
  Mpd mpd = two_track_mpd();
  mpd.cmaf = false;
  mpd.dynamic = true;
  mpd.availability_start_time_us = 1'764'041'440'000'000;
  mpd.publish_time_us = 1'764'041'446'033'000;
  mpd.minimum_update_period_ns = 2'000'000'000;
  mpd.time_shift_buffer_depth_ns = 10'000'000'000;
  mpd.suggested_presentation_delay_ns = 6'000'000'000;
  mpd.utc_timing_url = "/time";
  mpd.adaptation_sets.pop_back();
  const std::string text = render(mpd);
  EXPECT_EQ(text.substr(0, text.find("  <Period")),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\" "
            "type=\"dynamic\" availabilityStartTime=\"2025-11-25T03:30:40.000Z\" "
            "publishTime=\"2025-11-25T03:30:46.033Z\" minimumUpdatePeriod=\"PT2.000S\" "
            "timeShiftBufferDepth=\"PT10.000S\" suggestedPresentationDelay=\"PT6.000S\" minBufferTime=\"PT2.000S\">\n");
  EXPECT_EQ(text.substr(text.find("  </Period>")),
            "  </Period>\n"
            "  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-iso:2014\" value=\"/time\"/>\n"
            "</MPD>\n");
}

TEST(DashMpd, equal_back_to_back_durations_fold_into_a_repeat_count_and_a_gap_starts_a_new_entry) {
  const std::vector<SegmentTime> times{{0, 10}, {10, 10}, {20, 10}, {30, 5}, {40, 5}, {45, 5}};
  const std::vector<TimelineEntry> folded = fold_timeline(times);
  ASSERT_EQ(folded.size(), 3u);
  EXPECT_EQ((std::tuple{folded[0].t, folded[0].d, folded[0].r}), (std::tuple{0, 10, 2u}));
  EXPECT_EQ((std::tuple{folded[1].t, folded[1].d, folded[1].r}), (std::tuple{30, 5, 0u}));
  EXPECT_EQ((std::tuple{folded[2].t, folded[2].d, folded[2].r}), (std::tuple{40, 5, 1u}));
  Mpd mpd;
  Representation representation;
  representation.segments.timeline = folded;
  mpd.adaptation_sets = {{"video", "video/mp4", "", {representation}}};
  const std::string text = render(mpd);
  // The entry after the gap names its start; the one continuing the timeline does not.
  EXPECT_NE(text.find("<S t=\"0\" d=\"10\" r=\"2\"/>\n            <S d=\"5\"/>\n"
                      "            <S t=\"40\" d=\"5\" r=\"1\"/>\n"),
            std::string::npos)
      << text;
}

TEST(DashMpd, durations_are_xs_durations_to_the_millisecond) {
  EXPECT_EQ(xs_duration(10'033'333'333), "PT10.033S");
  EXPECT_EQ(xs_duration(2'000'000'000), "PT2.000S");
  EXPECT_EQ(xs_duration(0), "PT0.000S");
}

TEST(DashMpd, frame_rates_are_integers_or_fractions) {
  EXPECT_EQ(frame_rate_text(30.0), "30");
  EXPECT_EQ(frame_rate_text(30000.0 / 1001.0), "30000/1001");
  EXPECT_EQ(frame_rate_text(29.97), "30000/1001");
  EXPECT_EQ(frame_rate_text(12.5), "25/2");
  EXPECT_EQ(frame_rate_text(23.5), "47/2");
  EXPECT_EQ(frame_rate_text(7.123), "7123/1000");
}

TEST(DashMpd, attribute_values_are_escaped_and_control_characters_dropped) {
  EXPECT_EQ(escape_attribute("a&b<c>\"d'\te\x01"), "a&amp;b&lt;c&gt;&quot;d&apos;&#9;e");
  EXPECT_EQ(escape_attribute("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 as it is
  Mpd mpd;
  Representation representation;
  representation.id = "a\"b";
  mpd.adaptation_sets = {{"audio", "audio/mp4", "", {representation}}};
  EXPECT_NE(render(mpd).find("id=\"a&quot;b\""), std::string::npos);
}

TEST(DashTemplate, a_segment_location_becomes_a_template_of_number_and_representation) {
  EXPECT_EQ(dash_template("%s/segment%05d.m4s", true).value(), "$RepresentationID$/segment$Number%05d$.m4s");
  EXPECT_EQ(dash_template("seg-%d.m4s", true).value(), "seg-$Number$.m4s");
  EXPECT_EQ(dash_template("100%%$/%s_%u.m4s", true).value(), "100%$$/$RepresentationID$_$Number$.m4s");
  EXPECT_EQ(dash_template("%s/init%d.mp4", false).value(), "$RepresentationID$/init%d.mp4");
  auto spaces = dash_template("segment%5d.m4s", true);
  ASSERT_FALSE(spaces.is_ok());
  EXPECT_NE(spaces.status().message().find("%05d"), std::string::npos) << spaces.status().to_string();
}

}  // namespace
}  // namespace aw::dash
