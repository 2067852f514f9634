// make_track_format over every codec with the fuzz input as the configuration record and first sample, then
// the sample entry written for every file type that allows the codec: it must be one box whose size adds up.
// Input (see make_seeds.py track_format_seed): codec, flags, 16 bytes of picture/sound details, a 16-bit
// configuration length, the configuration, then the first sample.
#include "aw/format_description.h"
#include "boxes/sample_entries.h"
#include "codecs/track_format.h"
#include "fuzz_support.h"
#include "testing/box_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  aw::fuzz::Bytes in({data, size});
  aw::FormatDescription f;
  f.codec = static_cast<aw::Codec>(in.u8() % 16);  // every codec up to kMebx
  uint8_t flags = in.u8();
  f.parameter_sets_in_band = flags & 1;
  f.width = in.u16();
  f.height = in.u16();
  f.profile = in.u8();
  f.bit_depth = in.u8();
  f.chroma_subsampling_x = in.u8();
  f.chroma_subsampling_y = in.u8();
  f.sample_rate = in.u16() * ((flags & 2) ? 4u : 1u);
  f.channels = in.u8();
  f.pcm.bits_per_sample = in.u8();
  f.pcm.is_float = flags & 4;
  f.pcm.little_endian = flags & 8;
  f.pcm.is_signed = !(flags & 16);
  f.pixel_aspect_h = in.u8();
  f.pixel_aspect_v = in.u8();
  f.priming_samples = in.u16();
  f.prores_variant = static_cast<aw::ProResVariant>(f.profile % 6);
  if (flags & 32) {
    f.color = aw::ColorDescription{static_cast<uint16_t>(f.profile), static_cast<uint16_t>(f.bit_depth), 1,
                                   (flags & 64) != 0};
  }
  if (flags & 128) {
    f.clean_aperture = aw::CleanAperture{f.chroma_subsampling_x, f.chroma_subsampling_y, f.width, f.height};
    f.field_order = static_cast<aw::FieldOrder>(f.profile % 3);
    f.content_light_level = aw::ContentLightLevel{static_cast<uint16_t>(f.width), static_cast<uint16_t>(f.height)};
  }
  auto config = in.take(in.u16());
  f.configuration.assign(config.begin(), config.end());
  auto first = in.rest();
  f.first_sample.assign(first.begin(), first.end());
  // Timed metadata: one key named by the configuration bytes (an empty name must be refused).
  if (f.codec == aw::Codec::kMebx) {
    f.metadata_keys.push_back({aw::FourCC("mdta"), std::string(config.begin(), config.end()),
                               static_cast<aw::MetadataDataType>(f.profile)});
  }

  auto track = aw::make_track_format(f);
  if (!track) {
    AW_FUZZ_CHECK(!track.status().message().empty(), "error without a message");
    return 0;
  }
  AW_FUZZ_CHECK(track->codec == f.codec, "codec changed");
  AW_FUZZ_CHECK(track->media_type == aw::media_type_of(f.codec), "media type");
  for (int t = 0; t < 5; ++t) {
    auto file_type = static_cast<aw::FileType>(t);
    if (!aw::check_codec_allowed(file_type, f).is_ok()) continue;
    aw::BoxWriter w;
    aw::SampleEntryContext context{static_cast<uint16_t>(std::min<uint32_t>(track->width, 0xffff)),
                                   static_cast<uint16_t>(std::min<uint32_t>(track->height, 0xffff)),
                                   {}};
    aw::write_sample_entry(w, *track, file_type, context);
    std::vector<uint8_t> bytes = w.take();
    try {
      auto boxes = aw::test::parse_boxes(bytes, 0);
      AW_FUZZ_CHECK(boxes.size() == 1, "sample entry is " + std::to_string(boxes.size()) + " boxes");
      // The entry's own fields, then child boxes (the configuration box among them) that add up too.
      const auto& entry = boxes[0].payload;
      size_t fields = 78;
      if (track->media_type == aw::MediaType::kText) fields = 38;     // tx3g up to its default style
      if (track->media_type == aw::MediaType::kMetadata) fields = 8;  // mebx: the SampleEntry header
      if (track->media_type == aw::MediaType::kAudio) {
        uint16_t version = entry.size() >= 10 ? static_cast<uint16_t>(entry[8] << 8 | entry[9]) : 0;
        fields = version == 1 ? 44 : version == 2 ? 64 : 28;
      }
      AW_FUZZ_CHECK(entry.size() >= fields, "sample entry shorter than its fields");
      auto children = aw::test::children_of(boxes[0], fields);
      // QuickTime spells some entries its own way ('.mp3', 'lpcm', 'sowt') without a configuration box.
      if (track->config_box != aw::FourCC() && boxes[0].type == track->sample_entry.to_string()) {
        bool found = false;
        for (const auto& c : children) {
          found |= c.type == track->config_box.to_string();
          // QuickTime compressed audio keeps it in 'wave' (siDecompressionParam), a container.
          if (c.type == "wave") {
            for (const auto& w : c.children) found |= w.type == track->config_box.to_string();
          }
        }
        AW_FUZZ_CHECK(found, "no " + track->config_box.to_string() + " in " + boxes[0].type);
      }
    } catch (const std::exception& e) {
      aw::fuzz::violated(std::string("sample entry does not parse: ") + e.what());
    }
  }
  return 0;
}
