// Golden bytes of the visual sample entry extensions: colr (nclx, nclc), mdcv, clli, SmDm, CoLL, pasp, fiel,
// clap, btrt, and which of them a visual entry gets per file type.
#include "boxes/visual_extensions.h"

#include <gtest/gtest.h>

#include "golden.h"

namespace aw {
namespace {

template <typename F>
std::string bytes_of(F&& write) {
  BoxWriter w;
  write(w);
  return hex(w.data());
}

// Display P3 primaries, D65, 1000 cd/m² peak, 0.005 cd/m² black: in SEI units.
MasteringDisplay p3_d65_1000() {
  MasteringDisplay d;
  d.primaries = {{{34000, 16000}, {13250, 34500}, {7500, 3000}}};
  d.white_point = {15635, 16450};
  d.max_luminance = 10000000;
  d.min_luminance = 50;
  return d;
}

TEST(VisualExtensions, colr_nclx_carries_the_full_range_flag) {
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_colr(w, {9, 16, 9, true}, FileType::kMpeg4); }),
            hex(unhex("00000013 636f6c72 6e636c78 0009 0010 0009 80")));
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_colr(w, {1, 1, 1, false}, FileType::kAppleM4V); }),
            hex(unhex("00000013 636f6c72 6e636c78 0001 0001 0001 00")));
}

TEST(VisualExtensions, colr_nclc_for_quicktime_has_no_range_byte) {
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_colr(w, {1, 1, 1, true}, FileType::kQuickTimeMovie); }),
            hex(unhex("00000012 636f6c72 6e636c63 0001 0001 0001")));
}

TEST(VisualExtensions, mdcv_lists_primaries_green_blue_red_in_sei_units) {
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_mdcv(w, p3_d65_1000()); }),
            hex(unhex("00000020 6d646376"
                      "33c2 86c4 1d4c 0bb8 84d0 3e80"  // G, B, R (x, y)
                      "3d13 4042"                      // white point
                      "00989680 00000032")));          // 1000 cd/m², 0.005 cd/m²
}

TEST(VisualExtensions, smdm_is_a_full_box_in_fixed_point_red_first) {
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_smdm(w, p3_d65_1000()); }),
            hex(unhex("00000024 536d446d 00000000"
                      "ae14 51ec 43d7 b0a4 2666 0f5c"  // R, G, B in 0.16
                      "500d 5439"                      // white point in 0.16
                      "0003e800 00000052")));          // 24.8 and 18.14
}

TEST(VisualExtensions, clli_and_coll_hold_the_light_levels) {
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_clli(w, {1000, 400}); }), hex(unhex("0000000c 636c6c69 03e8 0190")));
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_coll(w, {1000, 400}); }),
            hex(unhex("00000010 436f4c4c 00000000 03e8 0190")));
}

TEST(VisualExtensions, pasp_fiel_clap_btrt) {
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_pasp(w, 16, 11); }), hex(unhex("00000010 70617370 00000010 0000000b")));
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_fiel(w, FieldOrder::kTopFirst); }), hex(unhex("0000000a 6669656c 02 01")));
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_fiel(w, FieldOrder::kBottomFirst); }),
            hex(unhex("0000000a 6669656c 02 06")));
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_fiel(w, FieldOrder::kProgressive); }),
            hex(unhex("0000000a 6669656c 01 00")));
  // 1920x1080 coded, 1920x1080 clean from (0, 0) of a 1920x1088 picture: centre 4 lines (8 halves) up.
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_clap(w, {0, 0, 1920, 1080}, 1920, 1088); }),
            hex(unhex("00000028 636c6170 00000780 00000001 00000438 00000001 00000000 00000002 fffffff8 00000002")));
  EXPECT_EQ(bytes_of([](BoxWriter& w) { write_btrt(w, {4000, 250000, 200000}); }),
            hex(unhex("00000014 62747274 00000fa0 0003d090 00030d40")));
}

TEST(VisualExtensions, iso_files_get_mdcv_clli_btrt_and_quicktime_smdm_coll_without_btrt) {
  VisualExtensions v;
  v.color = ColorDescription{9, 16, 9, false};
  v.mastering_display = p3_d65_1000();
  v.content_light_level = ContentLightLevel{1000, 400};
  v.pixel_aspect_h = v.pixel_aspect_v = 1;
  Bitrates rates{4000, 250000, 200000};
  std::string mp4 = bytes_of([&](BoxWriter& w) { write_visual_extensions(w, v, FileType::kMpeg4, 64, 64, rates); });
  EXPECT_EQ(mp4, bytes_of([&](BoxWriter& w) {
              write_colr(w, *v.color, FileType::kMpeg4);
              write_mdcv(w, *v.mastering_display);
              write_clli(w, *v.content_light_level);
              write_btrt(w, rates);
            }));
  std::string mov =
      bytes_of([&](BoxWriter& w) { write_visual_extensions(w, v, FileType::kQuickTimeMovie, 64, 64, rates); });
  EXPECT_EQ(mov, bytes_of([&](BoxWriter& w) {
              write_colr(w, *v.color, FileType::kQuickTimeMovie);
              write_smdm(w, *v.mastering_display);
              write_coll(w, *v.content_light_level);
            }));
}

TEST(VisualExtensions, nothing_to_say_writes_nothing) {
  VisualExtensions v;
  EXPECT_EQ(bytes_of([&](BoxWriter& w) { write_visual_extensions(w, v, FileType::kMpeg4, 64, 64, {}); }), "");
  v.pixel_aspect_h = v.pixel_aspect_v = 4;  // 4:4 is square
  EXPECT_EQ(bytes_of([&](BoxWriter& w) { write_visual_extensions(w, v, FileType::kQuickTimeMovie, 64, 64, {}); }),
            "");
}

}  // namespace
}  // namespace aw
