// The codec table (gst/convert/codec_caps.h) against what decides and what is said: every codec of the library has
// caps, caps_to_format() reads each row as its codec, and assetwritersink and assetwriterbin show the
// table in their pad templates and name exactly its codecs in their descriptions (what gst-inspect-1.0
// prints). The elements come from the plugin of this build (GST_PLUGIN_PATH).
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "convert/caps_to_format.h"
#include "convert/codec_caps.h"

namespace gstaw {
namespace {

constexpr int kLastCodec = static_cast<int>(aw::Codec::kMebx);  // the last of aw::Codec

std::vector<aw::Codec> all_codecs() {
  std::vector<aw::Codec> codecs;
  for (int i = 0; i <= kLastCodec; ++i) codecs.push_back(static_cast<aw::Codec>(i));
  return codecs;
}

// Complete caps for each row: codec_data, streamheader and sizes where caps_to_format() asks for them.
const char* const kExamples[] = {
    "video/x-h264, stream-format=avc, alignment=au, codec_data=(buffer)0164001fffe1",
    "video/x-h265, stream-format=hev1, alignment=au",
    "video/x-av1, stream-format=obu-stream, alignment=tu",
    "video/x-vp9, width=64, height=48",
    "video/x-prores, variant=hq, width=64, height=48",
    "image/jpeg, width=64, height=48",
    "audio/mpeg, mpegversion=4, stream-format=raw, rate=44100, channels=2, codec_data=(buffer)1210",
    "audio/mpeg, mpegversion=1, layer=3, rate=44100, channels=2",
    "audio/x-alac, rate=44100, channels=2, codec_data=(buffer)00001000001810280a0e0200ff",
    "audio/x-opus, rate=48000, channels=2, channel-mapping-family=0",
    "audio/x-flac, framed=true, rate=44100, channels=2, streamheader=(buffer)<664c614300000022>",
    "audio/x-ac3, alignment=frame, rate=48000, channels=6",
    "audio/x-eac3, alignment=frame, rate=48000, channels=6",
    "audio/x-raw, format=S24BE, layout=interleaved, rate=48000, channels=2",
    "text/x-raw, format=pango-markup",
    "meta/x-klv",
    "application/x-metadata, keys=(string)\"com.example.speed\"",
};

struct Caps {
  explicit Caps(const char* text) : caps(gst_caps_from_string(text)) {}
  explicit Caps(GstCaps* owned) : caps(owned) {}
  ~Caps() {
    if (caps) gst_caps_unref(caps);
  }
  Caps(const Caps&) = delete;
  Caps& operator=(const Caps&) = delete;
  GstCaps* caps;
};

class CodecTable : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { gst_init(nullptr, nullptr); }
};

// Whether `text` names `name` as a word of its own: "E-AC-3" does not name AC-3.
bool names(const std::string& text, const std::string& name) {
  auto part_of_word = [](char c) { return g_ascii_isalnum(c) || c == '-' || c == '.'; };
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    const bool starts = at == 0 || !part_of_word(text[at - 1]);
    const size_t end = at + name.size();
    // A sentence may end right after a name ("... and AAC.").
    const bool ends = end == text.size() || !part_of_word(text[end]) || (text[end] == '.' && end + 1 == text.size());
    if (starts && ends) return true;
  }
  return false;
}

// The caps of a factory's pad template, or null.
GstCaps* template_caps_of(GstElementFactory* factory, const char* name) {
  for (const GList* l = gst_element_factory_get_static_pad_templates(factory); l; l = l->next) {
    auto* templ = static_cast<GstStaticPadTemplate*>(l->data);
    if (std::strcmp(templ->name_template, name) == 0) return gst_static_pad_template_get_caps(templ);
  }
  return nullptr;
}

std::string description_of(GstElementFactory* factory) {
  const char* text = gst_element_factory_get_metadata(factory, GST_ELEMENT_METADATA_DESCRIPTION);
  return text ? text : "";
}

TEST_F(CodecTable, every_codec_of_the_library_has_caps) {
  for (aw::Codec codec : all_codecs()) {
    int rows = 0;
    for (const CodecCaps& row : codec_caps_table()) rows += row.codec == codec;
    EXPECT_GT(rows, 0) << aw::to_string(codec) << " has no caps in gst/convert/codec_caps.cc";
  }
  for (const CodecCaps& row : codec_caps_table()) {
    Caps caps(row.caps);
    ASSERT_NE(caps.caps, nullptr) << row.caps;
    EXPECT_EQ(gst_caps_get_size(caps.caps), 1u) << row.caps << ": one structure per row";
  }
}

