"""Process-level settings: thread limits and the memory settling of batch workers."""

from __future__ import annotations

import gc
import subprocess
import sys

from aligner import runtime


def test_thread_limit_applies_to_blas_and_rescans_after_imports(monkeypatch) -> None:
    import numpy  # noqa: F401  (loads the BLAS library)
    from threadpoolctl import threadpool_info

    monkeypatch.setenv("ALIGNER_THREADS", "1")
    with runtime.limit_threads():
        blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
        assert blas and all(lib["num_threads"] == 1 for lib in blas)
    first = runtime._controller
    with runtime.limit_threads():
        assert runtime._controller is first  # no new scan without new modules
    monkeypatch.setitem(sys.modules, "aligner_test_fake_module", sys)
    with runtime.limit_threads():
        assert runtime._controller is not first


def test_settle_memory_freezes_once_in_a_fresh_process() -> None:
    code = (
        "import gc; from aligner import runtime\n"
        "assert gc.get_freeze_count() == 0\n"
        "runtime.settle_memory(); n = gc.get_freeze_count(); assert n > 0\n"
        "runtime.settle_memory(); assert gc.get_freeze_count() == n\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
    assert gc.isenabled()
