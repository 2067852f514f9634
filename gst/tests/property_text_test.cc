// What users read in gst-inspect-1.0 and type in gst-launch: the enum values (one convention on every element
// and pad of the plugin, GStreamer's lower-case dash-separated nicks, yes/no meanings spelled true/false
// everywhere; the spellings of earlier releases still set the property), and the location blurb, which has to
// say what location means in each mode.
#include <gst/gst.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {

struct EnumProperty {
  std::string owner;  // "assetwritersink", "assetwriterbin::video_0", ...
  GParamSpec* spec;
};

void init_gstreamer() { gst_init(nullptr, nullptr); }

// A new element owned by the caller (floating reference sunk), or null when the factory is not found.
GstElement* make(const char* factory) {
  GstElement* element = gst_element_factory_make(factory, nullptr);
  return element ? GST_ELEMENT(gst_object_ref_sink(element)) : nullptr;
}

// The enum properties of `object` (an element or one of its pads), named for failure messages.
void collect_enums(GObject* object, const std::string& owner, std::vector<EnumProperty>& out) {
  guint count = 0;
  GParamSpec** specs = g_object_class_list_properties(G_OBJECT_GET_CLASS(object), &count);
  for (guint i = 0; i < count; ++i) {
    if (G_IS_PARAM_SPEC_ENUM(specs[i])) out.push_back({owner + "::" + specs[i]->name, specs[i]});
  }
  g_free(specs);
}

// Every enum property of both elements and of every request pad they offer. The elements stay alive
// (leaked on purpose, one per process) so the param specs stay valid.
std::vector<EnumProperty> all_enum_properties() {
  std::vector<EnumProperty> out;
  for (const char* factory : {"assetwritersink", "assetwriterbin"}) {
    GstElement* element = gst_element_factory_make(factory, nullptr);
    EXPECT_NE(element, nullptr) << factory << " not found: is GST_PLUGIN_PATH set?";
    if (!element) continue;
    gst_object_ref_sink(element);
    collect_enums(G_OBJECT(element), factory, out);
    for (const GList* l = gst_element_class_get_pad_template_list(GST_ELEMENT_GET_CLASS(element)); l; l = l->next) {
      auto* templ = static_cast<GstPadTemplate*>(l->data);
      if (GST_PAD_TEMPLATE_PRESENCE(templ) != GST_PAD_REQUEST) continue;
      GstPad* pad = gst_element_request_pad(element, templ, nullptr, nullptr);
      EXPECT_NE(pad, nullptr) << factory << " " << GST_PAD_TEMPLATE_NAME_TEMPLATE(templ);
      if (pad) collect_enums(G_OBJECT(pad), std::string(factory) + "::" + GST_PAD_NAME(pad), out);
    }
  }
  return out;
}

// The first entry of each value: what g_enum_get_value() returns, so what gst-inspect shows as the default
// and what a serialised pipeline writes. Later entries with the same value are accepted aliases.
std::vector<const GEnumValue*> canonical_values(GEnumClass* klass) {
  std::vector<const GEnumValue*> out;
  std::set<gint> seen;
  for (guint i = 0; i < klass->n_values; ++i) {
    if (seen.insert(klass->values[i].value).second) out.push_back(&klass->values[i]);
  }
  return out;
}

TEST(PropertyText, every_enum_property_of_both_elements_and_their_pads_is_found) {
  init_gstreamer();
  std::set<std::string> names;
  for (const EnumProperty& p : all_enum_properties()) names.insert(p.owner);
  // The ones this test was written against; more are welcome, fewer means the walk above broke.
  for (const char* expected :
       {"assetwritersink::file-type", "assetwritersink::sync-fragments", "assetwritersink::output-file-type-profile",
        "assetwritersink::playlist-type", "assetwriterbin::real-time", "assetwriterbin::encoder-speed",
        "assetwriterbin::sync-fragments", "assetwriterbin::file-type"}) {
    EXPECT_TRUE(names.count(expected)) << expected;
  }
}

TEST(PropertyText, every_nick_is_lower_case_and_dash_separated) {
  init_gstreamer();
  const std::regex convention("[a-z0-9]+(-[a-z0-9]+)*");
  for (const EnumProperty& p : all_enum_properties()) {
    GEnumClass* klass = G_PARAM_SPEC_ENUM(p.spec)->enum_class;
    for (guint i = 0; i < klass->n_values; ++i) {
      EXPECT_TRUE(std::regex_match(klass->values[i].value_nick, convention))
          << p.owner << ": nick \"" << klass->values[i].value_nick << "\"";
    }
  }
}

TEST(PropertyText, yes_and_no_meanings_are_spelled_true_and_false_everywhere) {
  init_gstreamer();
  const std::set<std::string> other_spellings = {"yes", "no", "on", "off", "enabled", "disabled", "always", "never"};
  for (const EnumProperty& p : all_enum_properties()) {
    for (const GEnumValue* value : canonical_values(G_PARAM_SPEC_ENUM(p.spec)->enum_class)) {
      EXPECT_FALSE(other_spellings.count(value->value_nick))
          << p.owner << ": \"" << value->value_nick << "\" where the plugin says true/false";
    }
  }
}

