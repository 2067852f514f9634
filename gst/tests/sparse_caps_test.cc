// Text and timed metadata caps, their buffers' payloads, and GstToc → chapters.
#include <gtest/gtest.h>

#include <string>

#include "convert/caps_to_format.h"
#include "convert/sparse_payload.h"
#include "convert/toc_to_chapters.h"

namespace gstaw {
namespace {

aw::Result<CapsFormat> parse(const std::string& text, aw::FileType file_type = aw::FileType::kMpeg4) {
  gst_init(nullptr, nullptr);
  GstCaps* caps = gst_caps_from_string(text.c_str());
  auto result = caps_to_format_for(caps, file_type);
  gst_caps_unref(caps);
  return result;
}

std::string payload_text(const CapsFormat& format, const std::string& data) {
  auto payload = sparse_payload(format, reinterpret_cast<const uint8_t*>(data.data()), data.size());
  if (!payload) return "error: " + payload.status().message();
  return std::string(payload->begin(), payload->end());
}

TEST(SparseCaps, utf8_text_becomes_tx3g) {
  auto format = parse("text/x-raw, format=utf8");
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  EXPECT_EQ(format->media_type, aw::MediaType::kText);
  EXPECT_EQ(format->format.codec, aw::Codec::kTx3g);
  EXPECT_EQ(payload_text(*format, "Hi\n"), std::string("\0\2Hi", 4));  // the trailing line break is not shown
}

TEST(SparseCaps, pango_markup_is_stripped) {
  auto format = parse("text/x-raw, format=pango-markup");
  ASSERT_TRUE(format.is_ok());
  EXPECT_EQ(payload_text(*format, "<i>Hi</i> &amp; <b>bye</b> &#233;&#x41;"), std::string("\0\x0cHi & bye \xc3\xa9"
                                                                                          "A",
                                                                                          14));
  EXPECT_EQ(strip_pango_markup("a &lt;b&gt; &quot;c&apos; &bogus;"), "a <b> \"c' &bogus;");
}

TEST(SparseCaps, text_is_refused_in_m4a_and_bad_text_is_an_error) {
  auto m4a = parse("text/x-raw, format=utf8", aw::FileType::kAppleM4A);
  ASSERT_FALSE(m4a.is_ok());
  EXPECT_NE(m4a.status().message().find("audio only"), std::string::npos) << m4a.status().message();
  auto format = parse("text/x-raw, format=utf8");
  EXPECT_NE(payload_text(*format, "\xff").find("UTF-8"), std::string::npos);
}

TEST(SparseCaps, klv_is_one_raw_key_holding_the_packets) {
  auto format = parse("meta/x-klv");
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  EXPECT_EQ(format->media_type, aw::MediaType::kMetadata);
  ASSERT_EQ(format->format.metadata_keys.size(), 1u);
  EXPECT_EQ(format->format.metadata_keys[0].key, kKlvKey);
  EXPECT_EQ(format->format.metadata_keys[0].data_type, aw::MetadataDataType::kRaw);
  EXPECT_EQ(payload_text(*format, "\x06\x0e"), std::string("\0\0\0\x0a\0\0\0\x01\x06\x0e", 10));
}

TEST(SparseCaps, x_metadata_keys_come_from_the_caps_and_values_from_a_structure) {
  auto format = parse("application/x-metadata, keys=(string)\"com.example.speed, com.example.label\"");
  ASSERT_TRUE(format.is_ok()) << format.status().message();
  ASSERT_EQ(format->format.metadata_keys.size(), 2u);
  EXPECT_EQ(format->format.metadata_keys[1].key, "com.example.label");
  EXPECT_EQ(format->format.metadata_keys[1].data_type, aw::MetadataDataType::kUtf8);
  EXPECT_EQ(payload_text(*format, "metadata, com.example.label=(string)hi, com.example.speed=(int)12"),
            std::string("\0\0\0\x0a\0\0\0\x02hi\0\0\0\x0a\0\0\0\x01"
                        "12",
                        20));
  EXPECT_EQ(payload_text(*format, "metadata"), std::string("\0\0\0\x08\0\0\0\0", 8));  // the NULL sample
  EXPECT_NE(payload_text(*format, "metadata, other=(int)1").find("\"other\" is not one of the caps' keys"),
            std::string::npos);
  EXPECT_NE(payload_text(*format, "not a structure, =").find("not a serialised GstStructure"), std::string::npos);
  EXPECT_FALSE(parse("application/x-metadata").is_ok());
}

GstTocEntry* chapter(const char* uid, gint64 start, gint64 stop, const char* title) {
  GstTocEntry* entry = gst_toc_entry_new(GST_TOC_ENTRY_TYPE_CHAPTER, uid);
  gst_toc_entry_set_start_stop_times(entry, start, stop);
  if (title) gst_toc_entry_set_tags(entry, gst_tag_list_new(GST_TAG_TITLE, title, nullptr));
  return entry;
}

TEST(TocToChapters, chapters_of_editions_flattened_in_start_order) {
  gst_init(nullptr, nullptr);
  GstToc* toc = gst_toc_new(GST_TOC_SCOPE_GLOBAL);
  GstTocEntry* edition = gst_toc_entry_new(GST_TOC_ENTRY_TYPE_EDITION, "e");
  gst_toc_entry_append_sub_entry(edition, chapter("b", 5 * GST_SECOND, 9 * GST_SECOND, "Second"));
  gst_toc_entry_append_sub_entry(edition, chapter("a", 0, 5 * GST_SECOND, "First"));
  gst_toc_entry_append_sub_entry(edition, chapter("c", 5 * GST_SECOND, 6 * GST_SECOND, "Same start"));
  gst_toc_entry_append_sub_entry(edition, chapter("d", -1, -1, "No time"));
  gst_toc_append_entry(toc, edition);
  auto chapters = toc_to_chapters(toc);
  gst_toc_unref(toc);
  ASSERT_EQ(chapters.size(), 2u);
  EXPECT_EQ(chapters[0].title, "First");
  EXPECT_EQ(chapters[0].start, aw::Time::zero());
  EXPECT_EQ(chapters[1].title, "Second");
  EXPECT_EQ(chapters[1].start, aw::Time(5, 1));
  EXPECT_TRUE(toc_to_chapters(nullptr).empty());
}

}  // namespace
}  // namespace gstaw
