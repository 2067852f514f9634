#include "codecs/audio_configs.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "codecs/bit_reader.h"

namespace aw {
namespace {

Status malformed(std::string message) { return {ErrorCode::kMalformedConfig, std::move(message)}; }

uint32_t le16(const uint8_t* p) { return uint32_t{p[0]} | uint32_t{p[1]} << 8; }
uint32_t le32(const uint8_t* p) { return le16(p) | le16(p + 2) << 16; }
uint32_t be32(const uint8_t* p) { return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3]; }

void put16(std::vector<uint8_t>& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}
void put32(std::vector<uint8_t>& out, uint32_t v) {
  put16(out, v >> 16);
  put16(out, v);
}

// Bits written MSB first, for the packed dac3/dec3 fields.
class BitPacker {
 public:
  void put(uint32_t value, unsigned count) {
    for (unsigned i = count; i-- > 0;) {
      current_ = static_cast<uint8_t>(current_ << 1 | (value >> i & 1));
      if (++filled_ == 8) {
        out_.push_back(current_);
        current_ = 0;
        filled_ = 0;
      }
    }
  }
  std::vector<uint8_t> take() {
    if (filled_) put(0, 8 - filled_);
    return std::move(out_);
  }

 private:
  std::vector<uint8_t> out_;
  uint8_t current_ = 0;
  unsigned filled_ = 0;
};

// Channels of each acmod (A/52 Table 5.8).
constexpr uint32_t kAcmodChannels[8] = {2, 1, 2, 3, 3, 4, 4, 5};

// Sample rate of each fscod (A/52 Table 5.6); 3 is reserved (E-AC-3 then codes fscod2 for half rates).
constexpr uint32_t kFscodRates[3] = {48000, 44100, 32000};

}  // namespace

Result<AudioConfig> make_opus_config(std::span<const uint8_t> head) {
  if (head.size() < 19 || std::memcmp(head.data(), "OpusHead", 8) != 0) {
    return malformed("OpusHead of " + std::to_string(head.size()) + " bytes lacks its 19-byte \"OpusHead\" header");
  }
  if ((head[8] & 0xf0) != 0) return malformed("OpusHead version " + std::to_string(head[8]) + " is not 0.x");
  AudioConfig config;
  config.channels = head[9];
  if (config.channels == 0) return malformed("OpusHead has 0 channels");
  uint32_t pre_skip = le16(&head[10]);
  uint32_t input_rate = le32(&head[12]);
  uint32_t gain = le16(&head[16]);
  uint8_t family = head[18];
  std::vector<uint8_t>& out = config.box_payload;
  out.push_back(0);  // Version
  out.push_back(static_cast<uint8_t>(config.channels));
  put16(out, pre_skip);
  put32(out, input_rate);
  put16(out, gain);
  out.push_back(family);
  if (family != 0) {
    if (head.size() < 21 + config.channels) {
      return malformed("OpusHead channel mapping table is truncated (" + std::to_string(head.size()) + " bytes)");
    }
    out.insert(out.end(), head.begin() + 19, head.begin() + 21 + config.channels);
  } else if (config.channels > 2) {
    return malformed("OpusHead mapping family 0 with " + std::to_string(config.channels) + " channels");
  }
  config.sample_rate = 48000;  // Opus always decodes at 48 kHz (RFC 7845 5.1: the input rate is informational)
  config.samples_per_frame = 0;
  config.priming_samples = pre_skip;
  return config;
}

Result<AudioConfig> make_flac_config(std::span<const uint8_t> blocks) {
  if (blocks.size() >= 4 && std::memcmp(blocks.data(), "fLaC", 4) == 0) blocks = blocks.subspan(4);
  if (blocks.size() < 4 + 34 || (blocks[0] & 0x7f) != 0) {
    return malformed("FLAC metadata does not start with a 34-byte STREAMINFO block (" +
                     std::to_string(blocks.size()) + " bytes)");
  }
  uint32_t length = blocks[1] << 16 | blocks[2] << 8 | blocks[3];
  if (length != 34) return malformed("FLAC STREAMINFO length is " + std::to_string(length) + ", not 34");
  std::span<const uint8_t> info = blocks.subspan(4, 34);
  BitReader r(info);
  uint32_t min_block = r.bits(16);
  uint32_t max_block = r.bits(16);
  r.skip(48);  // min/max frame size
  AudioConfig config;
  config.sample_rate = r.bits(20);
  config.channels = r.bits(3) + 1;
  config.bits_per_sample = r.bits(5) + 1;
  if (config.sample_rate == 0) return malformed("FLAC STREAMINFO sample rate is 0");
  config.samples_per_frame = min_block == max_block ? max_block : 0;
  config.box_payload.push_back(0x80);  // last-metadata-block flag, type 0 STREAMINFO
  config.box_payload.push_back(0);
  config.box_payload.push_back(0);
  config.box_payload.push_back(34);
  config.box_payload.insert(config.box_payload.end(), info.begin(), info.end());
  return config;
}