TEST(PropertyText, defaults_are_shown_with_the_current_spelling) {
  init_gstreamer();
  for (const EnumProperty& p : all_enum_properties()) {
    GEnumClass* klass = G_PARAM_SPEC_ENUM(p.spec)->enum_class;
    const GEnumValue* value = g_enum_get_value(klass, G_PARAM_SPEC_ENUM(p.spec)->default_value);
    ASSERT_NE(value, nullptr) << p.owner;
    bool is_canonical = false;
    for (const GEnumValue* c : canonical_values(klass)) is_canonical |= c == value;
    EXPECT_TRUE(is_canonical) << p.owner << ": default shown as \"" << value->value_nick << "\"";
  }
}

// The property's value after setting it from `text` as gst-launch does (gst_util_set_object_arg), starting
// from a value other than `expected` so that a refused string cannot pass.
gint set_from_string(GstElement* element, const char* property, const char* text, gint expected) {
  const GParamSpec* spec = g_object_class_find_property(G_OBJECT_GET_CLASS(element), property);
  GEnumClass* klass = G_PARAM_SPEC_ENUM(spec)->enum_class;
  for (guint i = 0; i < klass->n_values; ++i) {
    if (klass->values[i].value != expected) {
      g_object_set(element, property, klass->values[i].value, nullptr);
      break;
    }
  }
  gst_util_set_object_arg(G_OBJECT(element), property, text);
  gint set = 0;
  g_object_get(element, property, &set, nullptr);
  return set;
}

gint value_of_nick(GstElement* element, const char* property, const char* nick) {
  const GParamSpec* spec = g_object_class_find_property(G_OBJECT_GET_CLASS(element), property);
  const GEnumValue* value = g_enum_get_value_by_nick(G_PARAM_SPEC_ENUM(spec)->enum_class, nick);
  return value ? value->value : -2;
}

TEST(PropertyText, real_time_takes_true_and_false_and_still_the_old_yes_and_no) {
  init_gstreamer();
  GstElement* bin = make("assetwriterbin");
  ASSERT_NE(bin, nullptr);
  const gint on = value_of_nick(bin, "real-time", "true");
  const gint off = value_of_nick(bin, "real-time", "false");
  const gint automatic = value_of_nick(bin, "real-time", "auto");
  ASSERT_GE(on, 0);
  ASSERT_GE(off, 0);
  ASSERT_GE(automatic, 0);
  EXPECT_EQ(set_from_string(bin, "real-time", "true", on), on);
  EXPECT_EQ(set_from_string(bin, "real-time", "false", off), off);
  EXPECT_EQ(set_from_string(bin, "real-time", "auto", automatic), automatic);
  EXPECT_EQ(set_from_string(bin, "real-time", "yes", on), on);
  EXPECT_EQ(set_from_string(bin, "real-time", "no", off), off);
  gst_object_unref(bin);
}

TEST(PropertyText, old_spellings_still_parse_in_a_pipeline_description) {
  init_gstreamer();
  GError* error = nullptr;
  GstElement* bin = gst_parse_launch("assetwriterbin name=b real-time=yes sync-fragments=true", &error);
  ASSERT_NE(bin, nullptr) << (error ? error->message : "");
  ASSERT_EQ(error, nullptr) << error->message;
  // A description of one element parses to that element itself.
  GstElement* writer = GST_ELEMENT(gst_object_ref(bin));
  ASSERT_STREQ(GST_OBJECT_NAME(writer), "b");
  gint real_time = -1, sync = -1;
  g_object_get(writer, "real-time", &real_time, "sync-fragments", &sync, nullptr);
  EXPECT_EQ(real_time, value_of_nick(writer, "real-time", "true"));
  EXPECT_EQ(sync, value_of_nick(writer, "sync-fragments", "true"));
  gst_object_unref(writer);
  gst_object_unref(bin);
}

TEST(PropertyText, sync_fragments_reads_the_same_on_the_sink_and_the_bin) {
  init_gstreamer();
  for (const char* factory : {"assetwritersink", "assetwriterbin"}) {
    GstElement* element = make(factory);
    ASSERT_NE(element, nullptr) << factory;
    for (const char* nick : {"auto", "true", "false"}) {
      const gint expected = value_of_nick(element, "sync-fragments", nick);
      EXPECT_GE(expected, 0) << factory << ": " << nick;
      EXPECT_EQ(set_from_string(element, "sync-fragments", nick, expected), expected) << factory << ": " << nick;
    }
    gst_object_unref(element);
  }
}

TEST(PropertyText, location_blurb_says_path_in_file_modes_and_pattern_in_segment_and_rotation_modes) {
  init_gstreamer();
  for (const char* factory : {"assetwritersink", "assetwriterbin"}) {
    GstElement* element = make(factory);
    ASSERT_NE(element, nullptr) << factory;
    const std::string blurb =
        g_param_spec_get_blurb(g_object_class_find_property(G_OBJECT_GET_CLASS(element), "location"));
    for (const char* words : {"File modes", "path", "Segment mode", "rotation", "pattern", "%05d"}) {
      EXPECT_NE(blurb.find(words), std::string::npos) << factory << ": \"" << words << "\" not in: " << blurb;
    }
    gst_object_unref(element);
  }
}

}  // namespace
