#include "convert/caps_to_format.h"

#include <gst/video/video.h>

#include <cstring>
#include <string>

#include "convert/codec_caps.h"
#include "convert/sparse_payload.h"

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

std::vector<uint8_t> buffer_bytes(GstBuffer* buffer) {
  GstMapInfo map;
  if (!buffer || !gst_buffer_map(buffer, &map, GST_MAP_READ)) return {};
  std::vector<uint8_t> bytes(map.data, map.data + map.size);
  gst_buffer_unmap(buffer, &map);
  return bytes;
}

// codec_data as bytes; empty when the field is absent or not a buffer.
std::vector<uint8_t> codec_data(const GstStructure* s) {
  const GValue* value = gst_structure_get_value(s, "codec_data");
  if (!value || !GST_VALUE_HOLDS_BUFFER(value)) return {};
  return buffer_bytes(gst_value_get_buffer(value));
}

// The first streamheader buffer (Opus's OpusHead, FLAC's STREAMINFO packet); empty when absent.
std::vector<uint8_t> first_streamheader(const GstStructure* s) {
  const GValue* value = gst_structure_get_value(s, "streamheader");
  if (!value || !GST_VALUE_HOLDS_ARRAY(value) || gst_value_array_get_size(value) == 0) return {};
  const GValue* first = gst_value_array_get_value(value, 0);
  if (!GST_VALUE_HOLDS_BUFFER(first)) return {};
  return buffer_bytes(gst_value_get_buffer(first));
}

std::string string_field(const GstStructure* s, const char* field) {
  const gchar* value = gst_structure_get_string(s, field);
  return value ? value : "";
}

uint32_t positive_int(const GstStructure* s, const char* field) {
  gint value = 0;
  if (gst_structure_get_int(s, field, &value) && value > 0) return static_cast<uint32_t>(value);
  guint unsigned_value = 0;
  if (gst_structure_get_uint(s, field, &unsigned_value)) return unsigned_value;
  return 0;
}

// Picture fields every video caps may carry: size, colorimetry (→ ISO/IEC 23091-2 code points), pixel
// aspect ratio, interlacing, and the HDR mastering display and content light level. GStreamer caps carry no
// cropping, so no clean aperture comes from them (GstVideoCropMeta is per buffer).
void read_picture_fields(const GstCaps* caps, const GstStructure* s, CapsFormat& out) {
  aw::FormatDescription& f = out.format;
  f.width = positive_int(s, "width");
  f.height = positive_int(s, "height");
  if (f.width && f.height) out.natural_size = {f.width, f.height};

  GstVideoColorimetry colorimetry;
  const std::string text = string_field(s, "colorimetry");
  if (!text.empty() && gst_video_colorimetry_from_string(&colorimetry, text.c_str())) {
    aw::ColorDescription color;
    color.primaries = static_cast<uint16_t>(gst_video_color_primaries_to_iso(colorimetry.primaries));
    color.transfer = static_cast<uint16_t>(gst_video_transfer_function_to_iso(colorimetry.transfer));
    color.matrix = static_cast<uint16_t>(gst_video_color_matrix_to_iso(colorimetry.matrix));
    color.full_range = colorimetry.range == GST_VIDEO_COLOR_RANGE_0_255;
    // Unknown maps to 2 (unspecified) in each; a description of nothing but unknowns says nothing.
    if (color.primaries != 2 || color.transfer != 2 || color.matrix != 2) f.color = color;
  }

  gint par_n = 1, par_d = 1;
  if (gst_structure_get_fraction(s, "pixel-aspect-ratio", &par_n, &par_d) && par_n > 0 && par_d > 0) {
    f.pixel_aspect_h = static_cast<uint32_t>(par_n);
    f.pixel_aspect_v = static_cast<uint32_t>(par_d);
  }

  if (string_field(s, "interlace-mode") == "interleaved") {
    const std::string order = string_field(s, "field-order");
    if (order == "top-field-first") f.field_order = aw::FieldOrder::kTopFirst;
    if (order == "bottom-field-first") f.field_order = aw::FieldOrder::kBottomFirst;
  }

  GstVideoMasteringDisplayInfo mastering;
  if (gst_video_mastering_display_info_from_caps(&mastering, caps)) {
    aw::MasteringDisplay d;
    for (int i = 0; i < 3; ++i) d.primaries[i] = {mastering.display_primaries[i].x, mastering.display_primaries[i].y};
    d.white_point = {mastering.white_point.x, mastering.white_point.y};
    d.max_luminance = mastering.max_display_mastering_luminance;
    d.min_luminance = mastering.min_display_mastering_luminance;
    f.mastering_display = d;
  }
  GstVideoContentLightLevel light;
  if (gst_video_content_light_level_from_caps(&light, caps)) {
    f.content_light_level = aw::ContentLightLevel{light.max_content_light_level, light.max_frame_average_light_level};
  }
}

