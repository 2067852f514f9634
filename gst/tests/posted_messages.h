// The messages an element posts, as a test reads them afterwards: a sync handler on the bus records, in order,
// every element message whose name starts with a prefix (and the EOS, as "eos", when asked), each with a copy of
// its structure, so none is missed or freed before the test looks.
#pragma once

#include <gst/gst.h>

#include <mutex>
#include <string>
#include <vector>

namespace gstaw::test {

class PostedMessages {
 public:
  struct Posted {
    std::string name;  // the structure's name, or "eos"
    const GstStructure* fields = nullptr;  // owned by the PostedMessages; null for the EOS
  };

  PostedMessages(std::string prefix, bool with_eos) : prefix_(std::move(prefix)), with_eos_(with_eos) {}
  PostedMessages(const PostedMessages&) = delete;
  PostedMessages& operator=(const PostedMessages&) = delete;
  ~PostedMessages() {
    for (Posted& p : posted_) {
      if (p.fields) gst_structure_free(const_cast<GstStructure*>(p.fields));
    }
  }

  void listen(GstBus* bus) { gst_bus_set_sync_handler(bus, on_message, this, nullptr); }

  // Everything recorded so far, in order.
  std::vector<Posted> all() const {
    std::lock_guard<std::mutex> guard(mutex_);
    return posted_;
  }
  // The fields of the messages named `name`, in order.
  std::vector<const GstStructure*> named(const std::string& name) const {
    std::vector<const GstStructure*> out;
    for (const Posted& p : all()) {
      if (p.name == name) out.push_back(p.fields);
    }
    return out;
  }

 private:
  static GstBusSyncReply on_message(GstBus*, GstMessage* message, gpointer data) {
    auto* self = static_cast<PostedMessages*>(data);
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_EOS && self->with_eos_) {
      self->add({"eos", nullptr});
    } else if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ELEMENT) {
      const GstStructure* s = gst_message_get_structure(message);
      if (g_str_has_prefix(gst_structure_get_name(s), self->prefix_.c_str())) {
        self->add({gst_structure_get_name(s), gst_structure_copy(s)});
      }
    }
    return GST_BUS_PASS;
  }
  void add(Posted posted) {
    std::lock_guard<std::mutex> guard(mutex_);
    posted_.push_back(std::move(posted));
  }

  const std::string prefix_;
  const bool with_eos_;
  mutable std::mutex mutex_;
  std::vector<Posted> posted_;
};

}  // namespace gstaw::test
