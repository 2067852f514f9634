// Signed composition offsets: ctts version 1 and cslg (ISO/IEC 14496-12 8.6.1.3, 8.6.1.4), and the
// QuickTime form (version 0 read as signed), against the default non-negative offsets + edit list.
#include <gtest/gtest.h>

#include "aw/asset_writer.h"
#include "boxes/sample_table_boxes.h"
#include "golden.h"
#include "test_media.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

// I P B B at 25 fps in a 90 kHz timescale, dts starting two frames early as encoders stamp them:
// dts -7200 -3600 0 3600, pts 0 10800 3600 7200.
SampleTable ipbb() {
  SampleTable t;
  t.add_sample(-7200, 0, 100, true);
  t.add_sample(-3600, 10800, 50, false);
  t.add_sample(0, 3600, 20, false);
  t.add_sample(3600, 7200, 20, false);
  t.finish(3600);
  return t;
}

// The shift that puts the I frame (pts 0) at its decode time: first_dts - min_pts.
constexpr CompositionStorage kSigned{-7200, true};

TEST(SignedCtts, iso_files_get_version_1_with_negative_offsets) {
  BoxWriter w;
  write_ctts(w, ipbb(), kSigned, FileType::kMpeg4);
  // Offsets 7200 14400 3600 3600 shifted by -7200: 0, 7200, -3600 (twice).
  EXPECT_EQ(hex(w.data()), "00000028 63747473 01000000 00000003 00000001 00000000 00000001 00001c20 "
                           "00000002 fffff1f0");
}

TEST(SignedCtts, quicktime_keeps_version_0_with_the_same_signed_values) {
  BoxWriter w;
  write_ctts(w, ipbb(), kSigned, FileType::kQuickTimeMovie);
  EXPECT_EQ(hex(w.data()), "00000028 63747473 00000000 00000003 00000001 00000000 00000001 00001c20 "
                           "00000002 fffff1f0");
}

TEST(SignedCtts, stays_version_0_when_no_offset_ends_up_negative) {
  BoxWriter w;
  write_ctts(w, ipbb(), {0, true}, FileType::kMpeg4);
  EXPECT_EQ(w.data()[8], 0);
  BoxWriter cslg;
  write_cslg(cslg, ipbb(), {0, true});
  EXPECT_EQ(cslg.size(), 0u);
}

TEST(Cslg, states_the_shift_least_and_greatest_offsets_and_composition_range) {
  BoxWriter w;
  write_cslg(w, ipbb(), kSigned);
  // compositionToDTSShift 3600, least -3600, greatest 7200, start 0, end 14400 (P frame's end:
  // pts 10800 + 3600 on a media timeline whose decode starts at 0).
  EXPECT_EQ(hex(w.data()), "00000020 63736c67 00000000 00000e10 fffff1f0 00001c20 00000000 00003840");
}

TEST(Cslg, nothing_for_non_negative_storage) {
  BoxWriter w;
  write_cslg(w, ipbb(), {ipbb().composition_shift(), false});
  EXPECT_EQ(w.size(), 0u);
}

TEST(Stbl, signed_storage_puts_cslg_after_ctts) {
  BoxWriter w;
  write_stbl(w, ipbb(), [&] { w.box(FourCC("avc1"), [] {}); }, 0, false, kSigned, FileType::kMpeg4);
  EXPECT_EQ(test::child_types(test::parse_boxes(w.data(), 0).at(0)),
            (std::vector<std::string>{"stsd", "stts", "ctts", "cslg", "stss", "stsc", "stsz", "stco"}));
}

// I P B B through the writer (dts -2,-1,0,1 frames; pts 0,3,1,2 frames of 3000 ticks at 90 kHz).
test::File write_ipbb(const test::TempDir& dir, const std::string& name, FileType type, bool signed_offsets,
                      Time crash_recovery_interval = Time::invalid()) {
  auto created = AssetWriter::create(dir.file(name), type);
  EXPECT_TRUE(created.is_ok());
  auto writer = std::move(created).value();
  EXPECT_TRUE(writer->set_creation_time(0).is_ok());
  EXPECT_TRUE(writer->set_uses_signed_composition_offsets(signed_offsets).is_ok());
  EXPECT_TRUE(writer->set_crash_recovery_interval(crash_recovery_interval).is_ok());
  auto video = test::h264_input();
  EXPECT_TRUE(writer->add(video).is_ok());
  EXPECT_TRUE(writer->start_writing().is_ok());
  EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
  int pts[] = {0, 3, 1, 2};
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(
        video->append(test::make_sample(Time(pts[i] * 3000, 90000), Time((i - 2) * 3000, 90000), 10, i == 0)).is_ok());
  }
  EXPECT_TRUE(writer->finish_writing().is_ok());
  return test::File::read(dir.file(name));
}

TEST(SignedCompositionOffsets, writer_needs_no_edit_list_for_the_reordering_delay) {
  test::TempDir dir;
  test::File f = write_ipbb(dir, "signed.mp4", FileType::kMpeg4, true);
  const auto* ctts = f.find("moov/trak/mdia/minf/stbl/ctts");
  ASSERT_NE(ctts, nullptr);
  // Version 1; pts - dts of 2, 4, 1, 1 frames less the I frame's 2: 0, 2, -1, -1 frames.
  EXPECT_EQ(hex(ctts->payload), "01000000 00000003 00000001 00000000 00000001 00001770 00000002 fffff448");
  const auto* cslg = f.find("moov/trak/mdia/minf/stbl/cslg");
  ASSERT_NE(cslg, nullptr);
  EXPECT_EQ(hex(cslg->payload), "00000000 00000bb8 fffff448 00001770 00000000 00002ee0");
  EXPECT_EQ(f.find("moov/trak/edts"), nullptr);
}

TEST(SignedCompositionOffsets, default_keeps_version_0_and_the_edit_list) {
  test::TempDir dir;
  test::File f = write_ipbb(dir, "shifted.mp4", FileType::kMpeg4, false);
  EXPECT_EQ(f.find("moov/trak/mdia/minf/stbl/ctts")->payload[0], 0);
  EXPECT_EQ(f.find("moov/trak/mdia/minf/stbl/cslg"), nullptr);
  ASSERT_NE(f.find("moov/trak/edts/elst"), nullptr);
}

TEST(SignedCompositionOffsets, crash_safe_recording_finishes_with_the_same_signed_index) {
  test::TempDir dir;
  test::File f = write_ipbb(dir, "crash_safe.mov", FileType::kQuickTimeMovie, true, Time(1, 10));
  const auto* ctts = f.find("moov/trak/mdia/minf/stbl/ctts");
  ASSERT_NE(ctts, nullptr);
  EXPECT_EQ(hex(ctts->payload), "00000000 00000003 00000001 00000000 00000001 00001770 00000002 fffff448");
  EXPECT_NE(f.find("moov/trak/mdia/minf/stbl/cslg"), nullptr);
  EXPECT_EQ(f.find("moov/trak/edts"), nullptr);
}

}  // namespace
}  // namespace aw
