// GstToc → aw::Chapter list: the chapters of a TOC event or of the element's GstTocSetter become the movie's
// chapters (a chapter track and a Nero chpl, see AssetWriter::set_chapters).
#pragma once

#include <gst/gst.h>

#include <vector>

#include "aw/text_and_metadata.h"

namespace gstaw {

// Every chapter entry of `toc`, editions and nested chapters flattened, in order of start time, with its
// title tag (empty without one). Entry start times are taken as times from the start of the file. Chapters
// without a start time are skipped, as are later ones starting at the same time as an earlier one.
std::vector<aw::Chapter> toc_to_chapters(const GstToc* toc);

}  // namespace gstaw