Result<AudioConfig> make_alac_config(std::span<const uint8_t> cookie) {
  constexpr size_t kConfigSize = 24;
  std::span<const uint8_t> specific = cookie;
  if (cookie.size() != kConfigSize) {
    // Find an 'alac' atom (size >= 36, 'alac', version/flags, the config); a 'frma' atom naming 'alac' has size 12.
    bool found = false;
    for (size_t i = 4; i + 8 + kConfigSize <= cookie.size(); ++i) {
      uint32_t atom_size = be32(&cookie[i - 4]);
      if (std::memcmp(&cookie[i], "alac", 4) == 0 && atom_size >= 8 + 4 + kConfigSize &&
          atom_size <= cookie.size() - (i - 4)) {
        specific = cookie.subspan(i + 8, kConfigSize);
        found = true;
        break;
      }
    }
    if (!found) {
      return malformed("ALAC magic cookie of " + std::to_string(cookie.size()) +
                       " bytes is neither a 24-byte ALACSpecificConfig nor holds an 'alac' atom");
    }
  }
  AudioConfig config;
  config.samples_per_frame = be32(&specific[0]);
  config.bits_per_sample = specific[5];
  config.channels = specific[9];
  config.sample_rate = be32(&specific[20]);
  if (config.channels == 0 || config.sample_rate == 0 || config.samples_per_frame == 0) {
    return malformed("ALACSpecificConfig has " + std::to_string(config.channels) + " channels at " +
                     std::to_string(config.sample_rate) + " Hz with " + std::to_string(config.samples_per_frame) +
                     "-sample frames");
  }
  config.box_payload.assign(specific.begin(), specific.end());
  return config;
}

Result<AudioConfig> make_ac3_config(std::span<const uint8_t> frame) {
  if (frame.size() < 7 || frame[0] != 0x0b || frame[1] != 0x77) {
    return malformed("AC-3 frame does not start with the 0x0B77 syncword");
  }
  BitReader r(frame.subspan(4));  // after syncword and crc1
  uint32_t fscod = r.bits(2);
  uint32_t frmsizecod = r.bits(6);
  uint32_t bsid = r.bits(5);
  uint32_t bsmod = r.bits(3);
  uint32_t acmod = r.bits(3);
  if ((acmod & 1) && acmod != 1) r.skip(2);  // cmixlev
  if (acmod & 4) r.skip(2);                  // surmixlev
  if (acmod == 2) r.skip(2);                 // dsurmod
  uint32_t lfeon = r.bits(1);
  if (r.error()) return malformed("AC-3 frame header is truncated");
  if (fscod == 3) return malformed("AC-3 fscod 3 is reserved");
  if (bsid > 10) return malformed("AC-3 bsid " + std::to_string(bsid) + " is above 10 (E-AC-3 is bsid 16)");
  if (frmsizecod > 37) return malformed("AC-3 frmsizecod " + std::to_string(frmsizecod) + " is above 37");
  AudioConfig config;
  config.sample_rate = kFscodRates[fscod];
  config.channels = kAcmodChannels[acmod] + lfeon;
  config.samples_per_frame = 1536;
  BitPacker p;
  p.put(fscod, 2);
  p.put(bsid, 5);
  p.put(bsmod, 3);
  p.put(acmod, 3);
  p.put(lfeon, 1);
  p.put(frmsizecod >> 1, 5);  // bit_rate_code
  p.put(0, 5);
  config.box_payload = p.take();
  return config;
}

