"""Word alignment of aligned sentence pairs with simalign over the offline encoder.

torch/transformers/simalign are imported only when a :class:`WordAligner` is built,
so that the rest of aligner runs without the ``words`` extra.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import regex

from aligner.model import AlignerError, Bitext, Segment, WordLinks, WordToken
from aligner.runtime import compute_threads
from aligner.wordalign.model import DEFAULT_MODEL, ensure_model, folder_size, spec

# Numbers keep their group/decimal separators (1,000 / 7.7 / ٧٫٧) and a glued suffix (20th);
# words are runs of letters, combining marks (Arabic harakat, shadda) and digits.
NUMBER_SEPARATORS = ".,٫٬"
_WORD_RE = regex.compile(
    rf"\p{{N}}+(?:[{NUMBER_SEPARATORS}]\p{{N}}+)*[\p{{L}}\p{{M}}]*|[\p{{L}}\p{{M}}\p{{N}}_]+"
)

DEFAULT_LAYER = 8  # chosen by measurement, see docs/word-alignment.md
DEFAULT_METHOD = "m"  # max-weight matching (simalign's mwmf), solved by scipy; see docs
METHODS = {"a": "inter", "i": "itermax", "m": "mwmf", "f": "fwd", "r": "rev"}
MAX_PIECES = 500  # the encoder's 512 positions minus <s>, </s> and a margin
#: padded pieces per encoder batch: sequences are sorted by length and batched so that a
#: forward pass multiplies larger matrices with almost no padding (measured best at
#: 512-1024 on 2 cores, docs/word-alignment.md); a longer sequence goes alone
BATCH_PIECES = 1024


@dataclass
class ScoredWordLinks(WordLinks):
    """Word links with what the omission rule needs to tell a real link from a filler.

    ``link_scores[k]`` is the similarity of ``links[k]`` ((cos+1)/2, best piece pair);
    ``argmax[k]`` is true when the link is the best choice of its source or its target
    word (simalign's forward/reverse argmax). A one-to-one matching (and itermax's later
    rounds) also pairs leftovers that
    are neither: such a link below ``omission.WEAK_LINK`` is a guess, not a translation.
    """

    link_scores: list[float] = field(default_factory=list)
    argmax: list[bool] = field(default_factory=list)


@dataclass
class Scored:
    links: list[tuple[int, int]]
    scores: list[float]
    argmax: list[bool]
    best: list[float]


def score_links(
    sim: np.ndarray, mat: np.ndarray, src_map: list[int], tgt_map: list[int], n_src: int
) -> Scored:
    """Word-level links of a piece-level match matrix, with similarity and argmax flag."""
    fwd = np.zeros_like(sim, dtype=bool)
    fwd[np.arange(sim.shape[0]), sim.argmax(axis=1)] = True
    rev = np.zeros_like(sim, dtype=bool)
    rev[sim.argmax(axis=0), np.arange(sim.shape[1])] = True
    either = fwd | rev
    found: dict[tuple[int, int], tuple[float, bool]] = {}
    rows, cols = np.nonzero(mat > 0)
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        key = (src_map[r], tgt_map[c])
        score, arg = found.get(key, (0.0, False))
        found[key] = (max(score, float(sim[r, c])), arg or bool(either[r, c]))
    links = sorted(found)
    best = [0.0] * n_src
    for r, wi in enumerate(src_map):
        best[wi] = max(best[wi], float(sim[r].max()))
    return Scored(links, [round(found[k][0], 6) for k in links], [found[k][1] for k in links], best)


def max_weight_match(sim: np.ndarray) -> np.ndarray:
    """simalign's mwmf as a 0/1 matrix, solved as an assignment problem.

    All similarities are positive, so networkx's max-weight matching (simalign's own,
    ~4 pairs/s on 120-piece sentences) and scipy's Hungarian solver give the same links
    (checked on all 51 Rome/Paris beads); scipy takes well under a millisecond.
    """
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(sim, maximize=True)
    mat = np.zeros_like(sim)
    mat[rows, cols] = 1.0
    return mat


def tokenize_words(text: str) -> list[tuple[str, int, int]]:
    """Words with their character spans; punctuation dropped, numbers kept whole."""
    return [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def pharaoh(links: list[tuple[int, int]]) -> str:
    """Links in Pharaoh format ("0-0 1-2"), sorted, as fast_align and simalign write them."""
    return " ".join(f"{i}-{j}" for i, j in sorted(links))


def truncate_encoder(model: Any, layers: int) -> None:
    """Keep only the first ``layers`` encoder layers of a BERT ``model``, in place.

    The aligner reads one layer (8 of 12): the layers above it are a third of the
    encoder's work and never used; the layers kept compute exactly what they did.
    In place, not a shallow copy: transformers 5 records hidden states with hooks
    installed on the layers by the first forward of a model, and a copy sharing the
    layers would install a second set (every hidden state recorded twice).
    """
    import torch

    model.encoder.layer = torch.nn.ModuleList(list(model.encoder.layer)[:layers])
    model.config.num_hidden_layers = layers


def length_batches(lengths: Sequence[int], budget: int = BATCH_PIECES) -> list[list[int]]:
    """Indices grouped for the encoder: by length, each group's padded size ≤ ``budget``.

    Sorting (stable, so ties keep input order) leaves little padding in a group.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    groups: list[list[int]] = []
    for i in order:
        if groups and (len(groups[-1]) + 1) * lengths[i] <= budget:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def segment_words(segments: list[Segment]) -> list[WordToken]:
    return [
        WordToken(w, seg.id, s, e) for seg in segments for (w, s, e) in tokenize_words(seg.text)
    ]


