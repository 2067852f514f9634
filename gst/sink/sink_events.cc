// Pad events and queries: caps become a track format, tags become metadata, language and rotation, and
// refused caps are reported with the pad's name.
#include <gst/gst.h>
#include <gst/tag/tag.h>

#include "convert/caps_to_format.h"
#include "convert/tags_to_metadata.h"
#include "convert/toc_to_chapters.h"
#include "sink/sink_private.h"

#define GST_CAT_DEFAULT gst_asset_writer_sink_debug

namespace gstaw {
namespace {

std::string caps_text(const GstCaps* caps) {
  gchar* s = gst_caps_to_string(caps);
  std::string out = s;
  g_free(s);
  return out;
}

void post_refusal(GstAssetWriterSink* self, GstPad* pad, const std::string& message) {
  const std::string text = pad_message(pad, message);
  GST_ELEMENT_ERROR(self, STREAM, FORMAT, ("%s", text.c_str()), (nullptr));
}

// The file type the caps must fit: this run's, or what the properties say before the element started.
aw::FileType current_file_type(GstAssetWriterSink* self) {
  {
    std::lock_guard<std::mutex> guard(impl(self).lock);
    if (impl(self).state.writer) return impl(self).state.file_type;
  }
  GST_OBJECT_LOCK(self);
  Settings settings = impl(self).settings;
  GST_OBJECT_UNLOCK(self);
  return resolve_file_type(settings);
}

// The template says which caps the pad takes; caps_to_format() adds what a template cannot say
// (codec_data present, a codec the file type cannot hold).
bool check_caps(GstAssetWriterSink* self, GstPad* pad, GstCaps* caps) {
  GstCaps* templ = gst_pad_get_pad_template_caps(pad);
  const bool in_template = gst_caps_is_subset(caps, templ);
  gst_caps_unref(templ);
  if (!in_template) {
    post_refusal(self, pad, "refusing caps " + caps_text(caps) + ": not among the pad template's caps");
    return false;
  }
  auto format = caps_to_format_for(caps, current_file_type(self));
  if (!format) {
    post_refusal(self, pad, format.status().message());
    return false;
  }
  return true;
}

bool same_format(const CapsFormat& a, const CapsFormat& b) {
  return a.media_type == b.media_type && a.format.codec == b.format.codec &&
         a.format.parameter_sets_in_band == b.format.parameter_sets_in_band &&
         (a.format.parameter_sets_in_band || a.format.configuration == b.format.configuration);
}

bool handle_caps(GstAssetWriterSink* self, GstAssetWriterPad* pad, GstCaps* caps) {
  auto format = caps_to_format_for(caps, current_file_type(self));
  std::lock_guard<std::mutex> guard(impl(self).lock);
  if (!format) {
    post_refusal(self, GST_PAD(pad), format.status().message());
    impl(self).state.failed = true;
    return false;
  }
  PadState& st = pad_state(pad);
  if (!st.input || same_format(*st.format, *format)) {
    if (!st.input) st.format = std::move(*format);
    return true;
  }
  // In-band parameter sets may change freely. A new avcC/hvcC/... of the same codec becomes a further
  // sample description of the track (fragmented movies and crash-safe recordings rewrite their header,
  // segment mode starts a new init segment); another codec, or a configuration taken from the stream's
  // first buffer, cannot change.
  const bool same_codec =
      st.format->media_type == format->media_type && st.format->format.codec == format->format.codec;
  if (!same_codec || aw::needs_first_sample(format->format)) {
    post_refusal(self, GST_PAD(pad), "caps changed after writing started: " + caps_text(caps));
    impl(self).state.failed = true;
    return false;
  }
  if (impl(self).state.rotation) {
    // The rotation's inputs are prototypes copied into each file: a new description would reach only later files.
    post_refusal(self, GST_PAD(pad), "caps changed while rotating files (not supported): " + caps_text(caps));
    impl(self).state.failed = true;
    return false;
  }
  if (aw::Status status = st.input->change_format(format->format); !status) {
    post_refusal(self, GST_PAD(pad), status.message() + " (caps " + caps_text(caps) + ")");
    impl(self).state.failed = true;
    return false;
  }
  GST_INFO_OBJECT(pad, "new sample description for caps %" GST_PTR_FORMAT, static_cast<const void*>(caps));
  st.format = std::move(*format);
  return true;
}

// Language and rotation go to the input, stream tags to track metadata, global tags to file metadata. What
// arrives after the input was configured is noted: the library fixes an input's configuration at start.
void handle_tags(GstAssetWriterSink* self, GstAssetWriterPad* pad, const GstTagList* tags) {
  std::lock_guard<std::mutex> guard(impl(self).lock);
  State& state = impl(self).state;
  PadState& st = pad_state(pad);
  const auto language = tags_to_language(tags);
  const auto rotation = tags_to_rotation(tags);
  if (gst_tag_list_get_scope(tags) == GST_TAG_SCOPE_GLOBAL) {
    if (!state.file_tags) state.file_tags = gst_tag_list_new_empty();
    gst_tag_list_insert(state.file_tags, tags, GST_TAG_MERGE_REPLACE);
  } else {
    if (!st.tags) st.tags = gst_tag_list_new_empty();
    gst_tag_list_insert(st.tags, tags, GST_TAG_MERGE_REPLACE);
  }
  if (!st.input) {
    if (language) st.language = *language;
    if (rotation) st.rotation = *rotation;
    return;
  }
  const bool late = (language && *language != st.input->language_code) || (rotation && *rotation != st.rotation) ||
                    !same_metadata(tags_to_metadata(st.tags), st.input->metadata);
  if (late) {
    GST_WARNING_OBJECT(pad, "stream tags after writing started are not written: %" GST_PTR_FORMAT, static_cast<const void*>(tags));
    st.late_tags = true;
  }
}

bool handle_segment(GstAssetWriterSink* self, GstAssetWriterPad* pad, GstEvent* event) {
  const GstSegment* segment = nullptr;
  gst_event_parse_segment(event, &segment);
  if (segment->format == GST_FORMAT_TIME) return true;
  std::lock_guard<std::mutex> guard(impl(self).lock);
  post_refusal(self, GST_PAD(pad),
               std::string("segment format must be time, not ") + gst_format_get_name(segment->format));
  impl(self).state.failed = true;
  return false;
}

}  // namespace

bool same_metadata(const aw::Metadata& a, const aw::Metadata& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].key != b[i].key || a[i].value != b[i].value || a[i].language != b[i].language) return false;
  }
  return true;
}

