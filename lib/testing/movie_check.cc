#include "testing/movie_check.h"

#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>

#include "testing/box_tree.h"

namespace aw::check {
namespace {

using test::Box;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

const Box& need(const Box& parent, const std::string& path) {
  const Box* b = parent.find(path);
  if (!b) fail(parent.type + " has no " + path);
  return *b;
}

bool inside(const std::vector<Range>& mdats, uint64_t begin, uint64_t size) {
  if (begin + size < begin) return false;
  for (const Range& r : mdats) {
    if (begin >= r.begin && begin + size <= r.end) return true;
  }
  return false;
}

struct Trex {
  uint32_t default_duration = 0;
  uint32_t default_size = 0;
};

// A table of `entry_size`-byte entries after its version/flags and count: its size must fit the count.
uint32_t entry_count(const Box& table, size_t entry_size, const std::string& where) {
  uint32_t n = table.u32(4);
  if (table.payload.size() != 8 + uint64_t{n} * entry_size) fail(where + table.type + " size does not match its entry count");
  return n;
}

// stts and ctts: the samples their (count, value) entries add up to.
uint64_t samples_counted(const Box& table, const std::string& where) {
  uint64_t total = 0;
  uint32_t n = entry_count(table, 8, where);
  for (uint32_t i = 0; i < n; ++i) total += table.u32(8 + 8 * i);
  return total;
}

// stsz, stts, ctts and stss agree on the sample count, which is returned.
uint64_t check_sample_count(const Box& stbl, const std::string& where) {
  const Box& stsz = need(stbl, "stsz");
  uint64_t count = stsz.u32(8);
  if (stsz.u32(4) == 0 && stsz.payload.size() != 12 + 4 * count) {
    fail(where + "stsz of " + std::to_string(count) + " samples is " + std::to_string(stsz.payload.size()) + " bytes");
  }
  auto expect_count = [&](const Box& table) {
    uint64_t total = samples_counted(table, where);
    if (total != count) {
      fail(where + table.type + " counts " + std::to_string(total) + " samples, stsz " + std::to_string(count));
    }
  };
  expect_count(need(stbl, "stts"));
  if (const Box* ctts = stbl.child("ctts")) expect_count(*ctts);
  if (const Box* stss = stbl.child("stss")) {
    uint32_t n = entry_count(*stss, 4, where), previous = 0;
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t s = stss->u32(8 + 4 * i);
      if (s <= previous || s > count) fail(where + "stss entry " + std::to_string(s) + " out of order or range");
      previous = s;
    }
  }
  return count;
}

std::vector<uint64_t> chunk_offsets(const Box& stbl, const std::string& where) {
  std::vector<uint64_t> chunks;
  if (const Box* stco = stbl.child("stco")) {
    uint32_t n = entry_count(*stco, 4, where);
    for (uint32_t i = 0; i < n; ++i) chunks.push_back(stco->u32(8 + 4 * i));
  } else if (const Box* co64 = stbl.child("co64")) {
    uint32_t n = entry_count(*co64, 8, where);
    for (uint32_t i = 0; i < n; ++i) chunks.push_back(co64->u64(8 + 8 * i));
  } else {
    fail(where + "stbl has neither stco nor co64");
  }
  return chunks;
}

// stsc maps every sample to a chunk and a sample description, and every sample lies inside an mdat.
void check_chunks(const Box& stbl, uint64_t count, uint32_t descriptions, const std::vector<Range>& mdats,
                  const std::string& where) {
  std::vector<uint64_t> chunks = chunk_offsets(stbl, where);
  const Box& stsz = need(stbl, "stsz");
  const Box& stsc = need(stbl, "stsc");
  uint32_t stsc_entries = entry_count(stsc, 12, where);
  if ((stsc_entries == 0) != chunks.empty()) fail(where + "stsc and the chunk offsets disagree on being empty");
  uint64_t sample = 0;
  for (uint32_t e = 0; e < stsc_entries; ++e) {
    uint32_t first = stsc.u32(8 + 12 * e);
    uint32_t per_chunk = stsc.u32(12 + 12 * e);
    uint32_t description = stsc.u32(16 + 12 * e);
    uint32_t next = e + 1 < stsc_entries ? stsc.u32(20 + 12 * e) : static_cast<uint32_t>(chunks.size() + 1);
    if ((e == 0 && first != 1) || next <= first || next > chunks.size() + 1) {
      fail(where + "stsc entry " + std::to_string(e) + " has first chunk " + std::to_string(first));
    }
    if (description == 0 || description > descriptions)
      fail(where + "stsc names sample description " + std::to_string(description));
    if (per_chunk == 0) fail(where + "stsc entry " + std::to_string(e) + " has no samples per chunk");
    for (uint32_t c = first; c < next; ++c) {
      uint64_t offset = chunks[c - 1];
      for (uint32_t s = 0; s < per_chunk; ++s, ++sample) {
        if (sample >= count) fail(where + "stsc indexes more samples than stsz's " + std::to_string(count));
        uint64_t size = stsz.u32(4) ? stsz.u32(4) : stsz.u32(12 + 4 * static_cast<size_t>(sample));
        if (!inside(mdats, offset, size)) {
          fail(where + "sample " + std::to_string(sample) + " at " + std::to_string(offset) + " (" +
               std::to_string(size) + " bytes) is outside every mdat");
        }
        offset += size;
      }
    }
  }
  if (sample != count)
    fail(where + "stsc indexes " + std::to_string(sample) + " of " + std::to_string(count) + " samples");
}

// One trak's tables: counts agree and every sample lies in an mdat. Returns the sample count.
uint64_t check_trak(const Box& trak, size_t index, const std::vector<Range>& mdats) {
  const std::string where = "trak " + std::to_string(index) + ": ";
  const Box& mdhd = need(trak, "mdia/mdhd");
  uint32_t timescale = (mdhd.u32(0) >> 24) == 1 ? mdhd.u32(20) : mdhd.u32(12);
  if (timescale == 0) fail(where + "mdhd timescale is 0");
  const Box& stbl = need(trak, "mdia/minf/stbl");
  const Box& stsd = need(stbl, "stsd");
  uint32_t entries = stsd.u32(4);
  if (entries == 0 || entries != stsd.children.size()) {
    fail(where + "stsd declares " + std::to_string(entries) + " entries, holds " +
         std::to_string(stsd.children.size()));
  }
  uint64_t count = check_sample_count(stbl, where);
  check_chunks(stbl, count, entries, mdats, where);
  return count;
}

// A traf's data base (14496-12 8.8.7.1) and default sample size, from its tfhd and the track's trex.
struct TrafDefaults {
  uint64_t base = 0;
  uint32_t default_size = 0;
};

TrafDefaults read_tfhd(const Box& tfhd, uint64_t moof_offset, uint64_t next_base,
                       const std::map<uint32_t, Trex>& trex, const std::string& where) {
  uint32_t flags = tfhd.u32(0) & 0xffffff;
  uint32_t track = tfhd.u32(4);
  size_t at = 8;
  TrafDefaults traf{next_base, 0};
  if (flags & 0x1) {
    traf.base = tfhd.u64(at);
    at += 8;
  } else if (flags & 0x20000) {
    traf.base = moof_offset;
  }
  if (flags & 0x2) at += 4;
  if (auto t = trex.find(track); t != trex.end()) {
    traf.default_size = t->second.default_size;
  } else {
    fail(where + "traf of track " + std::to_string(track) + " that has no trex");
  }
  if (flags & 0x8) at += 4;
  if (flags & 0x10) traf.default_size = tfhd.u32(at), at += 4;
  if (flags & 0x20) at += 4;
  if (at != tfhd.payload.size())
    fail(where + "tfhd is " + std::to_string(tfhd.payload.size()) + " bytes, flags say " + std::to_string(at));
  return traf;
}

// A trun's samples lie inside the mdat that follows; returns where its data ends.
uint64_t check_trun(const Box& trun, const TrafDefaults& traf, uint64_t data_end, const Range& mdat,
                    const std::string& where) {
  uint32_t tf = trun.u32(0) & 0xffffff;
  uint32_t n = trun.u32(4);
  size_t p = 8;
  uint64_t start = data_end;
  if (tf & 0x1) {
    start = traf.base + static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(trun.u32(p))));
    p += 4;
  }
  if (tf & 0x4) p += 4;
  size_t per_sample = 4 * (((tf >> 8) & 1) + ((tf >> 9) & 1) + ((tf >> 10) & 1) + ((tf >> 11) & 1));
  if (trun.payload.size() != p + per_sample * n) {
    fail(where + "trun of " + std::to_string(n) + " samples is " + std::to_string(trun.payload.size()) + " bytes");
  }
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    size_t q = p + per_sample * i + ((tf & 0x100) ? 4 : 0);
    total += (tf & 0x200) ? trun.u32(q) : traf.default_size;
  }
  if (!inside({mdat}, start, total)) {
    fail(where + "trun data at " + std::to_string(start) + " (" + std::to_string(total) +
         " bytes) is outside the following mdat [" + std::to_string(mdat.begin) + ", " + std::to_string(mdat.end) +
         ")");
  }
  return start + total;
}

