#include "convert/codec_caps.h"

#include <algorithm>

namespace gstaw {
namespace {

constexpr CodecCaps kTable[] = {
    {aw::Codec::kH264, "video/x-h264, stream-format = (string) { avc, avc3 }, alignment = (string) au"},
    {aw::Codec::kHevc, "video/x-h265, stream-format = (string) { hvc1, hev1 }, alignment = (string) au"},
    {aw::Codec::kAv1, "video/x-av1, stream-format = (string) obu-stream, alignment = (string) tu"},
    {aw::Codec::kVp9, "video/x-vp9"},
    {aw::Codec::kProRes, "video/x-prores, variant = (string) { proxy, lt, standard, hq, 4444, 4444xq }"},
    {aw::Codec::kJpeg, "image/jpeg"},
    {aw::Codec::kAac, "audio/mpeg, mpegversion = (int) 4, stream-format = (string) raw"},
    {aw::Codec::kMp3, "audio/mpeg, mpegversion = (int) 1, layer = (int) 3"},
    {aw::Codec::kAlac, "audio/x-alac"},
    {aw::Codec::kOpus, "audio/x-opus"},
    {aw::Codec::kFlac, "audio/x-flac, framed = (boolean) true"},
    {aw::Codec::kAc3, "audio/x-ac3"},
    {aw::Codec::kEac3, "audio/x-eac3"},
    {aw::Codec::kPcm,
     "audio/x-raw, format = (string) { S8, U8, S16LE, S16BE, S24LE, S24BE, S32LE, S32BE, F32LE, F32BE, F64LE, "
     "F64BE }, layout = (string) interleaved"},
    // Sparse streams: their buffers never hold the other pads back; see docs/text-and-metadata.md for the
    // application/x-metadata format.
    {aw::Codec::kTx3g, "text/x-raw, format = (string) { utf8, pango-markup }"},
    {aw::Codec::kMebx, "meta/x-klv"},
    {aw::Codec::kMebx, "application/x-metadata"},
};

}  // namespace

std::span<const CodecCaps> codec_caps_table() { return kTable; }

GstCaps* template_caps(aw::MediaType type) {
  GstCaps* caps = gst_caps_new_empty();
  for (const CodecCaps& row : kTable) {
    if (aw::media_type_of(row.codec) == type) gst_caps_append(caps, gst_caps_from_string(row.caps));
  }
  return caps;
}

std::string codec_names(aw::MediaType type) {
  std::vector<aw::Codec> codecs;
  for (const CodecCaps& row : kTable) {
    if (aw::media_type_of(row.codec) == type && std::find(codecs.begin(), codecs.end(), row.codec) == codecs.end()) {
      codecs.push_back(row.codec);
    }
  }
  return codec_names(codecs);
}

std::string codec_names(const std::vector<aw::Codec>& codecs, const char* conjunction) {
  std::string out;
  for (size_t i = 0; i < codecs.size(); ++i) {
    if (i > 0) out += i + 1 == codecs.size() ? std::string(" ") + conjunction + " " : std::string(", ");
    out += aw::to_string(codecs[i]);
  }
  return out;
}

std::string sink_description() {
  return "Writes " + codec_names(aw::MediaType::kVideo) + " video, " + codec_names(aw::MediaType::kAudio) +
         " audio, timed text (" + codec_names(aw::MediaType::kText) + ") and timed metadata (" +
         codec_names(aw::MediaType::kMetadata) + ") into a QuickTime or MP4 file the way AVAssetWriter does";
}

}  // namespace gstaw
