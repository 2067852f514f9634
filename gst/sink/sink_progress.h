// assetwritersink's progress and durability messages: an aw::WriterObserver that posts an element message
// per fragment once it is in the file (fragmented movies, crash-safe recordings) and one when the file is
// complete, before the element's EOS.
#pragma once

#include <memory>
#include <string>

#include "aw/writer_observer.h"
#include "sink/assetwritersink.h"

namespace gstaw {

// Posts "assetwritersink-fragment" and "assetwritersink-file-complete" from `self` about `location`. The
// writer calls it from the streaming thread (or the one stopping the element) with the element's state
// lock and the writer's lock held: it only posts.
std::unique_ptr<aw::WriterObserver> make_progress_observer(GstAssetWriterSink* self, std::string location);

}  // namespace gstaw