class WordAligner:
    """simalign over the converted encoder; ``layer`` and ``method`` as measured best."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        layer: int = DEFAULT_LAYER,
        method: str = DEFAULT_METHOD,
        batch_pieces: int = BATCH_PIECES,
    ) -> None:
        if method not in METHODS:
            raise AlignerError(f"unknown matching method {method!r} (use one of a, i, m, f, r)")
        self.model = model
        self.spec = spec(model)
        self.layer = layer
        self.method = method
        self.path = ensure_model(model)
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from simalign import SentenceAligner
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise AlignerError(
                f"word alignment needs the 'words' extra (pip install aligner[words]): {exc}"
            ) from None
        import torch

        torch.set_num_threads(compute_threads())
        hf_logging.set_verbosity_error()
        # simalign logs every model load at INFO on its own stderr handler: not for users
        logging.getLogger("simalign").setLevel(logging.WARNING)
        logging.getLogger("simalign.simalign").setLevel(logging.WARNING)
        hf_logging.disable_progress_bar()
        self._sa = SentenceAligner(
            model=str(self.path), token_type="bpe", matching_methods=method, layer=layer
        )
        n_layers = self._sa.embed_loader.emb_model.config.num_hidden_layers
        if not 0 <= layer <= n_layers:
            raise AlignerError(f"layer {layer} out of range 0..{n_layers} for {model}")
        norm = json.loads((self.path / "normalization.json").read_text(encoding="utf-8"))
        self._norm = {int(cp): out for cp, out in norm.items()}
        self.batch_pieces = batch_pieces
        self._tokenizer = self._sa.embed_loader.tokenizer
        self._special = (
            int(self._tokenizer.cls_token_id),
            int(self._tokenizer.sep_token_id),
            int(self._tokenizer.pad_token_id),
        )
        truncate_encoder(self._sa.embed_loader.emb_model, layer)
        self._encoder = self._sa.embed_loader.emb_model
        self._piece_memo: dict[str, list[int]] = {}

    def info(self) -> dict[str, Any]:
        return {
            "name": self.model,
            "path": str(self.path),
            "size": folder_size(self.path),
            "licence": self.spec.licence,
            "layer": self.layer,
            "method": METHODS[self.method],
        }

    def _pieces(self, word: str) -> list[int]:
        """Piece ids of one (normalised) word, memoised: words repeat across beads."""
        ids = self._piece_memo.get(word)
        if ids is None:
            ids = self._tokenizer.convert_tokens_to_ids(self._tokenizer.tokenize(word))
            self._piece_memo[word] = ids
        return ids

    def _embed(self, sequences: list[list[list[int]]]) -> list[np.ndarray]:
        """Layer-``layer`` vectors of every piece of each sequence (words → piece ids).

        Equivalent to simalign's ``get_embed_list`` (the same input ids: checked equal
        to the tokenizer's split-into-words output), but only up to the layer read,
        several sequences per forward pass, sorted by length.
        """
        import torch

        flat = [[p for word in seq for p in word] for seq in sequences]
        out: list[np.ndarray] = [np.zeros((0, 0), dtype=np.float32)] * len(flat)
        cls, sep, pad = self._special
        for group in length_batches([len(f) + 2 for f in flat], self.batch_pieces):
            width = max(len(flat[i]) for i in group) + 2
            ids = torch.full((len(group), width), pad, dtype=torch.long)
            mask = torch.zeros((len(group), width), dtype=torch.long)
            for row, i in enumerate(group):
                seq = [cls, *flat[i], sep]
                ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
                mask[row, : len(seq)] = 1
            with torch.inference_mode():
                hidden = self._encoder(
                    input_ids=ids, attention_mask=mask, output_hidden_states=True
                )["hidden_states"][self.layer]
            vectors = hidden.numpy()
            for row, i in enumerate(group):
                out[i] = vectors[row, 1 : 1 + len(flat[i])].copy()
        return out

    def _prepare(self, words: list[str]) -> list[list[int]]:
        return [self._pieces(w.translate(self._norm) or "_") for w in words]

    def _link(
        self, src: list[list[int]], tgt: list[list[int]], vs: np.ndarray, vt: np.ndarray
    ) -> Scored:
        """Links of one sentence pair from its piece vectors (simalign's matching)."""
        sa = self._sa
        maps = [[i for i, p in enumerate(side) for _ in p] for side in (src, tgt)]
        sim = sa.get_similarity(vs, vt)
        if self.method == "m":
            mat = max_weight_match(sim)
        elif self.method == "i":
            mat = sa.iter_max(sim)
        else:
            fwd, rev = sa.get_alignment_matrix(sim)
            mat = {"a": fwd * rev, "f": fwd, "r": rev}[self.method]
        return score_links(sim, mat, maps[0], maps[1], len(src))

    def _score_pairs(self, pairs: list[tuple[list[str], list[str]]]) -> list[Scored | None]:
        """Links, strength and per-source-word best similarity of each pair of word
        lists (None when a side is too long); all pairs share the encoder's batches."""
        prepared = [(self._prepare(s), self._prepare(t)) for s, t in pairs]
        fits = [max(sum(map(len, side)) for side in pair) <= MAX_PIECES for pair in prepared]
        sequences = [side for pair, ok in zip(prepared, fits, strict=True) if ok for side in pair]
        vectors = iter(self._embed(sequences))
        out: list[Scored | None] = []
        for (src, tgt), ok in zip(prepared, fits, strict=True):
            out.append(self._link(src, tgt, next(vectors), next(vectors)) if ok else None)
        return out

    def _scores(self, src: list[str], tgt: list[str]) -> Scored | None:
        """Links, their strength and per-source-word best similarity; None when too long."""
        return self._score_pairs([(src, tgt)])[0]

    def align(self, src_tokens: list[str], tgt_tokens: list[str]) -> list[tuple[int, int]]:
        """0-based (i, j) links between two word lists (empty if either is empty)."""
        if not src_tokens or not tgt_tokens:
            return []
        got = self._scores(src_tokens, tgt_tokens)
        return got.links if got else []

    def align_bitext(self, bitext: Bitext) -> list[WordLinks]:
        """Word-align every 1-1, 1-n and n-1 bead of an already sentence-aligned Bitext."""
        beads: list[tuple[int, list[WordToken], list[WordToken]]] = []
        for k, al in enumerate(bitext.alignments):
            if not al.src or not al.tgt:
                continue
            src = segment_words([bitext.source.segments[i] for i in al.src])
            tgt = segment_words([bitext.target.segments[j] for j in al.tgt])
            beads.append((k, src, tgt))
        todo = [(k, s, t) for k, s, t in beads if s and t]
        scored = self._score_pairs([([w.text for w in s], [w.text for w in t]) for _, s, t in todo])
        found = {k: got for (k, _, _), got in zip(todo, scored, strict=True)}
        out: list[WordLinks] = []
        for k, src, tgt in beads:
            if not src or not tgt:
                out.append(ScoredWordLinks(k, src, tgt, [], [0.0] * len(src)))
                continue
            got = found[k]
            if got is None:
                out.append(ScoredWordLinks(k, src, tgt, [], [], skipped=True))
            else:
                out.append(
                    ScoredWordLinks(
                        k, src, tgt, got.links, got.best, link_scores=got.scores, argmax=got.argmax
                    )
                )
        return out
