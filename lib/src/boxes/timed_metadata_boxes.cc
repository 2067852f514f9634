#include "boxes/timed_metadata_boxes.h"

#include <limits>
#include <string>

#include "aw/text_and_metadata.h"

namespace aw {

void write_mebx_entry(BoxWriter& w, std::span<const TimedMetadataKey> keys) {
  w.box(FourCC("mebx"), [&] {
    w.zeros(6);  // SampleEntry reserved
    w.u16(1);    // data_reference_index
    w.box(FourCC("keys"), [&] {
      for (size_t i = 0; i < keys.size(); ++i) {
        // The atom's type is the key's local id: samples hold its values in atoms of the same type.
        w.box(FourCC(static_cast<uint32_t>(i + 1)), [&] {
          w.box(FourCC("keyd"), [&] {
            w.fourcc(keys[i].key_namespace);
            w.text(keys[i].key);
          });
          if (keys[i].data_type == MetadataDataType::kRaw) return;
          w.box(FourCC("dtyp"), [&] {
            w.u32(0);  // datatype namespace 0: a well-known type follows
            w.u32(static_cast<uint32_t>(keys[i].data_type));
          });
        });
      }
    });
  });
}

Status check_metadata_keys(std::span<const TimedMetadataKey> keys) {
  if (keys.empty()) return Status(ErrorCode::kInvalidArgument, "a timed metadata track needs at least one key");
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].key.empty()) {
      return Status(ErrorCode::kInvalidArgument, "timed metadata key " + std::to_string(i) + " has an empty name");
    }
  }
  return Status::ok();
}

Result<std::vector<uint8_t>> make_metadata_sample(std::span<const TimedMetadataValue> values, size_t key_count) {
  BoxWriter w;
  if (values.empty()) {
    // An atom whose type names no key: readers skip it (QTFF "Unreferenced or NULL timed metadata sample data").
    w.box(FourCC(uint32_t{0}), [] {});
    return w.take();
  }
  for (const TimedMetadataValue& v : values) {
    if (v.key_index >= key_count) {
      return Status(ErrorCode::kInvalidArgument, "timed metadata value for key " + std::to_string(v.key_index) +
                                                     ", but the track has " + std::to_string(key_count) + " keys");
    }
    if (v.value.size() > std::numeric_limits<uint32_t>::max() - 8) {
      return Status(ErrorCode::kInvalidArgument, "timed metadata value over 4 GiB");
    }
    w.box(FourCC(static_cast<uint32_t>(v.key_index + 1)), [&] { w.bytes(v.value); });
  }
  return w.take();
}

}  // namespace aw