namespace {

// The fields of one E-AC-3 syncframe's bsi() that dec3 needs (ETSI TS 102 366 Annex E).
struct Eac3FrameHeader {
  uint32_t strmtyp = 0, frmsiz = 0, fscod = 0, rate_code = 0, numblkscod = 0, acmod = 0, lfeon = 0, bsid = 0;
  uint32_t chanmap = 0;
};

// Reads the syncframe at `pos`, which has at least 6 bytes.
Result<Eac3FrameHeader> read_eac3_frame_header(std::span<const uint8_t> unit, size_t pos) {
  if (unit[pos] != 0x0b || unit[pos + 1] != 0x77) {
    return malformed("E-AC-3 syncframe at byte " + std::to_string(pos) + " does not start with 0x0B77");
  }
  BitReader r(unit.subspan(pos + 2));
  Eac3FrameHeader f;
  f.strmtyp = r.bits(2);
  r.skip(3);  // substreamid
  f.frmsiz = r.bits(11);
  f.fscod = r.bits(2);
  f.numblkscod = 3;
  f.rate_code = f.fscod;
  if (f.fscod == 3) {
    uint32_t fscod2 = r.bits(2);
    if (fscod2 == 3) return malformed("E-AC-3 fscod2 3 is reserved");
    f.rate_code = fscod2;
  } else {
    f.numblkscod = r.bits(2);
  }
  f.acmod = r.bits(3);
  f.lfeon = r.bits(1);
  f.bsid = r.bits(5);
  r.skip(5);                // dialnorm
  if (r.flag()) r.skip(8);  // compre → compr
  if (f.acmod == 0) {
    r.skip(5);                // dialnorm2
    if (r.flag()) r.skip(8);  // compr2e → compr2
  }
  if (f.strmtyp == 1 && r.flag()) f.chanmap = r.bits(16);
  if (r.error()) return malformed("E-AC-3 syncframe header is truncated");
  if (f.bsid <= 10 || f.bsid > 16) return malformed("E-AC-3 bsid " + std::to_string(f.bsid) + " is not 11..16");
  return f;
}

// What dec3 (ETSI TS 102 366 F.6) says of the first independent substream and its dependent ones.
struct Eac3Substream {
  uint32_t fscod, bsid, acmod, lfeon, num_dep = 0, chan_loc = 0;
};

struct Eac3AccessUnit {
  Eac3Substream independent{};
  uint32_t sample_rate = 0;
  uint32_t channels = 0;
  uint32_t blocks = 6;
  uint64_t frame_bytes = 0;  // every syncframe read, for the data rate
};

// Walks the syncframes of an access unit: the first independent substream and the dependent ones after it.
Result<Eac3AccessUnit> read_eac3_access_unit(std::span<const uint8_t> unit) {
  Eac3AccessUnit au;
  bool have_independent = false;
  size_t pos = 0;
  while (pos + 6 <= unit.size()) {
    AW_ASSIGN_OR_RETURN(Eac3FrameHeader f, read_eac3_frame_header(unit, pos));
    if (f.strmtyp != 1) {           // independent (0) or AC-3 converted (2)
      if (have_independent) break;  // the next independent substream or program: only the first is described
      have_independent = true;
      au.independent = {f.fscod, f.bsid, f.acmod, f.lfeon};
      au.sample_rate = f.fscod == 3 ? kFscodRates[f.rate_code] / 2 : kFscodRates[f.rate_code];
      constexpr uint32_t kBlocks[4] = {1, 2, 3, 6};
      au.blocks = kBlocks[f.numblkscod];
      au.channels = kAcmodChannels[f.acmod] + f.lfeon;
    } else if (have_independent) {
      ++au.independent.num_dep;
      // chan_loc: the dependent substream's chanmap bits for locations beyond the 5.1 ones (F.6.2.7).
      au.independent.chan_loc |= f.chanmap >> 5 & 0x1ff;
    }
    au.frame_bytes += (f.frmsiz + 1) * 2;
    pos += (f.frmsiz + 1) * 2;
  }
  if (!have_independent) return malformed("E-AC-3 access unit has no independent substream");
  return au;
}

// EC3SpecificBox content (ETSI TS 102 366 F.6) for one independent substream; data_rate in kbit/s.
std::vector<uint8_t> make_dec3_payload(uint32_t data_rate, const Eac3Substream& independent) {
  BitPacker p;
  p.put(std::min<uint32_t>(data_rate, 0x1fff), 13);
  p.put(0, 3);  // num_ind_sub - 1
  p.put(independent.fscod, 2);
  p.put(independent.bsid, 5);
  p.put(0, 1);  // reserved
  p.put(0, 1);  // asvc
  p.put(0, 3);  // bsmod: complete main (it sits in the mixing metadata, rarely anything else)
  p.put(independent.acmod, 3);
  p.put(independent.lfeon, 1);
  p.put(0, 3);  // reserved
  p.put(independent.num_dep, 4);
  if (independent.num_dep > 0) {
    p.put(independent.chan_loc, 9);
  } else {
    p.put(0, 1);
  }
  return p.take();
}

}  // namespace

Result<AudioConfig> make_eac3_config(std::span<const uint8_t> unit) {
  AW_ASSIGN_OR_RETURN(Eac3AccessUnit au, read_eac3_access_unit(unit));
  AudioConfig config;
  config.sample_rate = au.sample_rate;
  config.channels = au.channels;
  config.samples_per_frame = au.blocks * 256;
  // data_rate in kbit/s of the whole access unit.
  uint32_t data_rate = static_cast<uint32_t>(au.frame_bytes * 8 * config.sample_rate / config.samples_per_frame / 1000);
  config.box_payload = make_dec3_payload(data_rate, au.independent);
  return config;
}

}  // namespace aw
