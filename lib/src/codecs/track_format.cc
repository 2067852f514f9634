#include "codecs/track_format.h"

#include "codecs/aac_config.h"
#include "codecs/avc_config.h"
#include "codecs/hevc_config.h"

namespace aw {
namespace {

Result<TrackFormat> make_avc(const FormatDescription& format) {
  AW_ASSIGN_OR_RETURN(AvcConfig config, parse_avc_config(format.configuration, format.parameter_sets_in_band));
  TrackFormat track;
  track.codec = Codec::kH264;
  track.media_type = MediaType::kVideo;
  // avc3 (14496-15 5.4.2.1) lets parameter sets change in band; avc1 requires them all in the avcC.
  track.sample_entry = format.parameter_sets_in_band ? FourCC("avc3") : FourCC("avc1");
  track.config_box = FourCC("avcC");
  track.config_payload = format.configuration;
  if (config.first_sps) {
    track.width = config.first_sps->width;
    track.height = config.first_sps->height;
  }
  track.nal_length_size = config.nal_length_size;
  track.codec_string = avc_codec_string(track.sample_entry, config);
  return track;
}

Result<TrackFormat> make_hevc(const FormatDescription& format) {
  AW_ASSIGN_OR_RETURN(HevcConfig config, parse_hevc_config(format.configuration, format.parameter_sets_in_band));
  TrackFormat track;
  track.codec = Codec::kHevc;
  track.media_type = MediaType::kVideo;
  track.sample_entry = format.parameter_sets_in_band ? FourCC("hev1") : FourCC("hvc1");
  track.config_box = FourCC("hvcC");
  track.config_payload = format.configuration;
  if (config.sps) {
    track.width = config.sps->width;
    track.height = config.sps->height;
  }
  track.nal_length_size = config.nal_length_size;
  track.codec_string = hevc_codec_string(track.sample_entry, config);
  return track;
}

Result<TrackFormat> make_aac(const FormatDescription& format) {
  AW_ASSIGN_OR_RETURN(AacConfig config, parse_aac_config(format.configuration));
  TrackFormat track;
  track.codec = Codec::kAac;
  track.media_type = MediaType::kAudio;
  track.sample_entry = FourCC("mp4a");
  track.config_box = FourCC("esds");
  track.config_payload = make_es_descriptor(format.configuration);
  // The core layer's values, as the AudioSpecificConfig states them first; for HE-AAC the decoder doubles
  // the rate (config.extension_sample_rate).
  track.sample_rate = config.sample_rate;
  track.channels = config.channels;
  track.samples_per_frame = config.samples_per_frame;
  track.codec_string = aac_codec_string(config);
  return track;
}

}  // namespace

Result<TrackFormat> make_track_format(const FormatDescription& format) {
  switch (format.codec) {
    case Codec::kH264:
      return make_avc(format);
    case Codec::kHevc:
      return make_hevc(format);
    case Codec::kAac:  // parameter_sets_in_band has no meaning for audio and is ignored
      return make_aac(format);
  }
  return Status(ErrorCode::kUnsupported, "unknown codec " + std::to_string(static_cast<int>(format.codec)));
}

}  // namespace aw