CapsFormat video(const GstCaps* caps, const GstStructure* s, aw::Codec codec) {
  CapsFormat out;
  out.media_type = aw::MediaType::kVideo;
  out.format.codec = codec;
  read_picture_fields(caps, s, out);
  return out;
}

// H.264 and H.265 share the shape: a length-prefixed stream-format with the parameter sets in codec_data
// (avc/hvc1), or one that repeats them in band (avc3/hev1), always one access unit per buffer because a
// sample is an access unit (ISO/IEC 14496-15 §4.3). In band without codec_data, the library builds the
// record from the first access unit's parameter sets.
aw::Result<CapsFormat> nal_video_format(const GstCaps* caps, const GstStructure* s, aw::Codec codec,
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
  CapsFormat out = video(caps, s, codec);
  out.format.parameter_sets_in_band = stream_format == in_band;
  out.format.configuration = codec_data(s);
  if (out.format.configuration.empty() && !out.format.parameter_sets_in_band) {
    return refuse(caps, "stream-format " + stream_format + " needs codec_data (the " + record + " record)");
  }
  return out;
}

aw::Result<CapsFormat> av1_format(const GstCaps* caps, const GstStructure* s) {
  const std::string stream_format = string_field(s, "stream-format");
  if (!stream_format.empty() && stream_format != "obu-stream") {
    return refuse(caps, "AV1 stream-format must be obu-stream (OBUs with their sizes), not " + stream_format);
  }
  const std::string alignment = string_field(s, "alignment");
  if (!alignment.empty() && alignment != "tu") return refuse(caps, "AV1 alignment must be tu: a sample is one temporal unit");
  CapsFormat out = video(caps, s, aw::Codec::kAv1);
  out.format.configuration = codec_data(s);  // an av1C when present; else built from the first temporal unit
  return out;
}

aw::Result<CapsFormat> vp9_format(const GstCaps* caps, const GstStructure* s) {
  CapsFormat out = video(caps, s, aw::Codec::kVp9);
  if (!out.format.width || !out.format.height) return refuse(caps, "VP9 needs width and height");
  const std::string profile = string_field(s, "profile");
  out.format.profile = profile.size() == 1 && profile[0] >= '0' && profile[0] <= '3' ? profile[0] - '0' : 0;
  out.format.bit_depth = positive_int(s, "bit-depth-luma");
  const std::string chroma = string_field(s, "chroma-format");
  if (chroma == "4:4:4") out.format.chroma_subsampling_x = out.format.chroma_subsampling_y = 0;
  if (chroma == "4:2:2") out.format.chroma_subsampling_y = 0;
  return out;
}

aw::Result<CapsFormat> prores_format(const GstCaps* caps, const GstStructure* s) {
  static const std::pair<const char*, aw::ProResVariant> kVariants[] = {
      {"proxy", aw::ProResVariant::kProxy}, {"lt", aw::ProResVariant::kLt}, {"standard", aw::ProResVariant::kStandard},
      {"hq", aw::ProResVariant::kHq},       {"4444", aw::ProResVariant::k4444}, {"4444xq", aw::ProResVariant::k4444Xq}};
  const std::string variant = string_field(s, "variant");
  CapsFormat out = video(caps, s, aw::Codec::kProRes);
  for (const auto& [name, value] : kVariants) {
    if (variant == name) {
      out.format.prores_variant = value;
      if (!out.format.width || !out.format.height) return refuse(caps, "ProRes needs width and height");
      return out;
    }
  }
  return refuse(caps, "ProRes variant must be proxy, lt, standard, hq, 4444 or 4444xq, not " +
                          (variant.empty() ? std::string("unset") : variant));
}

