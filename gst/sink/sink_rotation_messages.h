// assetwritersink's rotation messages: an aw::RotationDelegate that posts "assetwritersink-file-opened",
// "assetwritersink-file-closed" and "assetwritersink-file-deleted" element messages.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aw/rotating_writer.h"
#include "sink/assetwritersink.h"

namespace gstaw {

// `track_names`: the pad of each input, in input order (the frame counts' field names). Called with the element's
// state lock held: it only posts.
std::unique_ptr<aw::RotationDelegate> make_rotation_messages(GstAssetWriterSink* self,
                                                             std::vector<std::string> track_names);

}  // namespace gstaw
