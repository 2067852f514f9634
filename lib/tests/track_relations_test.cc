// Input groups, track associations, enabled flags, volume and extended languages.
#include <gtest/gtest.h>

#include "aw/asset_writer.h"
#include "boxes/track_reference_boxes.h"
#include "golden.h"
#include "test_media.h"
#include "testing/box_tree.h"

namespace aw {
namespace {

using test::File;
using test::make_sample;
using test::TempDir;

TEST(Tref, groups_references_by_type_in_first_seen_order) {
  BoxWriter w;
  std::pair<FourCC, uint32_t> refs[] = {{FourCC("chap"), 3}, {FourCC("sbtl"), 2}, {FourCC("chap"), 4}};
  write_tref(w, refs);
  EXPECT_EQ(hex(w.data()), "00000024 74726566 00000010 63686170 00000003 00000004 0000000c 7362746c 00000002");
  BoxWriter none;
  write_tref(none, {});
  EXPECT_EQ(none.size(), 0u);
}

TEST(Elng, bcp47_tag_is_nul_terminated) {
  BoxWriter w;
  write_elng(w, "en-US");
  EXPECT_EQ(hex(w.data()), "00000012 656c6e67 00000000 656e2d55 5300");
}

struct Movie {
  TempDir dir;
  std::unique_ptr<AssetWriter> writer;
  std::vector<std::shared_ptr<AssetWriterInput>> audio;

  explicit Movie(int tracks) {
    writer = std::move(AssetWriter::create(dir.file("m.mp4"), FileType::kMpeg4)).value();
    EXPECT_TRUE(writer->set_creation_time(0).is_ok());
    for (int i = 0; i < tracks; ++i) {
      audio.push_back(test::aac_input());
      EXPECT_TRUE(writer->add(audio.back()).is_ok());
    }
  }
  File finish() {
    EXPECT_TRUE(writer->start_writing().is_ok()) << writer->error().to_string();
    EXPECT_TRUE(writer->start_session(Time::zero()).is_ok());
    for (auto& a : audio) EXPECT_TRUE(a->append(make_sample(Time::zero(), Time::zero(), 10, true)).is_ok());
    EXPECT_TRUE(writer->finish_writing().is_ok());
    return File::read(dir.file("m.mp4"));
  }
};

uint32_t tkhd_flags(const File& f, int trak) {
  return f.find("moov/trak[" + std::to_string(trak) + "]/tkhd")->u32(0) & 0xffffff;
}
uint16_t alternate_group(const File& f, int trak) {
  return f.find("moov/trak[" + std::to_string(trak) + "]/tkhd")->u16(34);
}

TEST(InputGroup, alternatives_share_an_alternate_group_and_only_the_default_is_enabled) {
  Movie m(3);
  m.audio[0]->language_code = "eng";
  m.audio[1]->language_code = "fra";
  auto group = AssetWriterInputGroup::create({m.audio[0], m.audio[1]}, m.audio[1]);
  ASSERT_TRUE(m.writer->can_add(group));
  ASSERT_TRUE(m.writer->add(group).is_ok());
  EXPECT_EQ(m.writer->input_groups().size(), 1u);
  File f = m.finish();
  EXPECT_EQ(alternate_group(f, 0), 1);
  EXPECT_EQ(alternate_group(f, 1), 1);
  EXPECT_EQ(alternate_group(f, 2), 0);
  EXPECT_EQ(tkhd_flags(f, 0) & 1, 0u);  // not the default: disabled
  EXPECT_EQ(tkhd_flags(f, 1) & 1, 1u);
  EXPECT_EQ(tkhd_flags(f, 2) & 1, 1u);  // not in a group
}

TEST(InputGroup, membership_rules_are_checked) {
  Movie m(2);
  auto stranger = test::aac_input();
  EXPECT_EQ(m.writer->check_can_add(AssetWriterInputGroup::create({m.audio[0], stranger}, nullptr)).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(m.writer->check_can_add(AssetWriterInputGroup::create({m.audio[0]}, m.audio[1])).code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(m.writer->add(AssetWriterInputGroup::create({m.audio[0], m.audio[1]}, nullptr)).is_ok());
  EXPECT_FALSE(m.writer->can_add(AssetWriterInputGroup::create({m.audio[0]}, nullptr)));  // already grouped
  File f = m.finish();
  EXPECT_EQ(tkhd_flags(f, 0) & 1, 0u);  // no default: both disabled
  EXPECT_EQ(tkhd_flags(f, 1) & 1, 0u);
}

TEST(TrackAssociation, becomes_a_tref_in_the_associating_track) {
  Movie m(2);
  ASSERT_TRUE(m.audio[0]->add_track_association(m.audio[1], TrackAssociationType::kChapterList).is_ok());
  EXPECT_FALSE(m.audio[0]->can_add_track_association(m.audio[1], TrackAssociationType::kChapterList));
  EXPECT_FALSE(m.audio[0]->can_add_track_association(m.audio[0], TrackAssociationType::kSubtitle));
  File f = m.finish();
  const auto* chap = f.find("moov/trak/tref/chap");
  ASSERT_NE(chap, nullptr);
  EXPECT_EQ(chap->u32(0), 2u);
  EXPECT_EQ(f.find("moov/trak[1]/tref"), nullptr);
}

TEST(TrackAssociation, to_an_input_of_another_writer_fails_start_writing) {
  Movie m(1);
  auto outsider = test::aac_input();
  ASSERT_TRUE(m.audio[0]->add_track_association(outsider, TrackAssociationType::kSubtitle).is_ok());
  Status s = m.writer->start_writing();
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("subtitle"), std::string::npos) << s.message();
}

TEST(TrackHeader, volume_enabled_flag_and_extended_language_come_from_the_input) {
  Movie m(1);
  m.audio[0]->preferred_volume = 0.5f;
  m.audio[0]->marks_output_track_as_enabled = false;
  m.audio[0]->extended_language_tag = "pt-BR";
  File f = m.finish();
  EXPECT_EQ(f.find("moov/trak/tkhd")->u16(36), 0x0080);  // 0.5 in 8.8
  EXPECT_EQ(tkhd_flags(f, 0) & 1, 0u);
  const auto* elng = f.find("moov/trak/mdia/elng");
  ASSERT_NE(elng, nullptr);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(elng->payload.data()) + 4), "pt-BR");
}

}  // namespace
}  // namespace aw
