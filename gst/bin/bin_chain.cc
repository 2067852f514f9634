#include "bin/bin_chain.h"

#include <cstring>
#include <string>
#include <vector>

#include "aw/format_description.h"
#include "bin/output_settings_structure.h"
#include "convert/codec_caps.h"

namespace gstaw {
namespace {

aw::Status failed(aw::ErrorCode code, std::string message) { return aw::Status(code, std::move(message)); }

std::string caps_text(const GstCaps* caps) {
  gchar* s = gst_caps_to_string(caps);
  std::string out = s;
  g_free(s);
  return out;
}

constexpr BinCodec kBinCodecs[] = {
    {aw::Codec::kH264, "video/x-h264", "h264parse"},
    {aw::Codec::kHevc, "video/x-h265", "h265parse"},
    {aw::Codec::kAac, "audio/mpeg, mpegversion = (int) 4", "aacparse"},
};

std::optional<aw::Codec> encoded_codec(const GstCaps* caps) {
  for (const BinCodec& row : kBinCodecs) {
    GstCaps* row_caps = gst_caps_from_string(row.caps);
    const bool match = gst_caps_can_intersect(caps, row_caps);
    gst_caps_unref(row_caps);
    if (match) return row.codec;
  }
  return std::nullopt;
}

const char* parser_for(aw::Codec codec) {
  for (const BinCodec& row : kBinCodecs) {
    if (row.codec == codec) return row.parser;
  }
  return "identity";  // not reached: the bin encodes to and passes only the table's codecs
}

std::vector<aw::Codec> bin_codecs_of(std::optional<aw::MediaType> type) {
  std::vector<aw::Codec> codecs;
  for (const BinCodec& row : kBinCodecs) {
    if (!type || aw::media_type_of(row.codec) == *type) codecs.push_back(row.codec);
  }
  return codecs;
}

// The sink takes access units with their configuration record in caps (avc/hvc1/raw AAC with codec_data)
// or parameter sets in band (avc3/hev1); anything else (byte-stream, ADTS, no codec_data) needs a parser.
bool sink_takes_as_is(GstPad* sink_pad, const GstCaps* caps) {
  GstCaps* templ = gst_pad_get_pad_template_caps(sink_pad);
  const bool in_template = gst_caps_is_subset(caps, templ);
  gst_caps_unref(templ);
  if (!in_template) return false;
  const GstStructure* s = gst_caps_get_structure(caps, 0);
  const char* format = gst_structure_get_string(s, "stream-format");
  const bool in_band = format && (std::strcmp(format, "avc3") == 0 || std::strcmp(format, "hev1") == 0);
  return in_band || gst_structure_has_field(s, "codec_data");
}

class Chain {
 public:
  explicit Chain(GstBin* bin) : bin_(bin) {}
  ~Chain() {
    // Elements of a chain that failed half-way: never added to the bin, or removed again.
    for (GstElement* e : elements_) {
      if (!committed_) {
        gst_element_set_state(e, GST_STATE_NULL);
        gst_bin_remove(bin_, e);
      }
    }
  }
  Chain(const Chain&) = delete;
  Chain& operator=(const Chain&) = delete;

  GstElement* add(const char* factory) {
    GstElement* e = gst_element_factory_make(factory, nullptr);
    if (e) add_element(e);
    return e;
  }
  void add_element(GstElement* e) {
    gst_bin_add(bin_, e);
    elements_.push_back(e);
  }
  GstElement* capsfilter(GstCaps* caps) {
    GstElement* e = add("capsfilter");
    if (e) g_object_set(e, "caps", caps, nullptr);
    gst_caps_unref(caps);
    return e;
  }
  aw::Status link_to(GstPad* sink_pad) {
    for (size_t i = 1; i < elements_.size(); ++i) {
      if (!gst_element_link(elements_[i - 1], elements_[i])) {
        return failed(aw::ErrorCode::kUnsupported, std::string("cannot link ") + GST_OBJECT_NAME(elements_[i - 1]) +
                                                       " to " + GST_OBJECT_NAME(elements_[i]));
      }
    }
    if (elements_.empty()) return aw::Status::ok();
    GstPad* src = gst_element_get_static_pad(elements_.back(), "src");
    const GstPadLinkReturn ret = gst_pad_link(src, sink_pad);
    gst_object_unref(src);
    if (ret != GST_PAD_LINK_OK) {
      return failed(aw::ErrorCode::kUnsupported, std::string("cannot link ") + GST_OBJECT_NAME(elements_.back()) +
                                                     " to the writer: " + gst_pad_link_get_name(ret));
    }
    return aw::Status::ok();
  }
  // Starts the elements downstream first so none pushes into a stopped neighbour.
  aw::Status start() {
    for (auto it = elements_.rbegin(); it != elements_.rend(); ++it) {
      if (!gst_element_sync_state_with_parent(*it)) {
        return failed(aw::ErrorCode::kUnsupported, std::string("cannot start ") + GST_OBJECT_NAME(*it));
      }
    }
    return aw::Status::ok();
  }
  GstPad* first_sink_pad() const {
    return elements_.empty() ? nullptr : gst_element_get_static_pad(elements_.front(), "sink");
  }
  std::vector<GstElement*> commit() {
    committed_ = true;
    return elements_;
  }

