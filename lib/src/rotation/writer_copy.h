// A writer for one file of a rotation: a new AssetWriter with the prototype's settings, metadata, and copies of
// its inputs, groups and track associations.
#pragma once

#include <memory>
#include <string>

#include "aw/asset_writer.h"

namespace aw {

class WriterConfigurationCopy {
 public:
  // Not started; the copies of the prototype's inputs are the new writer's inputs(), in the same order.
  static Result<std::unique_ptr<AssetWriter>> make(const AssetWriter& prototype, std::string path);
  // Whether the prototype writes segments (no file), which a rotation cannot use.
  static bool writes_segments(const AssetWriter& prototype);
};

}  // namespace aw
