#include "bin/signal_proxy.h"

#include <vector>

#include "sink/assetwritersink.h"
#include "sink/sink_storage.h"

namespace gstaw {
namespace {

// A sink signal re-emitted by the bin: the ids on both types.
struct Relayed {
  guint sink_signal;
  guint bin_signal;
};

std::vector<Relayed>& relayed() {
  static std::vector<Relayed> signals;
  return signals;
}

// Emits `signal` on `instance` with the arguments of `params` after the first (the emitting instance).
void emit_on(GObject* instance, guint signal, guint n_params, const GValue* params, GValue* return_value) {
  std::vector<GValue> values(n_params, G_VALUE_INIT);
  g_value_init(&values[0], G_OBJECT_TYPE(instance));
  g_value_set_object(&values[0], instance);
  for (guint i = 1; i < n_params; ++i) {
    g_value_init(&values[i], G_VALUE_TYPE(&params[i]));
    g_value_copy(&params[i], &values[i]);
  }
  g_signal_emitv(values.data(), signal, 0, return_value);
  for (GValue& value : values) g_value_unset(&value);
}

struct ForwardClosure {
  GClosure closure;
  guint sink_signal;
};

// The class handler of a bin action signal: the same action on the sink child.
void forward_to_sink(GClosure* closure, GValue* return_value, guint n_params, const GValue* params, gpointer,
                     gpointer) {
  GstElement* sink = gst_bin_get_by_name(GST_BIN(g_value_get_object(&params[0])), "sink");
  if (!sink) return;
  emit_on(G_OBJECT(sink), reinterpret_cast<ForwardClosure*>(closure)->sink_signal, n_params, params, return_value);
  gst_object_unref(sink);
}

struct RelayClosure {
  GClosure closure;  // its data is the bin (not referenced: the bin disconnects before it goes)
  guint bin_signal;
};

void relay_to_bin(GClosure* closure, GValue* return_value, guint n_params, const GValue* params, gpointer, gpointer) {
  emit_on(G_OBJECT(closure->data), reinterpret_cast<RelayClosure*>(closure)->bin_signal, n_params, params,
          return_value);
}

}  // namespace

void install_proxied_signals(GObjectClass* bin_class) {
  const GType bin_type = G_TYPE_FROM_CLASS(bin_class);
  g_type_class_unref(g_type_class_ref(GST_TYPE_ASSET_WRITER_SINK));  // installs the sink's signals
  guint count = 0;
  guint* ids = g_signal_list_ids(GST_TYPE_ASSET_WRITER_SINK, &count);
  for (guint i = 0; i < count; ++i) {
    GSignalQuery query;
    g_signal_query(ids[i], &query);
    GClosure* class_closure = nullptr;
    if (query.signal_flags & G_SIGNAL_ACTION) {
      class_closure = g_closure_new_simple(sizeof(ForwardClosure), nullptr);
      reinterpret_cast<ForwardClosure*>(class_closure)->sink_signal = ids[i];
      g_closure_set_marshal(class_closure, forward_to_sink);
    }
    const guint bin_signal =
        g_signal_newv(query.signal_name, bin_type, query.signal_flags, class_closure, nullptr, nullptr, nullptr,
                      query.return_type, query.n_params, const_cast<GType*>(query.param_types));
    if (!class_closure) relayed().push_back({ids[i], bin_signal});
  }
  g_free(ids);
}

void connect_proxied_signals(GstElement* bin, GstElement* sink) {
  for (const Relayed& r : relayed()) {
    GClosure* closure = g_closure_new_simple(sizeof(RelayClosure), bin);
    reinterpret_cast<RelayClosure*>(closure)->bin_signal = r.bin_signal;
    g_closure_set_marshal(closure, relay_to_bin);
    g_signal_connect_closure_by_id(sink, r.sink_signal, 0, closure, FALSE);
  }
  // The storage signals' relays stand for the bin's own handlers, if any: the sink writes local files
  // while nobody handles them on the bin.
  set_storage_signal_relay(sink, bin);
}

void disconnect_proxied_signals(GstElement* bin, GstElement* sink) {
  g_signal_handlers_disconnect_matched(sink, G_SIGNAL_MATCH_DATA, 0, 0, nullptr, nullptr, bin);
  set_storage_signal_relay(sink, nullptr);
}

}  // namespace gstaw
