// A fixture owning one assetwritersink with a bus, fed through GstHarness on request pads.
#pragma once

#include <gst/check/gstharness.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"

namespace gstaw::test {

class ElementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    element_ = gst_element_factory_make("assetwritersink", nullptr);
    ASSERT_NE(element_, nullptr) << "assetwritersink not found: is GST_PLUGIN_PATH set?";
    gst_object_ref_sink(element_);
    bus_ = gst_bus_new();
    gst_element_set_bus(element_, bus_);
  }
  void TearDown() override {
    for (GstHarness* h : harnesses_) gst_harness_teardown(h);
    if (element_) gst_element_set_state(element_, GST_STATE_NULL);
    if (bus_) gst_object_unref(bus_);
    if (element_) gst_object_unref(element_);
  }

  void set_location(const std::string& location) { g_object_set(element_, "location", location.c_str(), nullptr); }

  // A harness on a newly requested pad ("video_%u"/"audio_%u"); the element goes to PLAYING.
  GstHarness* harness(const char* pad_template) {
    GstHarness* h = gst_harness_new_with_element(element_, pad_template, nullptr);
    harnesses_.push_back(h);
    return h;
  }

  // Pushes the stream's caps and buffers; stops at the first flow error.
  GstFlowReturn push_stream(GstHarness* h, const EncodedStream& stream, size_t count = SIZE_MAX) {
    gst_harness_set_src_caps(h, gst_caps_ref(stream.caps));
    for (size_t i = 0; i < stream.buffers.size() && i < count; ++i) {
      GstFlowReturn ret = gst_harness_push(h, gst_buffer_ref(stream.buffers[i]));
      if (ret != GST_FLOW_OK) return ret;
    }
    return GST_FLOW_OK;
  }

  // Pushes buffers [from, end) of `stream` (its caps already set), each `shift` later than captured; stops
  // at the first flow error.
  GstFlowReturn push_buffers(GstHarness* h, const EncodedStream& stream, size_t from, GstClockTime shift = 0) {
    for (size_t i = from; i < stream.buffers.size(); ++i) {
      GstBuffer* buffer = shift ? shifted(stream.buffers[i], shift) : gst_buffer_ref(stream.buffers[i]);
      GstFlowReturn ret = gst_harness_push(h, buffer);
      if (ret != GST_FLOW_OK) return ret;
    }
    return GST_FLOW_OK;
  }

  // Ends the stream on every pad of `pads` and waits for the element's EOS. Fails with the text of what
  // came instead: an ERROR, a WARNING when `types` has them, or nothing within the timeout.
  ::testing::AssertionResult end_streams_and_expect_eos(std::initializer_list<GstHarness*> pads,
                                                        int types = GST_MESSAGE_EOS | GST_MESSAGE_ERROR) {
    for (GstHarness* h : pads) gst_harness_push_event(h, gst_event_new_eos());
    return is_eos(next_message(types));
  }

  // The next ERROR/WARNING/EOS message of the element, owned by the caller.
  GstMessage* next_message(int types) { return wait_for(bus_, types); }
  // The same, read and released.
  BusMessage next(int types) { return take_message(next_message(types)); }

  GstElement* element_ = nullptr;
  GstBus* bus_ = nullptr;
  TempDir dir_;
  std::vector<GstHarness*> harnesses_;
};

}  // namespace gstaw::test
