// Golden bytes for the movie-level boxes (ISO/IEC 14496-12 8.2-8.7, QuickTime where it differs).
#include "boxes/movie_boxes.h"

#include <gtest/gtest.h>

#include "boxes/brands.h"
#include "golden.h"

namespace aw {
namespace {

const std::string kIdentityMatrix =
    "00010000 00000000 00000000 00000000 00010000 00000000 00000000 00000000 40000000";

TEST(Ftyp, mp4_with_avc_declares_isom_iso2_avc1_mp41) {
  BoxWriter w;
  Codec codecs[] = {Codec::kH264, Codec::kAac};
  write_ftyp(w, file_type_box_for(FileType::kMpeg4, {.codecs = codecs}));
  EXPECT_EQ(hex(w.data()), "00000020 66747970 69736f6d 00000200 69736f6d 69736f32 61766331 6d703431");
}

// AV1-ISOBMFF 2.1: av01 among the compatible brands of a file with an AV1 track.
TEST(Ftyp, av1_declares_av01) {
  BoxWriter w;
  Codec codecs[] = {Codec::kAv1, Codec::kOpus};
  write_ftyp(w, file_type_box_for(FileType::kMpeg4, {.codecs = codecs, .stays_fragmented = true}));
  EXPECT_EQ(hex(w.data()), "00000024 66747970 69736f6d 00000200 69736f6d 69736f32 6d703431 69736f36 61763031");
}

// ctts version 1 is an iso4 feature (14496-12 4.3): signed composition offsets declare it.
TEST(Ftyp, signed_composition_offsets_declare_iso4) {
  BoxWriter w;
  Codec codecs[] = {Codec::kH264};
  write_ftyp(w, file_type_box_for(FileType::kMpeg4, {.codecs = codecs, .signed_composition_offsets = true}));
  EXPECT_EQ(hex(w.data()), "00000024 66747970 69736f6d 00000200 69736f6d 69736f32 61766331 6d703431 69736f34");
  BoxWriter q;
  write_ftyp(q, file_type_box_for(FileType::kQuickTimeMovie, {.codecs = codecs, .signed_composition_offsets = true}));
  EXPECT_EQ(hex(q.data()), "00000014 66747970 71742020 00000200 71742020");
}

// An initialization segment of an AV1 track lists av01 too (AV1-ISOBMFF 2.1; issue 21's matrix, D2): the
// CMAF header brands, then av01; an audio track's header does not.
TEST(Ftyp, segment_headers_of_av1_tracks_list_av01) {
  const SegmentBrands cmaf = segment_brands(FileTypeProfile::kMpeg4CmafCompliant, 1);
  Codec av1[] = {Codec::kAv1};
  BoxWriter w;
  write_ftyp(w, with_codec_brands(cmaf.header, av1));
  EXPECT_EQ(hex(w.data()), "00000024 66747970 636d6632 00000000 636d6632 636d6663 69736f36 69736f6d 61763031");
  Codec aac[] = {Codec::kAac};
  BoxWriter a;
  write_ftyp(a, with_codec_brands(cmaf.header, aac));
  EXPECT_EQ(hex(a.data()), "00000020 66747970 636d6632 00000000 636d6632 636d6663 69736f36 69736f6d");
}

TEST(Ftyp, m4a_and_3gp_brands) {
  BoxWriter a;
  write_ftyp(a, file_type_box_for(FileType::kAppleM4A));
  EXPECT_EQ(hex(a.data()), "0000001c 66747970 4d344120 00000200 4d344120 6d703432 69736f6d");
  BoxWriter g;
  write_ftyp(g, file_type_box_for(FileType::k3Gpp));
  EXPECT_EQ(hex(g.data()), "00000024 66747970 33677036 00000200 33677036 33677035 33677034 69736f6d 69736f32");
}

TEST(Mdat, header_switches_to_64_bit_size_past_4GiB) {
  EXPECT_FALSE(mdat_needs_large_size(0xFFFFFFFFull - 8));
  EXPECT_TRUE(mdat_needs_large_size(0xFFFFFFFFull - 7));
  BoxWriter small;
  write_mdat_header(small, 100, false);
  EXPECT_EQ(hex(small.data()), "0000006c 6d646174");
  BoxWriter large;
  write_mdat_header(large, 0x100000000ull, true);
  EXPECT_EQ(hex(large.data()), "00000001 6d646174 00000001 00000010");
}

TEST(Mvhd, version_0_when_everything_fits_32_bits) {
  BoxWriter w;
  write_mvhd(w, {.creation_time = 1, .modification_time = 2, .timescale = 1000, .duration = 5000, .next_track_id = 3});
  EXPECT_EQ(hex(w.data()),
            "0000006c 6d766864 00000000 00000001 00000002 000003e8 00001388 00010000 01000000 00000000 00000000 " +
                kIdentityMatrix + " 00000000 00000000 00000000 00000000 00000000 00000000 00000003");
}

TEST(Mvhd, version_1_when_duration_needs_64_bits) {
  BoxWriter w;
  write_mvhd(w, {.creation_time = 1, .modification_time = 2, .timescale = 1000, .duration = 0x100000000, .next_track_id = 2});
  EXPECT_EQ(w.size(), 120u);
  EXPECT_EQ(hex(std::span(w.data()).subspan(0, 40)),
            "00000078 6d766864 01000000 00000000 00000001 00000000 00000002 000003e8 00000001 00000000");
}

TEST(Tkhd, video_track_with_presentation_size) {
  BoxWriter w;
  write_tkhd(w, {.creation_time = 0, .modification_time = 0, .track_id = 1, .duration = 2000, .width = 320, .height = 240});
  EXPECT_EQ(hex(w.data()), "0000005c 746b6864 00000007 00000000 00000000 00000001 00000000 000007d0 00000000 00000000 "
                           "00000000 00000000 " + kIdentityMatrix + " 01400000 00f00000");
}

TEST(Tkhd, audio_track_has_full_volume_and_no_size) {
  BoxWriter w;
  write_tkhd(w, {.track_id = 2, .duration = 10, .volume = 1.0});
  EXPECT_EQ(hex(std::span(w.data()).subspan(40, 8)), "00000000 01000000");
}

TEST(Tkhd, rotation_matrix_is_written_in_16_16_and_2_30) {
  BoxWriter w;
  write_tkhd(w, {.track_id = 1, .matrix = rotation_transform(90, 320, 240), .width = 320, .height = 240});
  EXPECT_EQ(hex(std::span(w.data()).subspan(48, 36)),
            "00000000 00010000 00000000 ffff0000 00000000 00000000 00f00000 00000000 40000000");
}

TEST(Edts, empty_edit_then_media_edit) {
  BoxWriter w;
  EditListEntry edits[] = {{1000, -1}, {2000, 3003}};
  write_edts(w, edits);
  EXPECT_EQ(hex(w.data()), "00000030 65647473 00000028 656c7374 00000000 00000002 000003e8 ffffffff 00010000 "
                           "000007d0 00000bbb 00010000");
}

TEST(Edts, nothing_for_no_edits_and_version_1_for_long_segments) {
  BoxWriter none;
  write_edts(none, {});
  EXPECT_EQ(none.size(), 0u);
  BoxWriter w;
  EditListEntry edits[] = {{0x100000000, 0}};
  write_edts(w, edits);
  EXPECT_EQ(hex(w.data()), "0000002c 65647473 00000024 656c7374 01000000 00000001 00000001 00000000 00000000 "
                           "00000000 00010000");
}

TEST(Mdhd, language_is_packed_iso_639_2) {
  BoxWriter w;
  write_mdhd(w, {.timescale = 44100, .duration = 88200, .language = "eng"});
  EXPECT_EQ(hex(w.data()), "00000020 6d646864 00000000 00000000 00000000 0000ac44 00015888 15c70000");
  EXPECT_EQ(pack_language("und"), 0x55c4);
  EXPECT_EQ(pack_language("EN"), 0x55c4);  // not a valid code: undetermined
}

TEST(Hdlr, iso_name_is_nul_terminated_and_quicktime_name_is_counted) {
  BoxWriter iso;
  write_media_hdlr(iso, MediaType::kVideo, FileType::kMpeg4);
  EXPECT_EQ(hex(iso.data()), "0000002d 68646c72 00000000 00000000 76696465 00000000 00000000 00000000 "
                             "56696465 6f48616e 646c6572 00");
  BoxWriter qt;
  write_media_hdlr(qt, MediaType::kAudio, FileType::kQuickTimeMovie);
  EXPECT_EQ(hex(qt.data()), "0000002d 68646c72 00000000 6d686c72 736f756e 00000000 00000000 00000000 "
                            "0c536f75 6e644861 6e646c65 72");
  BoxWriter data;
  write_data_hdlr(data);
  EXPECT_EQ(hex(std::span(data.data()).subspan(8, 12)), "00000000 64686c72 616c6973");
}

TEST(MediaInformationHeader, vmhd_has_flag_1_and_smhd_balance_0) {
  BoxWriter v;
  write_media_information_header(v, MediaType::kVideo);
  EXPECT_EQ(hex(v.data()), "00000014 766d6864 00000001 00000000 00000000");
  BoxWriter s;
  write_media_information_header(s, MediaType::kAudio);
  EXPECT_EQ(hex(s.data()), "00000010 736d6864 00000000 00000000");
}

TEST(Dinf, self_contained_reference_url_or_alis) {
  BoxWriter iso;
  write_dinf(iso, FileType::kMpeg4);
  EXPECT_EQ(hex(iso.data()), "00000024 64696e66 0000001c 64726566 00000000 00000001 0000000c 75726c20 00000001");
  BoxWriter qt;
  write_dinf(qt, FileType::kQuickTimeMovie);
  EXPECT_EQ(hex(std::span(qt.data()).subspan(28, 8)), "616c6973 00000001");
}

}  // namespace
}  // namespace aw