 private:
  GstBin* bin_;
  std::vector<GstElement*> elements_;
  bool committed_ = false;
};

aw::Status missing_element(const char* factory) {
  return failed(aw::ErrorCode::kUnsupported, std::string("the element ") + factory + " is not installed");
}

aw::Status add_raw_chain(Chain& chain, const aw::OutputSettings& settings, const EncoderChoice& encoder, bool live) {
  GstElement* queue = chain.add("queue");
  if (!queue) return missing_element("queue");
  // Live: never block the source; drop the oldest raw frames when the encoder or the disk falls behind.
  // Not live: a thread boundary with room for the encoder's lookahead; a full queue paces the source.
  g_object_set(queue, "max-size-buffers", 0u, "max-size-bytes", 0u, "max-size-time",
               static_cast<guint64>((live ? 1 : 3) * GST_SECOND), nullptr);
  if (live) gst_util_set_object_arg(G_OBJECT(queue), "leaky", "downstream");
  const bool video = aw::media_type_of(settings.codec) == aw::MediaType::kVideo;
  for (const char* factory : video ? std::vector<const char*>{"videoconvert", "videoscale"}
                                   : std::vector<const char*>{"audioconvert", "audioresample"}) {
    if (!chain.add(factory)) return missing_element(factory);
  }
  GstCaps* raw = raw_caps(settings, encoder.raw_format.c_str());
  if (video && (settings.width || settings.height)) {
    // Square pixels: a different aspect ratio gets borders rather than stretched pixels.
    gst_caps_set_simple(raw, "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, nullptr);
  }
  if (!chain.capsfilter(raw)) return missing_element("capsfilter");
  GstElement* e = make_encoder(encoder);
  if (!e) return missing_element(encoder.factory.c_str());
  chain.add_element(e);
  if (settings.profile && !chain.capsfilter(encoded_caps(settings))) return missing_element("capsfilter");
  const char* parser = parser_for(settings.codec);
  if (!chain.add(parser)) return missing_element(parser);
  return aw::Status::ok();
}

// Raw input without settings is encoded to H.264 or AAC at the encoder's defaults.
aw::OutputSettings settings_or_defaults(const std::optional<aw::OutputSettings>& settings, aw::MediaType media_type) {
  if (settings) return *settings;
  aw::OutputSettings defaults;
  defaults.codec = media_type == aw::MediaType::kVideo ? aw::Codec::kH264 : aw::Codec::kAac;
  return defaults;
}

}  // namespace

std::span<const BinCodec> bin_codecs() { return kBinCodecs; }

GstCaps* preferred_pad_caps(GstPadTemplate* templ, const std::optional<aw::OutputSettings>& settings,
                            aw::MediaType media_type, aw::FileType file_type, EncoderSpeed speed) {
  GstCaps* caps = gst_caps_new_empty();
  if (auto encoder = plan_encoding(settings, media_type, file_type, speed); encoder.is_ok()) {
    gst_caps_append(caps, raw_caps(settings_or_defaults(settings, media_type), encoder->raw_format.c_str()));
  }
  gst_caps_append(caps, gst_pad_template_get_caps(templ));
  return caps;
}

GstCaps* bin_template_caps(aw::MediaType type) {
  GstCaps* caps = gst_caps_from_string(type == aw::MediaType::kVideo ? "video/x-raw" : "audio/x-raw");
  for (const BinCodec& row : kBinCodecs) {
    if (aw::media_type_of(row.codec) == type) gst_caps_append(caps, gst_caps_from_string(row.caps));
  }
  return caps;
}

std::string bin_description() {
  return "Encodes raw video (to " + codec_names(bin_codecs_of(aw::MediaType::kVideo), "or") + ") and audio (to " +
         codec_names(bin_codecs_of(aw::MediaType::kAudio), "or") + ") by output settings or presets, and takes " +
         codec_names(bin_codecs_of(std::nullopt)) +
         " streams as they are, into a QuickTime or MP4 file, like AVAssetWriter with output settings";
}

bool is_raw(const GstCaps* caps) {
  if (gst_caps_is_empty(caps) || gst_caps_is_any(caps)) return false;
  const GstStructure* s = gst_caps_get_structure(caps, 0);
  return gst_structure_has_name(s, "video/x-raw") || gst_structure_has_name(s, "audio/x-raw");
}

aw::Result<EncoderChoice> plan_encoding(const std::optional<aw::OutputSettings>& settings, aw::MediaType media_type,
                                        aw::FileType file_type, EncoderSpeed speed) {
  const aw::OutputSettings s = settings_or_defaults(settings, media_type);
  const std::string where = "output-settings \"" + settings_to_string(s) + "\"" + (settings ? "" : " (the default)");
  if (aw::Status status = aw::check_output_settings(s, media_type, file_type); !status) {
    return status.with_context(where);
  }
  auto choice = choose_encoder(s, speed);
  if (!choice) return choice.status().with_context(where);
  return choice;
}

namespace {

// `period` in frames at the caps' frame rate, rounded; empty without a frame rate.
std::optional<uint32_t> frames_in(const GstCaps* caps, GstClockTime period) {
  gint num = 0, den = 0;
  if (period == 0 || !GST_CLOCK_TIME_IS_VALID(period) ||
      !gst_structure_get_fraction(gst_caps_get_structure(caps, 0), "framerate", &num, &den) || num <= 0 || den <= 0) {
    return std::nullopt;
  }
  const guint64 frames = gst_util_uint64_scale_round(period, static_cast<guint64>(num), GST_SECOND * den);
  if (frames == 0 || frames > G_MAXINT32) return std::nullopt;
  return static_cast<uint32_t>(frames);
}

// The encoder for raw input. Video without a keyframe interval of its own gets the writer's interval in
// frames (x264enc/x265enc key-int-max, gop-size, ...), unless no encoder can take one: then the keyframe
// requests the sink sends upstream are what places keyframes.
aw::Result<EncoderChoice> plan_raw(const ChainOptions& options, aw::MediaType media_type, const GstCaps* caps,
                                   aw::OutputSettings& s) {
  const EncoderSpeed speed = options.live ? EncoderSpeed::kRealTime : options.speed;
  const std::optional<uint32_t> frames = frames_in(caps, options.key_frame_period);
  if (media_type == aw::MediaType::kVideo && frames && !s.key_frame_interval) {
    aw::OutputSettings with_interval = s;
    with_interval.key_frame_interval = *frames;
    if (auto choice = plan_encoding(with_interval, media_type, options.file_type, speed)) {
      s = with_interval;
      return choice;
    }
  }
  return plan_encoding(options.settings ? std::optional(s) : std::nullopt, media_type, options.file_type, speed);
}

}  // namespace

aw::Status plug_chain(GstBin* bin, GstAssetWriterBinPad* pad, const GstCaps* caps, const ChainOptions& options) {
  BinPadState& st = bin_pad_state(pad);
  Chain chain(bin);
  if (is_raw(caps)) {
    aw::OutputSettings s = options.settings.value_or(aw::OutputSettings{});
    if (!options.settings) s.codec = st.media_type == aw::MediaType::kVideo ? aw::Codec::kH264 : aw::Codec::kAac;
    auto encoder = plan_raw(options, st.media_type, caps, s);
    if (!encoder) return encoder.status();
    AW_RETURN_IF_ERROR(add_raw_chain(chain, s, *encoder, options.live));
  } else {
    auto codec = encoded_codec(caps);
    if (!codec || aw::media_type_of(*codec) != st.media_type) {
      return failed(aw::ErrorCode::kUnsupported,
                    "cannot write " + caps_text(caps) + " on a " + aw::to_string(st.media_type) + " pad");
    }
    AW_RETURN_IF_ERROR(aw::check_codec_allowed(options.file_type, *codec));
    if (options.settings && options.settings->codec != *codec) {
      return failed(aw::ErrorCode::kUnsupported, std::string("the input is already encoded as ") +
                                                     aw::to_string(*codec) + " but the output settings ask for " +
                                                     aw::to_string(options.settings->codec) +
                                                     "; encoded input is written as it is (no transcoding)");
    }
    if (!sink_takes_as_is(st.sink_pad, caps) && !chain.add(parser_for(*codec))) {
      return missing_element(parser_for(*codec));
    }
  }
  AW_RETURN_IF_ERROR(chain.link_to(st.sink_pad));
  AW_RETURN_IF_ERROR(chain.start());
  GstPad* target = chain.first_sink_pad();
  const bool ok = gst_ghost_pad_set_target(GST_GHOST_PAD(pad), target ? target : st.sink_pad);
  if (target) gst_object_unref(target);
  if (!ok) return failed(aw::ErrorCode::kUnsupported, "cannot point the pad at its chain");
  st.chain = chain.commit();
  return aw::Status::ok();
}

}  // namespace gstaw
