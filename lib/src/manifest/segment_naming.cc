#include "manifest/segment_naming.h"

#include <filesystem>
#include <optional>

namespace aw {
namespace {

struct Conversion {
  size_t begin = 0;  // index of '%'
  size_t end = 0;    // one past the conversion character
  bool zero_pad = false;
  int width = 0;
};

Result<Conversion> find_conversion(const std::string& pattern, const std::string& what = "segment location") {
  std::optional<Conversion> found;
  auto bad = [&](const std::string& why) {
    return Status(ErrorCode::kInvalidArgument, what + " \"" + pattern + "\" " + why);
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') continue;
    if (i + 1 < pattern.size() && pattern[i + 1] == '%') {
      ++i;
      continue;
    }
    Conversion c;
    c.begin = i;
    size_t j = i + 1;
    if (j < pattern.size() && pattern[j] == '0') {
      c.zero_pad = true;
      ++j;
    }
    while (j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9') {
      c.width = c.width * 10 + (pattern[j] - '0');
      if (c.width > 20) return bad("has a field width over 20");
      ++j;
    }
    if (j >= pattern.size() || (pattern[j] != 'd' && pattern[j] != 'u' && pattern[j] != 'i')) {
      return bad("may only hold an integer conversion such as %05d (and %% for a percent sign)");
    }
    if (found) return bad("holds more than one %d conversion");
    c.end = j + 1;
    found = c;
    i = j;
  }
  if (!found) return bad("needs a %d conversion for the segment number (e.g. segment%05d.m4s)");
  return *found;
}

std::string unescape_percent(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '%' && i + 1 < text.size() && text[i + 1] == '%') ++i;
  }
  return out;
}

}  // namespace

Status check_segment_pattern(const std::string& pattern, const std::string& what) {
  return find_conversion(pattern, what).status();
}

Result<std::string> format_segment_name(const std::string& pattern, uint64_t index) {
  auto conversion = find_conversion(pattern);
  if (!conversion) return conversion.status();
  std::string number = std::to_string(index);
  if (number.size() < static_cast<size_t>(conversion->width)) {
    number.insert(0, conversion->width - number.size(), conversion->zero_pad ? '0' : ' ');
  }
  return unescape_percent(pattern.substr(0, conversion->begin)) + number +
         unescape_percent(pattern.substr(conversion->end));
}

std::string uri_relative_to(const std::string& target, const std::string& playlist) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target_path = fs::absolute(fs::path(target), ec).lexically_normal();
  if (ec) return target;
  const fs::path base = fs::absolute(fs::path(playlist), ec).lexically_normal().parent_path();
  if (ec) return target;
  const fs::path relative = target_path.lexically_relative(base);
  if (relative.empty()) return target_path.string();
  return relative.generic_string();
}

std::string under_root(const std::string& uri, const std::string& root) {
  if (root.empty()) return uri;
  const size_t start = uri.find_first_not_of('/');
  const std::string tail = start == std::string::npos ? std::string() : uri.substr(start);
  return root.back() == '/' ? root + tail : root + "/" + tail;
}

std::string default_init_location(const std::string& segment_pattern) {
  const size_t slash = segment_pattern.find_last_of('/');
  return (slash == std::string::npos ? std::string() : segment_pattern.substr(0, slash + 1)) + "init.mp4";
}

std::string expand_rendition_name(const std::string& text, const std::string& name) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 1 < text.size() && text[i + 1] == '%') {
      out += "%%";
      ++i;
    } else if (text[i] == '%' && i + 1 < text.size() && text[i + 1] == 's') {
      out += name;
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool has_rendition_name(const std::string& text) { return expand_rendition_name(text, "\n") != text; }

std::string numbered_init_location(const std::string& init_location, uint64_t number) {
  // Before the extension of the file name (not of a directory): init.mp4 -> init-1.mp4.
  const size_t slash = init_location.find_last_of('/');
  const size_t dot = init_location.find_last_of('.');
  const bool has_extension = dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
  const size_t at = has_extension ? dot : init_location.size();
  return init_location.substr(0, at) + "-" + std::to_string(number) + init_location.substr(at);
}

namespace {

// `location` with `insert` before the extension of its file name (at its end without one).
std::string before_extension(const std::string& location, const std::string& insert) {
  const size_t slash = location.find_last_of('/');
  const size_t dot = location.find_last_of('.');
  const bool has_extension = dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
  const size_t at = has_extension ? dot : location.size();
  return location.substr(0, at) + insert + location.substr(at);
}

}  // namespace

std::string part_file_location(const std::string& segment_location, uint32_t part) {
  std::string insert = ".";  // appended, not `"." + std::string`: GCC 12 -O3 reports that as -Wrestrict
  insert += std::to_string(part);
  return before_extension(segment_location, insert);
}

std::string delta_playlist_location(const std::string& playlist_location) {
  return before_extension(playlist_location, "-delta");
}

Result<std::string> dash_template(const std::string& location, bool numbered) {
  std::optional<Conversion> conversion;
  if (numbered) {
    auto found = find_conversion(expand_rendition_name(location, ""));
    if (!found) return found.status();
    if (found->width > 0 && !found->zero_pad) {
      return Status(ErrorCode::kInvalidArgument,
                    "segment location \"" + location + "\" pads its number with spaces, which a DASH template "
                    "cannot (use %0" + std::to_string(found->width) + "d)");
    }
    conversion = *found;
  }
  std::string out;
  for (size_t i = 0; i < location.size(); ++i) {
    const char next = i + 1 < location.size() ? location[i + 1] : '\0';
    if (location[i] == '$') {
      out += "$$";
    } else if (location[i] == '%' && next == '%') {
      out += '%';
      ++i;
    } else if (location[i] == '%' && next == 's') {
      out += "$RepresentationID$";
      ++i;
    } else if (location[i] == '%' && conversion) {
      // The one conversion left (find_conversion checked it): its flag and width carry over.
      size_t end = i + 1;
      while (location[end] >= '0' && location[end] <= '9') ++end;
      out += conversion->width > 0 ? "$Number%0" + std::to_string(conversion->width) + "d$" : "$Number$";
      i = end;
    } else {
      out += location[i];
    }
  }
  return out;
}

RenditionFiles rendition_files(const RenditionFiles& locations, const std::string& name) {
  // Only the pattern is formatted later; the other two are file names already.
  return {expand_rendition_name(locations.segment_pattern, name),
          unescape_percent(expand_rendition_name(locations.init_location, name)),
          unescape_percent(expand_rendition_name(locations.playlist_location, name))};
}

}  // namespace aw
