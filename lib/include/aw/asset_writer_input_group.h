// AssetWriterInputGroup mirrors AVAssetWriterInputGroup: inputs whose tracks are alternatives to each
// other (e.g. the same audio in several languages). They share an alternate group in tkhd and only the
// default input's track is enabled, so a player plays one of them.
#pragma once

#include <memory>
#include <vector>

#include "aw/asset_writer_input.h"

namespace aw {

class AssetWriterInputGroup {
 public:
  // `default_input` may be null (every track of the group disabled) or one of `inputs`.
  static std::shared_ptr<AssetWriterInputGroup> create(std::vector<std::shared_ptr<AssetWriterInput>> inputs,
                                                      std::shared_ptr<AssetWriterInput> default_input) {
    return std::shared_ptr<AssetWriterInputGroup>(new AssetWriterInputGroup(std::move(inputs), std::move(default_input)));
  }
  const std::vector<std::shared_ptr<AssetWriterInput>>& inputs() const { return inputs_; }
  const std::shared_ptr<AssetWriterInput>& default_input() const { return default_input_; }

 private:
  AssetWriterInputGroup(std::vector<std::shared_ptr<AssetWriterInput>> inputs, std::shared_ptr<AssetWriterInput> def)
      : inputs_(std::move(inputs)), default_input_(std::move(def)) {}
  std::vector<std::shared_ptr<AssetWriterInput>> inputs_;
  std::shared_ptr<AssetWriterInput> default_input_;
};

}  // namespace aw
