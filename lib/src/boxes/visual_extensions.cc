#include "boxes/visual_extensions.h"

namespace aw {
namespace {

// SEI units (0.00002 chromaticity, 0.0001 cd/m²) to SmDm's fixed point: round(value * unit * 2^bits).
uint32_t rescale(uint64_t value, uint64_t per_unit, unsigned fraction_bits) {
  return static_cast<uint32_t>(((value << fraction_bits) + per_unit / 2) / per_unit);
}

}  // namespace

void write_colr(BoxWriter& w, const ColorDescription& color, FileType file_type) {
  bool quicktime = file_type == FileType::kQuickTimeMovie;
  w.box(FourCC("colr"), [&] {
    w.fourcc(quicktime ? FourCC("nclc") : FourCC("nclx"));
    w.u16(color.primaries);
    w.u16(color.transfer);
    w.u16(color.matrix);
    if (!quicktime) w.u8(color.full_range ? 0x80 : 0);
  });
}

void write_mdcv(BoxWriter& w, const MasteringDisplay& d) {
  w.box(FourCC("mdcv"), [&] {
    for (int i : {1, 2, 0}) {  // green, blue, red
      w.u16(d.primaries[i][0]);
      w.u16(d.primaries[i][1]);
    }
    w.u16(d.white_point[0]);
    w.u16(d.white_point[1]);
    w.u32(d.max_luminance);
    w.u32(d.min_luminance);
  });
}

void write_clli(BoxWriter& w, const ContentLightLevel& level) {
  w.box(FourCC("clli"), [&] {
    w.u16(level.max_content);
    w.u16(level.max_frame_average);
  });
}

void write_smdm(BoxWriter& w, const MasteringDisplay& d) {
  w.full_box(FourCC("SmDm"), 0, 0, [&] {
    for (int i : {0, 1, 2}) {  // red, green, blue
      w.u16(static_cast<uint16_t>(rescale(d.primaries[i][0], 50000, 16)));
      w.u16(static_cast<uint16_t>(rescale(d.primaries[i][1], 50000, 16)));
    }
    w.u16(static_cast<uint16_t>(rescale(d.white_point[0], 50000, 16)));
    w.u16(static_cast<uint16_t>(rescale(d.white_point[1], 50000, 16)));
    w.u32(rescale(d.max_luminance, 10000, 8));
    w.u32(rescale(d.min_luminance, 10000, 14));
  });
}

void write_coll(BoxWriter& w, const ContentLightLevel& level) {
  w.full_box(FourCC("CoLL"), 0, 0, [&] {
    w.u16(level.max_content);
    w.u16(level.max_frame_average);
  });
}

void write_pasp(BoxWriter& w, uint32_t h_spacing, uint32_t v_spacing) {
  w.box(FourCC("pasp"), [&] {
    w.u32(h_spacing);
    w.u32(v_spacing);
  });
}

void write_fiel(BoxWriter& w, FieldOrder order) {
  w.box(FourCC("fiel"), [&] {
    if (order == FieldOrder::kProgressive) {
      w.u8(1);
      w.u8(0);
    } else {
      // Two fields per picture; detail 1: top displayed earliest and stored first, 6: bottom (Apple TN2162;
      // FFmpeg reads them as tt and bb).
      w.u8(2);
      w.u8(order == FieldOrder::kTopFirst ? 1 : 6);
    }
  });
}

void write_clap(BoxWriter& w, const CleanAperture& a, uint32_t width, uint32_t height) {
  w.box(FourCC("clap"), [&] {
    w.u32(a.width);
    w.u32(1);
    w.u32(a.height);
    w.u32(1);
    // Offset of the aperture's centre from the picture's, in halves of a pixel.
    w.i32(static_cast<int32_t>(2 * int64_t{a.left} + a.width - width));
    w.u32(2);
    w.i32(static_cast<int32_t>(2 * int64_t{a.top} + a.height - height));
    w.u32(2);
  });
}

void write_btrt(BoxWriter& w, const Bitrates& bitrates) {
  w.box(FourCC("btrt"), [&] {
    w.u32(bitrates.buffer_size);
    w.u32(bitrates.max_bitrate);
    w.u32(bitrates.avg_bitrate);
  });
}

void write_visual_extensions(BoxWriter& w, const VisualExtensions& v, FileType file_type, uint32_t width,
                             uint32_t height, const Bitrates& bitrates) {
  const bool quicktime = file_type == FileType::kQuickTimeMovie;
  if (v.field_order != FieldOrder::kProgressive) write_fiel(w, v.field_order);
  if (v.color) write_colr(w, *v.color, file_type);
  if (v.mastering_display) quicktime ? write_smdm(w, *v.mastering_display) : write_mdcv(w, *v.mastering_display);
  if (v.content_light_level) {
    quicktime ? write_coll(w, *v.content_light_level) : write_clli(w, *v.content_light_level);
  }
  if (v.pixel_aspect_h && v.pixel_aspect_v && v.pixel_aspect_h != v.pixel_aspect_v) {
    write_pasp(w, v.pixel_aspect_h, v.pixel_aspect_v);
  }
  if (v.clean_aperture) write_clap(w, *v.clean_aperture, width, height);
  if (!quicktime && bitrates.avg_bitrate > 0) write_btrt(w, bitrates);
}

}  // namespace aw
