// Golden bytes for text (tx3g, QuickTime text), chapters (chpl), timed metadata (mebx, keys, samples) and the
// media headers of non-A/V tracks.
#include <gtest/gtest.h>

#include <string>

#include "aw/text_and_metadata.h"
#include "boxes/movie_boxes.h"
#include "boxes/text_boxes.h"
#include "boxes/timed_metadata_boxes.h"
#include "golden.h"

namespace aw {
namespace {

TEST(TextSample, is_a_16_bit_length_then_utf8) {
  auto sample = make_text_sample("H\xc3\xa9llo");
  ASSERT_TRUE(sample.is_ok());
  EXPECT_EQ(hex(*sample), "000648c3 a96c6c6f");
  EXPECT_EQ(hex(*make_text_sample("")), "0000");  // the empty sample that clears the screen
}

TEST(TextSample, refuses_broken_utf8_and_text_past_65535_bytes) {
  EXPECT_EQ(make_text_sample("bad \xc3").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(make_text_sample("bad \xff").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(make_text_sample(std::string(65535, 'a')).is_ok());
  auto too_long = make_text_sample(std::string(65536, 'a'));
  EXPECT_EQ(too_long.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(too_long.status().message().find("65536 bytes"), std::string::npos);
}

TEST(Tx3g, entry_is_bottom_centred_white_sans_serif) {
  BoxWriter w;
  write_tx3g_entry(w);
  EXPECT_EQ(hex(w.data()), hex(unhex("00000045 74783367 00000000 0000 0001 "  // SampleEntry, data reference 1
                                     "00000000 "                              // displayFlags
                                     "01 ff "                                 // centred, bottom (-1)
                                     "00000000 "                              // background: transparent
                                     "00000000 00000000 "                     // default text box: the track's
                                     "0000 0000 0001 00 12 ffffffff "         // style: font 1, plain, 18 pt, white
                                     "00000017 66746162 0001 0001 0a 53616e73 2d536572 6966")));  // ftab "Sans-Serif"
}

TEST(QuickTimeText, entry_is_all_defaults) {
  BoxWriter w;
  write_quicktime_text_entry(w);
  EXPECT_EQ(w.size(), 8u + 8 + 4 + 4 + 6 + 8 + 8 + 2 + 2 + 1 + 2 + 6 + 1);
  EXPECT_EQ(hex(std::span(w.data()).subspan(0, 16)), "0000003c 74657874 00000000 00000001");
}

TEST(NullMediaHeader, nmhd_in_iso_files_gmhd_in_quicktime) {
  BoxWriter iso;
  write_null_media_header(iso, FileType::kMpeg4, FourCC("sbtl"));
  EXPECT_EQ(hex(iso.data()), "0000000c 6e6d6864 00000000");
  BoxWriter meta;
  write_null_media_header(meta, FileType::kQuickTimeMovie, FourCC("meta"));
  EXPECT_EQ(hex(meta.data()), hex(unhex("00000020 676d6864 00000018 676d696e 00000000 0040 8000 8000 8000 0000 0000")));
  BoxWriter text;
  write_null_media_header(text, FileType::kQuickTimeMovie, FourCC("text"));
  EXPECT_EQ(hex(text.data()),
            hex(unhex("0000004c 676d6864 00000018 676d696e 00000000 0040 8000 8000 8000 0000 0000 "
                      "0000002c 74657874 00010000 00000000 00000000 00000000 00010000 00000000 00000000 "
                      "00000000 40000000")));
}

TEST(Hdlr, text_handlers_follow_the_file_type_and_role) {
  EXPECT_EQ(media_handler_for(MediaType::kText, FileType::kMpeg4).type, FourCC("sbtl"));
  EXPECT_EQ(media_handler_for(MediaType::kText, FileType::kQuickTimeMovie).type, FourCC("sbtl"));
  EXPECT_EQ(media_handler_for(MediaType::kText, FileType::k3Gpp).type, FourCC("text"));
  EXPECT_EQ(media_handler_for(MediaType::kText, FileType::kMpeg4, true).type, FourCC("text"));
  EXPECT_EQ(media_handler_for(MediaType::kMetadata, FileType::kMpeg4).type, FourCC("meta"));
  BoxWriter w;
  write_media_hdlr(w, media_handler_for(MediaType::kText, FileType::kMpeg4), FileType::kMpeg4);
  EXPECT_EQ(hex(w.data()),
            "00000030 68646c72 00000000 00000000 7362746c 00000000 00000000 00000000 "
            "53756274 69746c65 48616e64 6c657200");
}

TEST(Chpl, start_times_in_100ns_and_pascal_titles) {
  BoxWriter w;
  std::vector<Chapter> chapters{{Time::zero(), "Intro"}, {Time(90, 1), "Ch2"}};
  write_chpl(w, chapters);
  EXPECT_EQ(hex(w.data()), hex(unhex("0000002b 6368706c 01000000 00000000 02 "
                                     "00000000 00000000 05 496e7472 6f "
                                     "00000000 35a4e900 03 436832")));
  BoxWriter none;
  write_chpl(none, {});
  EXPECT_EQ(none.size(), 0u);
}

TEST(Chpl, titles_are_cut_at_255_bytes_on_a_character_boundary) {
  BoxWriter w;
  std::string title = std::string(254, 'a') + "\xc3\xa9";  // the é would straddle byte 255
  std::vector<Chapter> chapters{{Time::zero(), title}};
  write_chpl(w, chapters);
  EXPECT_EQ(w.data()[8 + 9 + 8], 254);
}

TEST(Mebx, keys_hold_keyd_and_dtyp_by_local_id) {
  BoxWriter w;
  std::vector<TimedMetadataKey> keys{{FourCC("mdta"), "com.ex.a", MetadataDataType::kUtf8},
                                     {FourCC("mdta"), "k", MetadataDataType::kRaw}};
  write_mebx_entry(w, keys);
  EXPECT_EQ(hex(w.data()), hex(unhex("00000059 6d656278 00000000 00000001 "           // mebx, data reference 1
                                     "00000049 6b657973 "                             // keys (a plain atom)
                                     "0000002c 00000001 "                             // local id 1
                                     "00000014 6b657964 6d647461 636f6d2e 65782e61 "  // keyd mdta "com.ex.a"
                                     "00000010 64747970 00000000 00000001 "           // dtyp: well-known 1, UTF-8
                                     "00000015 00000002 "                             // local id 2: no dtyp (raw bytes)
                                     "0000000d 6b657964 6d647461 6b")));
}

TEST(MetadataSample, one_atom_per_value_typed_by_local_id) {
  std::vector<TimedMetadataValue> values{{1, {0x01, 0x02}}, {0, {'h', 'i'}}};
  auto sample = make_metadata_sample(values, 2);
  ASSERT_TRUE(sample.is_ok());
  EXPECT_EQ(hex(*sample), hex(unhex("0000000a 00000002 0102 0000000a 00000001 6869")));
  // No values: one 8-byte atom naming no key, since a metadata sample may not be empty.
  EXPECT_EQ(hex(*make_metadata_sample({}, 2)), "00000008 00000000");
  EXPECT_EQ(make_metadata_sample(values, 1).status().code(), ErrorCode::kInvalidArgument);
}

TEST(MetadataKeys, a_track_needs_named_keys) {
  EXPECT_FALSE(check_metadata_keys({}).is_ok());
  std::vector<TimedMetadataKey> unnamed{{FourCC("mdta"), "", MetadataDataType::kUtf8}};
  EXPECT_FALSE(check_metadata_keys(unnamed).is_ok());
}

TEST(Tkhd, layer_is_written) {
  BoxWriter w;
  TrackHeader h;
  h.layer = -1;
  write_tkhd(w, h);
  EXPECT_EQ(hex(std::span(w.data()).subspan(40, 2)), "ffff");
}

}  // namespace
}  // namespace aw
