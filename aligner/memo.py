"""Memos of words and sentences, in one registry.

Words repeat across the documents of a batch, so the extractors and checks memoise their
per-word work. Every such memo is made here, so that a benchmark can empty all of them
between rounds (:func:`clear_all`): a round that repeats the same documents over warm
memos would measure dictionary look-ups, not the pipeline. Loaded data tables are not
memos of input and are not registered.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_REGISTRY: list[Any] = []


def memo(maxsize: int = 65536) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)``, registered for :func:`clear_all`."""

    def wrap(fn: F) -> F:
        cached = lru_cache(maxsize=maxsize)(fn)
        _REGISTRY.append(cached)
        return cached  # type: ignore[return-value]

    return wrap


def clear_all() -> None:
    """Empty every registered memo (for measuring cold rounds; output is unchanged)."""
    for cached in _REGISTRY:
        cached.cache_clear()


def registered() -> list[str]:
    """Qualified names of the registered memos (for tests and docs)."""
    return sorted(f"{c.__module__}.{c.__qualname__}" for c in _REGISTRY)
