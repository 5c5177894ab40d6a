"""Named entities across Arabic and English: normalisation, gazetteer, transliteration."""

from __future__ import annotations

from aligner.memo import clear_all as clear_caches

__all__ = ["clear_caches"]
