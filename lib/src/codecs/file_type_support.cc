#include "codecs/file_type_support.h"

#include <string>

namespace aw {
namespace {

Status refuse(Codec codec, const std::string& what, FileType file_type) {
  return Status(ErrorCode::kUnsupported,
                std::string(to_string(codec)) + " needs " + what + ", not " + to_string(file_type));
}

// What Apple's m4v accepts (AVFileTypeAppleM4V): the codecs of iTunes video.
bool in_m4v(Codec codec) {
  switch (codec) {
    case Codec::kH264:
    case Codec::kHevc:
    case Codec::kAac:
    case Codec::kAlac:
    case Codec::kAc3:
    case Codec::kEac3:
    case Codec::kMp3:
    case Codec::kTx3g:  // iTunes subtitles and chapters
    case Codec::kMebx:
      return true;
    default:
      return false;
  }
}

// 3GPP TS 26.244: H.264 and AAC among what this writer knows (3GPP readers and 3gppmux have no H.265), and
// 3GPP timed text (TS 26.245).
bool in_3gp(Codec codec) { return codec == Codec::kH264 || codec == Codec::kAac || codec == Codec::kTx3g; }

}  // namespace

Status check_codec_allowed(FileType file_type, Codec codec) {
  if (file_type == FileType::kQuickTimeMovie) return Status::ok();
  if (codec == Codec::kProRes) return refuse(codec, "a QuickTime movie (.mov)", file_type);
  switch (file_type) {
    case FileType::kQuickTimeMovie:
    case FileType::kMpeg4:
      return Status::ok();
    case FileType::kAppleM4A:
      if (media_type_of(codec) != MediaType::kAudio) {
        return Status(ErrorCode::kUnsupported, std::string("an .m4a file holds audio only, not ") + to_string(codec));
      }
      if (codec == Codec::kPcm) return refuse(codec, "a QuickTime movie (.mov) or mp4 (ipcm)", file_type);
      return Status::ok();
    case FileType::kAppleM4V:
      return in_m4v(codec) ? Status::ok() : refuse(codec, "mp4 or a QuickTime movie (.mov)", file_type);
    case FileType::k3Gpp:
      if (in_3gp(codec)) return Status::ok();
      return Status(ErrorCode::kUnsupported, std::string(to_string(codec)) +
                                                 " is not a 3GPP codec: use mp4 or a QuickTime movie (.mov), not 3gp");
  }
  return Status::ok();
}

Status check_codec_allowed(FileType file_type, const FormatDescription& format) {
  AW_RETURN_IF_ERROR(check_codec_allowed(file_type, format.codec));
  // ipcm (ISO/IEC 23003-5) has signed integers only.
  if (format.codec == Codec::kPcm && file_type != FileType::kQuickTimeMovie && !format.pcm.is_float &&
      !format.pcm.is_signed) {
    return Status(ErrorCode::kUnsupported, std::string("unsigned 8-bit PCM needs a QuickTime movie (.mov), not ") +
                                               to_string(file_type));
  }
  return Status::ok();
}

bool needs_first_sample(const FormatDescription& format) {
  switch (format.codec) {
    case Codec::kAc3:
    case Codec::kEac3:
      return true;
    case Codec::kAv1:
      return format.configuration.size() <= 4;  // no av1C, or one without its sequence header OBU
    case Codec::kH264:
    case Codec::kHevc:
      // In band the record may lack parameter sets (h264parse's avc3 codec_data has none); the first access
      // unit has them.
      return format.parameter_sets_in_band;
    default:
      return false;
  }
}

}  // namespace aw