aw::Metadata file_metadata(GstAssetWriterSink* self) {
  // Application tags (GstTagSetter) and global tags from events, merged the way the application asked;
  // then the metadata property, which wins key by key: it is what the application set for this file,
  // while tags may come from whatever upstream read.
  GstTagSetter* setter = GST_TAG_SETTER(self);
  GstTagList* merged = gst_tag_list_merge(gst_tag_setter_get_tag_list(setter), impl(self).state.file_tags,
                                          gst_tag_setter_get_tag_merge_mode(setter));
  aw::Metadata metadata = tags_to_metadata(merged);
  for (const std::string& tag : unmapped_tags(merged)) {
    GST_DEBUG_OBJECT(self, "tag %s has no metadata key in the file: skipped", tag.c_str());
  }
  if (merged) gst_tag_list_unref(merged);
  std::vector<std::string> skipped;
  aw::Metadata from_property = structure_to_metadata(impl(self).state.settings.metadata.get(), &skipped);
  for (const std::string& field : skipped) {
    GST_DEBUG_OBJECT(self, "metadata field %s is no metadata key or tag the file holds: skipped", field.c_str());
  }
  return merge_metadata(std::move(metadata), from_property);
}

gboolean sink_event(GstAggregator* agg, GstAggregatorPad* aggpad, GstEvent* event) {
  auto* self = GST_ASSET_WRITER_SINK(agg);
  auto* pad = GST_ASSET_WRITER_PAD(aggpad);
  switch (GST_EVENT_TYPE(event)) {
    case GST_EVENT_CAPS: {
      GstCaps* caps = nullptr;
      gst_event_parse_caps(event, &caps);
      if (!handle_caps(self, pad, caps)) {
        gst_event_unref(event);
        return FALSE;
      }
      break;
    }
    case GST_EVENT_TAG: {
      GstTagList* tags = nullptr;
      gst_event_parse_tag(event, &tags);
      handle_tags(self, pad, tags);
      break;
    }
    case GST_EVENT_TOC: {
      // Chapters of the whole stream become the movie's (written at finish); an edition's TOC on one
      // pad is taken the same way.
      GstToc* toc = nullptr;
      gst_event_parse_toc(event, &toc, nullptr);
      auto chapters = toc_to_chapters(toc);
      gst_toc_unref(toc);
      std::lock_guard<std::mutex> guard(impl(self).lock);
      impl(self).state.toc_chapters = std::move(chapters);
      break;
    }
    case GST_EVENT_SEGMENT:
      if (!handle_segment(self, pad, event)) {
        gst_event_unref(event);
        return FALSE;
      }
      break;
    default:
      break;
  }
  return parent_class()->sink_event(agg, aggpad, event);
}

gboolean sink_query(GstAggregator* agg, GstAggregatorPad* aggpad, GstQuery* query) {
  if (GST_QUERY_TYPE(query) == GST_QUERY_ACCEPT_CAPS) {
    GstCaps* caps = nullptr;
    gst_query_parse_accept_caps(query, &caps);
    gst_query_set_accept_caps_result(query, check_caps(GST_ASSET_WRITER_SINK(agg), GST_PAD(aggpad), caps));
    return TRUE;
  }
  return parent_class()->sink_query(agg, aggpad, query);
}

}  // namespace gstaw