// The trafs of one moof: every trun's data lies inside `mdat` (the box right after the moof).
void check_moof(const Box& moof, const Range& mdat, const std::map<uint32_t, Trex>& trex) {
  const std::string where = "moof at " + std::to_string(moof.offset) + ": ";
  if (!moof.child("mfhd")) fail(where + "no mfhd");
  uint64_t next_base = moof.offset;  // 14496-12 8.8.7.1: base of a traf without either flag
  for (const Box& traf : moof.children) {
    if (traf.type != "traf") continue;
    TrafDefaults defaults = read_tfhd(need(traf, "tfhd"), moof.offset, next_base, trex, where);
    uint64_t data_end = defaults.base;
    for (const Box& trun : traf.children) {
      if (trun.type == "trun") data_end = check_trun(trun, defaults, data_end, mdat, where);
    }
    next_base = data_end;
  }
}

}  // namespace

std::string check_movie(std::span<const uint8_t> bytes) {
  try {
    Box root;
    root.type = "file";
    root.payload = bytes;
    root.children = test::parse_boxes(bytes, 0);
    if (root.children.empty() || root.children.front().type != "ftyp") fail("the file does not start with ftyp");
    if (root.count("moov") != 1) fail("the file has " + std::to_string(root.count("moov")) + " moov boxes");
    const Box& moov = *root.child("moov");
    need(moov, "mvhd");
    std::vector<Range> mdats;
    for (const Box& b : root.children) {
      if (b.type == "mdat") mdats.push_back({b.offset + b.header_size, b.offset + b.size});
    }
    size_t traks = moov.count("trak");
    if (traks == 0) fail("moov has no trak");
    std::map<uint32_t, Trex> trex;
    std::map<uint32_t, bool> track_ids;
    for (size_t i = 0; i < traks; ++i) {
      const Box& trak = *moov.child("trak", i);
      const Box& tkhd = need(trak, "tkhd");
      uint32_t id = (tkhd.u32(0) >> 24) == 1 ? tkhd.u32(20) : tkhd.u32(12);
      if (id == 0 || track_ids.count(id)) fail("trak " + std::to_string(i) + " has track id " + std::to_string(id));
      track_ids[id] = true;
      check_trak(trak, i, mdats);
    }
    if (const Box* mvex = moov.child("mvex")) {
      for (const Box& t : mvex->children) {
        if (t.type != "trex") continue;
        trex[t.u32(4)] = {t.u32(12), t.u32(16)};
      }
      for (auto& [id, unused] : track_ids) {
        if (!trex.count(id)) fail("mvex has no trex for track " + std::to_string(id));
      }
    }
    for (size_t i = 0; i < root.children.size(); ++i) {
      const Box& b = root.children[i];
      if (b.type != "moof") continue;
      if (!moov.child("mvex")) fail("moof at " + std::to_string(b.offset) + " in a movie without mvex");
      if (i + 1 >= root.children.size() || root.children[i + 1].type != "mdat") {
        fail("moof at " + std::to_string(b.offset) + " is not followed by an mdat");
      }
      const Box& m = root.children[i + 1];
      check_moof(b, {m.offset + m.header_size, m.offset + m.size}, trex);
    }
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

std::string check_movie_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot open " + path;
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return check_movie(bytes);
}

std::string check_moov(std::span<const uint8_t> moov, uint64_t moov_offset, const std::vector<Range>& mdats,
                       uint64_t* samples) {
  try {
    auto boxes = test::parse_boxes(moov, moov_offset);
    if (boxes.size() != 1 || boxes[0].type != "moov") return "no moov";
    uint64_t total = 0;
    for (size_t i = 0; i < boxes[0].count("trak"); ++i) total += check_trak(*boxes[0].child("trak", i), i, mdats);
    if (samples) *samples = total;
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

}  // namespace aw::check
