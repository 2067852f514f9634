#include "convert/toc_to_chapters.h"

#include <algorithm>

#include "convert/buffer_to_sample.h"

namespace gstaw {
namespace {

void collect(GList* entries, std::vector<aw::Chapter>& out) {
  for (GList* l = entries; l; l = l->next) {
    auto* entry = static_cast<GstTocEntry*>(l->data);
    if (gst_toc_entry_get_entry_type(entry) == GST_TOC_ENTRY_TYPE_CHAPTER) {
      gint64 start = -1, stop = -1;
      if (gst_toc_entry_get_start_stop_times(entry, &start, &stop) && start >= 0) {
        aw::Chapter chapter;
        chapter.start = to_aw_time(start);
        if (GstTagList* tags = gst_toc_entry_get_tags(entry)) {
          gchar* title = nullptr;
          if (gst_tag_list_get_string(tags, GST_TAG_TITLE, &title)) chapter.title = title;
          g_free(title);
        }
        out.push_back(std::move(chapter));
      }
    }
    collect(gst_toc_entry_get_sub_entries(entry), out);
  }
}

}  // namespace

std::vector<aw::Chapter> toc_to_chapters(const GstToc* toc) {
  std::vector<aw::Chapter> chapters;
  if (!toc) return chapters;
  collect(gst_toc_get_entries(toc), chapters);
  std::stable_sort(chapters.begin(), chapters.end(),
                   [](const aw::Chapter& a, const aw::Chapter& b) { return a.start < b.start; });
  chapters.erase(std::unique(chapters.begin(), chapters.end(),
                             [](const aw::Chapter& a, const aw::Chapter& b) { return a.start == b.start; }),
                 chapters.end());
  return chapters;
}

}  // namespace gstaw
