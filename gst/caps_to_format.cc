#include "caps_to_format.h"

#include <string>

namespace gstaw {
namespace {

std::string caps_text(const GstCaps* caps) {
  gchar* s = gst_caps_to_string(caps);
  std::string text = s ? s : "(null)";
  g_free(s);
  return text;
}

aw::Status refuse(const GstCaps* caps, const std::string& why) {
  return {aw::ErrorCode::kUnsupported, "refusing caps " + caps_text(caps) + ": " + why};
}

// codec_data as bytes; empty when the field is absent or not a buffer.
std::vector<uint8_t> codec_data(const GstStructure* s) {
  const GValue* value = gst_structure_get_value(s, "codec_data");
  if (!value || !GST_VALUE_HOLDS_BUFFER(value)) return {};
  GstBuffer* buffer = gst_value_get_buffer(value);
  GstMapInfo map;
  if (!gst_buffer_map(buffer, &map, GST_MAP_READ)) return {};
  std::vector<uint8_t> bytes(map.data, map.data + map.size);
  gst_buffer_unmap(buffer, &map);
  return bytes;
}

std::string string_field(const GstStructure* s, const char* field) {
  const gchar* value = gst_structure_get_string(s, field);
  return value ? value : "";
}

// H.264 and H.265 share the shape: a length-prefixed stream-format with the parameter sets in codec_data
// (avc/hvc1), or one that repeats them in band (avc3/hev1), always one access unit per buffer because a
// sample is an access unit (ISO/IEC 14496-15 §4.3).
aw::Result<CapsFormat> video_format(const GstCaps* caps, const GstStructure* s, aw::Codec codec,
                                    const char* out_of_band, const char* in_band, const char* record) {
  const std::string stream_format = string_field(s, "stream-format");
  if (stream_format != out_of_band && stream_format != in_band) {
    return refuse(caps, "stream-format must be " + std::string(out_of_band) + " or " + in_band +
                            " (length-prefixed NAL units), not " +
                            (stream_format.empty() ? std::string("unset") : stream_format));
  }
  if (string_field(s, "alignment") != "au") {
    return refuse(caps, "alignment must be au: a sample is one access unit");
  }
  CapsFormat out;
  out.media_type = aw::MediaType::kVideo;
  out.format.codec = codec;
  out.format.parameter_sets_in_band = stream_format == in_band;
  out.format.configuration = codec_data(s);
  if (out.format.configuration.empty() && !out.format.parameter_sets_in_band) {
    return refuse(caps, "stream-format " + stream_format + " needs codec_data (the " + record + " record)");
  }
  gint width = 0;
  gint height = 0;
  if (gst_structure_get_int(s, "width", &width) && gst_structure_get_int(s, "height", &height) && width > 0 &&
      height > 0) {
    out.natural_size = {static_cast<uint32_t>(width), static_cast<uint32_t>(height)};
  }
  return out;
}

aw::Result<CapsFormat> aac_format(const GstCaps* caps, const GstStructure* s) {
  gint mpegversion = 0;
  if (!gst_structure_get_int(s, "mpegversion", &mpegversion) || mpegversion != 4) {
    return refuse(caps, "audio/mpeg must be AAC (mpegversion 4)");
  }
  if (string_field(s, "stream-format") != "raw") {
    return refuse(caps, "AAC stream-format must be raw (no ADTS headers): the sample entry carries the config");
  }
  CapsFormat out;
  out.media_type = aw::MediaType::kAudio;
  out.format.codec = aw::Codec::kAac;
  out.format.configuration = codec_data(s);
  if (out.format.configuration.empty()) {
    return refuse(caps, "raw AAC needs codec_data (the AudioSpecificConfig)");
  }
  return out;
}

}  // namespace

aw::Result<CapsFormat> caps_to_format(const GstCaps* caps) {
  if (!caps || gst_caps_get_size(caps) != 1 || !gst_caps_is_fixed(caps)) {
    return aw::Status(aw::ErrorCode::kInvalidArgument,
                      "refusing caps " + (caps ? caps_text(caps) : std::string("(null)")) + ": not fixed");
  }
  const GstStructure* s = gst_caps_get_structure(caps, 0);
  const std::string name = gst_structure_get_name(s);
  if (name == "video/x-h264") return video_format(caps, s, aw::Codec::kH264, "avc", "avc3", "avcC");
  if (name == "video/x-h265") return video_format(caps, s, aw::Codec::kHevc, "hvc1", "hev1", "hvcC");
  if (name == "audio/mpeg") return aac_format(caps, s);
  return refuse(caps, "the writer takes H.264, H.265 or AAC");
}

}  // namespace gstaw