TEST_F(CodecTable, caps_to_format_reads_every_row_as_its_codec) {
  for (const CodecCaps& row : codec_caps_table()) {
    Caps row_caps(row.caps);
    int examples = 0;
    for (const char* example : kExamples) {
      Caps caps(example);
      ASSERT_NE(caps.caps, nullptr) << example;
      if (!gst_caps_is_subset(caps.caps, row_caps.caps)) continue;
      ++examples;
      auto format = caps_to_format(caps.caps);
      ASSERT_TRUE(format.is_ok()) << example << ": " << format.status().message();
      EXPECT_EQ(format->format.codec, row.codec) << example << " is read as " << aw::to_string(format->format.codec)
                                                 << ", its row says " << aw::to_string(row.codec);
      EXPECT_EQ(format->media_type, aw::media_type_of(row.codec)) << example;
    }
    EXPECT_GT(examples, 0) << row.caps << ": no example caps in this test";
  }
  for (const char* example : kExamples) {
    Caps caps(example);
    int rows = 0;
    for (const CodecCaps& row : codec_caps_table()) rows += gst_caps_is_subset(caps.caps, Caps(row.caps).caps);
    EXPECT_EQ(rows, 1) << example << " fits " << rows << " rows";
  }
}

TEST_F(CodecTable, a_refusal_of_unknown_caps_names_every_codec) {
  Caps caps("video/x-theora, width=64, height=48");
  auto format = caps_to_format(caps.caps);
  ASSERT_FALSE(format.is_ok());
  for (aw::Codec codec : all_codecs()) {
    if (aw::is_sparse(aw::media_type_of(codec))) continue;  // said as "text or timed metadata"
    EXPECT_TRUE(names(format.status().message(), aw::to_string(codec))) << format.status().message();
  }
}

TEST_F(CodecTable, sink_pad_templates_are_the_table) {
  GstElementFactory* sink = gst_element_factory_find("assetwritersink");
  ASSERT_NE(sink, nullptr) << "the plugin is not on GST_PLUGIN_PATH";
  const std::pair<const char*, aw::MediaType> kPads[] = {{"video_%u", aw::MediaType::kVideo},
                                                         {"audio_%u", aw::MediaType::kAudio},
                                                         {"text_%u", aw::MediaType::kText},
                                                         {"meta_%u", aw::MediaType::kMetadata}};
  for (const auto& [name, type] : kPads) {
    Caps shown(template_caps_of(sink, name));
    Caps table(template_caps(type));
    ASSERT_NE(shown.caps, nullptr) << name;
    EXPECT_TRUE(gst_caps_is_equal(shown.caps, table.caps)) << name;
  }
  gst_object_unref(sink);
}

TEST_F(CodecTable, sink_description_names_every_codec_its_pads_take) {
  GstElementFactory* sink = gst_element_factory_find("assetwritersink");
  ASSERT_NE(sink, nullptr) << "the plugin is not on GST_PLUGIN_PATH";
  const std::string description = description_of(sink);
  for (aw::Codec codec : all_codecs()) {
    EXPECT_TRUE(names(description, aw::to_string(codec))) << aw::to_string(codec) << " missing: " << description;
  }
  gst_object_unref(sink);
}

// The bin takes fewer codecs than the sink; its description must name exactly the encoded ones its pad
// templates take, each found by the sink's table.
TEST_F(CodecTable, bin_description_names_exactly_the_encoded_codecs_its_pads_take) {
  GstElementFactory* bin = gst_element_factory_find("assetwriterbin");
  ASSERT_NE(bin, nullptr) << "the plugin is not on GST_PLUGIN_PATH";
  std::set<aw::Codec> taken;
  for (const char* name : {"video_%u", "audio_%u"}) {
    Caps shown(template_caps_of(bin, name));
    ASSERT_NE(shown.caps, nullptr) << name;
    for (guint i = 0; i < gst_caps_get_size(shown.caps); ++i) {
      const GstStructure* s = gst_caps_get_structure(shown.caps, i);
      if (gst_structure_has_name(s, "video/x-raw") || gst_structure_has_name(s, "audio/x-raw")) continue;
      Caps one(gst_caps_new_full(gst_structure_copy(s), nullptr));
      int codecs = 0;
      for (const CodecCaps& row : codec_caps_table()) {
        if (gst_caps_can_intersect(one.caps, Caps(row.caps).caps)) {
          taken.insert(row.codec);
          ++codecs;
        }
      }
      EXPECT_EQ(codecs, 1) << name << ": " << gst_structure_get_name(s) << " is " << codecs << " codecs";
    }
  }
  const std::string description = description_of(bin);
  for (aw::Codec codec : all_codecs()) {
    EXPECT_EQ(names(description, aw::to_string(codec)), taken.count(codec) == 1)
        << aw::to_string(codec) << ": " << description;
  }
  gst_object_unref(bin);
}

}  // namespace
}  // namespace gstaw