aw::Result<CapsFormat> jpeg_format(const GstCaps* caps, const GstStructure* s) {
  CapsFormat out = video(caps, s, aw::Codec::kJpeg);
  if (!out.format.width || !out.format.height) return refuse(caps, "JPEG needs width and height");
  return out;
}

CapsFormat audio(const GstStructure* s, aw::Codec codec) {
  CapsFormat out;
  out.media_type = aw::MediaType::kAudio;
  out.format.codec = codec;
  out.format.sample_rate = positive_int(s, "rate");
  out.format.channels = positive_int(s, "channels");
  return out;
}

aw::Result<CapsFormat> mpeg_audio_format(const GstCaps* caps, const GstStructure* s) {
  gint mpegversion = 0;
  gst_structure_get_int(s, "mpegversion", &mpegversion);
  if (mpegversion == 1) {
    gint layer = 0;
    if (!gst_structure_get_int(s, "layer", &layer) || layer != 3) {
      return refuse(caps, "MPEG-1 audio must be layer 3 (MP3)");
    }
    CapsFormat out = audio(s, aw::Codec::kMp3);
    if (!out.format.sample_rate || !out.format.channels) return refuse(caps, "MP3 needs rate and channels");
    return out;
  }
  if (mpegversion != 4) return refuse(caps, "audio/mpeg must be AAC (mpegversion 4) or MP3 (mpegversion 1, layer 3)");
  if (string_field(s, "stream-format") != "raw") {
    return refuse(caps, "AAC stream-format must be raw (no ADTS headers): the sample entry carries the config");
  }
  CapsFormat out = audio(s, aw::Codec::kAac);
  out.format.configuration = codec_data(s);
  if (out.format.configuration.empty()) {
    return refuse(caps, "raw AAC needs codec_data (the AudioSpecificConfig)");
  }
  return out;
}

aw::Result<CapsFormat> alac_format(const GstCaps* caps, const GstStructure* s) {
  CapsFormat out = audio(s, aw::Codec::kAlac);
  out.format.configuration = codec_data(s);
  if (out.format.configuration.empty()) return refuse(caps, "ALAC needs codec_data (the magic cookie)");
  return out;
}

// RFC 7845 5.1 OpusHead for a mapping family 0 stream that came without one.
std::vector<uint8_t> opus_head(uint32_t channels, uint32_t rate) {
  std::vector<uint8_t> head = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, static_cast<uint8_t>(channels), 0, 0};
  for (int shift = 0; shift < 32; shift += 8) head.push_back(static_cast<uint8_t>(rate >> shift));
  head.insert(head.end(), {0, 0, 0});  // output gain, mapping family 0
  return head;
}

aw::Result<CapsFormat> opus_format(const GstCaps* caps, const GstStructure* s) {
  CapsFormat out = audio(s, aw::Codec::kOpus);
  out.format.configuration = first_streamheader(s);
  if (out.format.configuration.empty()) out.format.configuration = codec_data(s);
  if (out.format.configuration.empty()) {
    gint family = 0;
    gst_structure_get_int(s, "channel-mapping-family", &family);
    if (family != 0 || out.format.channels == 0 || out.format.channels > 2) {
      return refuse(caps, "Opus with more than 2 channels needs its OpusHead (streamheader) for the channel mapping");
    }
    out.format.configuration = opus_head(out.format.channels, out.format.sample_rate ? out.format.sample_rate : 48000);
  }
  return out;
}

aw::Result<CapsFormat> flac_format(const GstCaps* caps, const GstStructure* s) {
  CapsFormat out = audio(s, aw::Codec::kFlac);
  gboolean framed = FALSE;
  if (!gst_structure_get_boolean(s, "framed", &framed) || !framed) {
    return refuse(caps, "FLAC must be framed (one frame per buffer, as flacparse gives)");
  }
  std::vector<uint8_t> header = first_streamheader(s);
  // The Ogg FLAC mapping's first packet: 0x7F "FLAC", version, header count, then "fLaC" and STREAMINFO.
  if (header.size() >= 13 && header[0] == 0x7f && std::memcmp(&header[1], "FLAC", 4) == 0) {
    header.erase(header.begin(), header.begin() + 9);
  }
  if (header.size() < 4 || std::memcmp(header.data(), "fLaC", 4) != 0) {
    return refuse(caps, "FLAC needs a streamheader with its STREAMINFO");
  }
  out.format.configuration = std::move(header);
  return out;
}

