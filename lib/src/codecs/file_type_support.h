// Which codecs each file type may hold: the policy behind AssetWriter::can_add / can_apply, declared in
// aw/format_description.h (check_codec_allowed) so the element can refuse caps at negotiation with the same
// words the writer would use.
#pragma once

#include "aw/format_description.h"
#include "aw/media_types.h"
#include "aw/status.h"
