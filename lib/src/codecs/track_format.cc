#include "codecs/track_format.h"

#include "boxes/timed_metadata_boxes.h"
#include "codecs/aac_config.h"
#include "codecs/audio_configs.h"
#include "codecs/av1_config.h"
#include "codecs/avc_config.h"
#include "codecs/hevc_config.h"
#include "codecs/in_band_config.h"
#include "codecs/pcm_format.h"
#include "codecs/video_configs.h"

namespace aw {
namespace {

Status malformed(std::string message) { return {ErrorCode::kMalformedConfig, std::move(message)}; }

TrackFormat video_track(const FormatDescription& format, FourCC entry, FourCC config_box, std::string name) {
  TrackFormat track;
  track.codec = format.codec;
  track.media_type = MediaType::kVideo;
  track.sample_entry = entry;
  track.config_box = config_box;
  track.compressor_name = std::move(name);
  track.width = format.width;
  track.height = format.height;
  track.visual = {format.color,          format.mastering_display, format.content_light_level, format.pixel_aspect_h,
                  format.pixel_aspect_v, format.field_order,       format.clean_aperture};
  return track;
}

Result<TrackFormat> make_avc(const FormatDescription& format) {
  std::vector<uint8_t> record = format.configuration;
  // In band, a record without an SPS (h264parse's avc3 codec_data has none) or no record at all is built from
  // the first access unit, so the entry states the profile, level and picture size.
  if (format.parameter_sets_in_band && !format.first_sample.empty()) {
    auto given = parse_avc_config(record, true);
    if (record.empty() || (given.is_ok() && !given->first_sps)) {
      if (auto built = avc_record_from_access_unit(format.first_sample); built.is_ok()) record = std::move(built).value();
    }
  }
  AW_ASSIGN_OR_RETURN(AvcConfig config, parse_avc_config(record, format.parameter_sets_in_band));
  // avc3 (14496-15 5.4.2.1) lets parameter sets change in band; avc1 requires them all in the avcC.
  TrackFormat track = video_track(format, format.parameter_sets_in_band ? FourCC("avc3") : FourCC("avc1"),
                                  FourCC("avcC"), "AVC Coding");
  track.config_payload = with_high_profile_extension(std::move(record), config);
  if (config.first_sps) {
    track.width = config.first_sps->width;
    track.height = config.first_sps->height;
  }
  track.nal_length_size = config.nal_length_size;
  track.codec_string = avc_codec_string(track.sample_entry, config);
  return track;
}

Result<TrackFormat> make_hevc(const FormatDescription& format) {
  std::vector<uint8_t> record = format.configuration;
  // In band, a record without an SPS (h264parse's avc3 codec_data has none) or no record at all is built from
  // the first access unit, so the entry states the profile, level and picture size.
  if (format.parameter_sets_in_band && !format.first_sample.empty()) {
    auto given = parse_hevc_config(record, true);
    if (record.empty() || (given.is_ok() && !given->sps)) {
      if (auto built = hevc_record_from_access_unit(format.first_sample); built.is_ok()) record = std::move(built).value();
    }
  }
  AW_ASSIGN_OR_RETURN(HevcConfig config, parse_hevc_config(record, format.parameter_sets_in_band));
  TrackFormat track = video_track(format, format.parameter_sets_in_band ? FourCC("hev1") : FourCC("hvc1"),
                                  FourCC("hvcC"), "HEVC Coding");
  track.config_payload = std::move(record);
  if (config.sps) {
    track.width = config.sps->width;
    track.height = config.sps->height;
  }
  track.nal_length_size = config.nal_length_size;
  track.codec_string = hevc_codec_string(track.sample_entry, config);
  return track;
}

Result<TrackFormat> make_av1(const FormatDescription& format) {
  AW_ASSIGN_OR_RETURN(Av1Config config, make_av1_config(format.configuration, format.first_sample));
  TrackFormat track = video_track(format, FourCC("av01"), FourCC("av1C"), "AV1 Coding");
  track.config_payload = std::move(config.record);
  track.width = config.sequence_header.width;
  track.height = config.sequence_header.height;
  track.codec_string = av1_codec_string(config.sequence_header);
  // The sequence header's colour description is the stream's own; the caller's wins when given.
  const Av1SequenceHeader& h = config.sequence_header;
  if (!track.visual.color && h.color_description_present) {
    track.visual.color = ColorDescription{h.color_primaries, h.transfer_characteristics, h.matrix_coefficients,
                                          h.full_range};
  }
  return track;
}

Result<TrackFormat> make_vp9(const FormatDescription& format) {
  AW_ASSIGN_OR_RETURN(std::vector<uint8_t> payload, make_vpcc(format));
  TrackFormat track = video_track(format, FourCC("vp09"), FourCC("vpcC"), "VP9 Coding");
  track.config_payload = std::move(payload);
  track.codec_string = vp9_codec_string(track.config_payload);
  return track;
}

Result<TrackFormat> make_prores(const FormatDescription& format) {
  AW_ASSIGN_OR_RETURN(ProResInfo info, prores_info(format.prores_variant));
  TrackFormat track = video_track(format, info.sample_entry, FourCC(), info.name);
  track.codec_string = info.sample_entry.to_string();
  return track;
}

Result<TrackFormat> make_jpeg(const FormatDescription& format) {
  // 'jpeg' (QuickTime's Photo-JPEG), which FFmpeg writes for MJPEG in mov and reads from mp4 as well.
  TrackFormat track = video_track(format, FourCC("jpeg"), FourCC(), "Photo - JPEG");
  track.codec_string = "jpeg";
  return track;
}

TrackFormat audio_track(Codec codec, FourCC entry, FourCC config_box, const AudioConfig& config) {
  TrackFormat track;
  track.codec = codec;
  track.media_type = MediaType::kAudio;
  track.sample_entry = entry;
  track.config_box = config_box;
  track.config_payload = config.box_payload;
  track.sample_rate = config.sample_rate;
  track.channels = config.channels;
  track.bits_per_sample = config.bits_per_sample;
  track.samples_per_frame = config.samples_per_frame;
  track.priming_samples = config.priming_samples;
  return track;
}

// Prepends a FullBox's version 0 and zero flags to a payload.
std::vector<uint8_t> full_box_v0(std::vector<uint8_t> payload) {
  payload.insert(payload.begin(), 4, 0);
  return payload;
}

Result<TrackFormat> make_aac(const FormatDescription& format) {
  AW_ASSIGN_OR_RETURN(AacConfig config, parse_aac_config(format.configuration));
  TrackFormat track;
  track.codec = Codec::kAac;
  track.media_type = MediaType::kAudio;
  track.sample_entry = FourCC("mp4a");
  track.config_box = FourCC("esds");
  track.config_payload = make_es_descriptor(format.configuration);
  track.esds_object_type = kObjectTypeAac;
  track.decoder_specific_info = format.configuration;
  // The core layer's values, as the AudioSpecificConfig states them first; for HE-AAC the decoder doubles
  // the rate (config.extension_sample_rate).
  track.sample_rate = config.sample_rate;
  track.channels = config.channels;
  track.samples_per_frame = config.samples_per_frame;
  track.codec_string = aac_codec_string(config);
  return track;
}

Result<TrackFormat> make_mp3(const FormatDescription& format) {
  if (format.sample_rate == 0 || format.channels == 0) {
    return Status(ErrorCode::kInvalidArgument, "MP3 needs the sample rate and channel count");
  }
  TrackFormat track;
  track.codec = Codec::kMp3;
  track.media_type = MediaType::kAudio;
  // ISO files: mp4a with objectTypeIndication 0x6B (14496-1 Table 5), as FFmpeg writes; QuickTime has its own
  // '.mp3' entry (sample_entries.cc picks it).
  track.sample_entry = FourCC("mp4a");
  track.config_box = FourCC("esds");
  track.esds_object_type = kObjectTypeMp3;
  track.config_payload = make_es_descriptor({}, {}, kObjectTypeMp3);
  track.sample_rate = format.sample_rate;
  track.channels = format.channels;
  track.samples_per_frame = format.sample_rate < 32000 ? 576 : 1152;  // MPEG-2/2.5 layer 3 frames are half
  track.codec_string = "mp4a.6b";
  return track;
}

Result<TrackFormat> make_audio(const FormatDescription& format) {
  switch (format.codec) {
    case Codec::kAlac: {
      AW_ASSIGN_OR_RETURN(AudioConfig c, make_alac_config(format.configuration));
      TrackFormat t = audio_track(Codec::kAlac, FourCC("alac"), FourCC("alac"), c);
      t.config_payload = full_box_v0(std::move(t.config_payload));
      t.codec_string = "alac";
      return t;
    }
    case Codec::kOpus: {
      AW_ASSIGN_OR_RETURN(AudioConfig c, make_opus_config(format.configuration));
      TrackFormat t = audio_track(Codec::kOpus, FourCC("Opus"), FourCC("dOps"), c);
      if (format.priming_samples) t.priming_samples = format.priming_samples;
      t.codec_string = "opus";
      return t;
    }
    case Codec::kFlac: {
      AW_ASSIGN_OR_RETURN(AudioConfig c, make_flac_config(format.configuration));
      TrackFormat t = audio_track(Codec::kFlac, FourCC("fLaC"), FourCC("dfLa"), c);
      t.config_payload = full_box_v0(std::move(t.config_payload));
      t.codec_string = "flac";
      return t;
    }
    case Codec::kAc3: {
      if (format.first_sample.empty()) return malformed("AC-3 needs its first frame to build the dac3");
      AW_ASSIGN_OR_RETURN(AudioConfig c, make_ac3_config(format.first_sample));
      TrackFormat t = audio_track(Codec::kAc3, FourCC("ac-3"), FourCC("dac3"), c);
      t.codec_string = "ac-3";
      return t;
    }
    case Codec::kEac3: {
      if (format.first_sample.empty()) return malformed("E-AC-3 needs its first frame to build the dec3");
      AW_ASSIGN_OR_RETURN(AudioConfig c, make_eac3_config(format.first_sample));
      TrackFormat t = audio_track(Codec::kEac3, FourCC("ec-3"), FourCC("dec3"), c);
      t.codec_string = "ec-3";
      return t;
    }
    default:
      break;
  }
  return Status(ErrorCode::kUnsupported, std::string("no audio configuration for ") + to_string(format.codec));
}

Result<TrackFormat> make_sparse(const FormatDescription& format) {
  TrackFormat track;
  track.codec = format.codec;
  track.media_type = media_type_of(format.codec);
  if (format.codec == Codec::kTx3g) {
    track.sample_entry = FourCC("tx3g");
    track.codec_string = "tx3g";
    return track;
  }
  AW_RETURN_IF_ERROR(check_metadata_keys(format.metadata_keys));
  track.sample_entry = FourCC("mebx");
  track.metadata_keys = format.metadata_keys;
  track.codec_string = "mebx";
  return track;
}

}  // namespace

namespace {

Result<TrackFormat> make_codec_track_format(const FormatDescription& format) {
  switch (format.codec) {
    case Codec::kH264:
      return make_avc(format);
    case Codec::kHevc:
      return make_hevc(format);
    case Codec::kAv1:
      return make_av1(format);
    case Codec::kVp9:
      return make_vp9(format);
    case Codec::kProRes:
      return make_prores(format);
    case Codec::kJpeg:
      return make_jpeg(format);
    case Codec::kAac:  // parameter_sets_in_band has no meaning for audio and is ignored
      return make_aac(format);
    case Codec::kMp3:
      return make_mp3(format);
    case Codec::kPcm:
      return make_pcm_track(format);
    case Codec::kAlac:
    case Codec::kOpus:
    case Codec::kFlac:
    case Codec::kAc3:
    case Codec::kEac3:
      return make_audio(format);
    case Codec::kTx3g:
    case Codec::kMebx:
      return make_sparse(format);
  }
  return Status(ErrorCode::kUnsupported, "unknown codec " + std::to_string(static_cast<int>(format.codec)));
}

}  // namespace

Result<TrackFormat> make_track_format(const FormatDescription& format) {
  AW_ASSIGN_OR_RETURN(TrackFormat track, make_codec_track_format(format));
  // The caller's encoder delay (AAC priming from the encoder) unless the configuration itself states one
  // (Opus pre-skip).
  if (track.priming_samples == 0) track.priming_samples = format.priming_samples;
  return track;
}

std::span<const uint8_t> stored_payload(const TrackFormat& format, std::span<const uint8_t> sample) {
  return format.codec == Codec::kAv1 ? without_temporal_delimiters(sample) : sample;
}

}  // namespace aw
