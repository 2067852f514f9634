// Configuration boxes of the audio codecs besides AAC: Opus (dOps, from the OpusHead), FLAC (dfLa, from the
// STREAMINFO block), ALAC (the 'alac' box, from the magic cookie), AC-3 (dac3) and E-AC-3 (dec3) from the
// first syncframe. Each parser returns the box content and what the sample entry states.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "aw/status.h"

namespace aw {

struct AudioConfig {
  std::vector<uint8_t> box_payload;  // the configuration box's content after its header (and version/flags)
  uint32_t sample_rate = 0;
  uint32_t channels = 0;
  uint32_t bits_per_sample = 16;   // the entry's samplesize
  uint32_t samples_per_frame = 0;  // 0 when frames vary
  uint32_t priming_samples = 0;    // Opus pre-skip
};

// OpusHead (RFC 7845 5.1, little-endian) → dOps ("Encapsulation of Opus in ISO BMFF" 4.3.2, big-endian).
Result<AudioConfig> make_opus_config(std::span<const uint8_t> opus_head);

// The FLAC metadata blocks after the "fLaC" marker (the marker itself may be included), STREAMINFO first →
// dfLa content after version/flags: the STREAMINFO block, flagged last ("Encapsulation of FLAC in ISO BMFF"
// 3.3.2).
Result<AudioConfig> make_flac_config(std::span<const uint8_t> metadata_blocks);

// The ALAC magic cookie: the 24-byte ALACSpecificConfig, bare, in its 'alac' atom (FFmpeg's extradata), or in
// a QuickTime 'wave'-style list holding one → 'alac' box content after version/flags.
Result<AudioConfig> make_alac_config(std::span<const uint8_t> cookie);

// An AC-3 syncframe (ATSC A/52 5.3: syncinfo and bsi) → dac3 (ETSI TS 102 366 F.4).
Result<AudioConfig> make_ac3_config(std::span<const uint8_t> frame);

// An E-AC-3 access unit (one or more syncframes, ETSI TS 102 366 E.1.2) → dec3 (F.6) for its first
// independent substream and the dependent substreams that follow it.
Result<AudioConfig> make_eac3_config(std::span<const uint8_t> access_unit);

}  // namespace aw