aw::Result<CapsFormat> ac3_format(const GstCaps* caps, const GstStructure* s, aw::Codec codec) {
  const std::string alignment = string_field(s, "alignment");
  if (!alignment.empty() && alignment != "frame") return refuse(caps, "AC-3 alignment must be frame");
  // dac3/dec3 come from the first frame, which the element hands to the library when the track starts.
  return audio(s, codec);
}

// Raw audio: interleaved integer or float samples in the formats the sample entries can describe.
aw::Result<CapsFormat> raw_audio_format(const GstCaps* caps, const GstStructure* s) {
  struct Layout {
    const char* name;
    aw::PcmLayout pcm;
  };
  static const Layout kLayouts[] = {
      {"S8", {8, false, true, true}},     {"U8", {8, false, true, false}},    {"S16LE", {16, false, true, true}},
      {"S16BE", {16, false, false, true}}, {"S24LE", {24, false, true, true}}, {"S24BE", {24, false, false, true}},
      {"S32LE", {32, false, true, true}}, {"S32BE", {32, false, false, true}}, {"F32LE", {32, true, true, true}},
      {"F32BE", {32, true, false, true}}, {"F64LE", {64, true, true, true}},   {"F64BE", {64, true, false, true}}};
  if (string_field(s, "layout") != "interleaved") return refuse(caps, "raw audio must be interleaved");
  const std::string format = string_field(s, "format");
  CapsFormat out = audio(s, aw::Codec::kPcm);
  if (!out.format.sample_rate || !out.format.channels) return refuse(caps, "raw audio needs rate and channels");
  for (const Layout& layout : kLayouts) {
    if (format == layout.name) {
      out.format.pcm = layout.pcm;
      return out;
    }
  }
  return refuse(caps, "raw audio format " + format + " cannot be stored (8/16/24/32-bit integers, 32/64-bit floats)");
}

}  // namespace

aw::Result<CapsFormat> caps_to_format(const GstCaps* caps) {
  if (!caps || gst_caps_get_size(caps) != 1 || !gst_caps_is_fixed(caps)) {
    return aw::Status(aw::ErrorCode::kInvalidArgument,
                      "refusing caps " + (caps ? caps_text(caps) : std::string("(null)")) + ": not fixed");
  }
  const GstStructure* s = gst_caps_get_structure(caps, 0);
  const std::string name = gst_structure_get_name(s);
  if (name == "video/x-h264") return nal_video_format(caps, s, aw::Codec::kH264, "avc", "avc3", "avcC");
  if (name == "video/x-h265") return nal_video_format(caps, s, aw::Codec::kHevc, "hvc1", "hev1", "hvcC");
  if (name == "video/x-av1") return av1_format(caps, s);
  if (name == "video/x-vp9") return vp9_format(caps, s);
  if (name == "video/x-prores") return prores_format(caps, s);
  if (name == "image/jpeg") return jpeg_format(caps, s);
  if (name == "audio/mpeg") return mpeg_audio_format(caps, s);
  if (name == "audio/x-alac") return alac_format(caps, s);
  if (name == "audio/x-opus") return opus_format(caps, s);
  if (name == "audio/x-flac") return flac_format(caps, s);
  if (name == "audio/x-ac3") return ac3_format(caps, s, aw::Codec::kAc3);
  if (name == "audio/x-eac3") return ac3_format(caps, s, aw::Codec::kEac3);
  if (name == "audio/x-raw") return raw_audio_format(caps, s);
  if (is_sparse_caps_name(name)) return sparse_caps_format(caps, s);
  return refuse(caps, "the writer takes " + codec_names(aw::MediaType::kVideo) + " video, " +
                          codec_names(aw::MediaType::kAudio) + " audio, text or timed metadata");
}

aw::Result<CapsFormat> caps_to_format_for(const GstCaps* caps, aw::FileType file_type) {
  auto format = caps_to_format(caps);
  if (!format) return format;
  if (aw::Status allowed = aw::check_codec_allowed(file_type, format->format); !allowed) {
    return refuse(caps, allowed.message());
  }
  return format;
}

}  // namespace gstaw
