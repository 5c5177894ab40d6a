"""Possible omissions from word alignment: source words of substance left unaligned.

Only words that carry content an editor must keep are reported — numbers, ordinals
(*sixth*), qualifiers (*final*, *recent*, *nearly*), verbs of commitment (*increase*)
and proper names — as warnings; other unaligned content words are reported as info
only when nothing on the target side resembles them. Function words and usual
translation shifts (data/omission_words.json) are never reported, to avoid flooding.
A weak filler link does not save a word from being unaligned (:func:`strong_links`), and
a usual rendering shown by the rest of the document does (:class:`_Cooccurrence`).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import regex

from aligner.model import Bitext, Evidence, Finding, Severity
from aligner.wordalign.align import WordLinks, WordToken

CHECK_NAME = "omission-words"
CATEGORY = "word.omitted"
SUBSTANCE_CLASSES = ("number", "ordinal", "qualifier", "commitment", "name")
INFO_MAX_SIMILARITY = 0.72  # simalign (cos+1)/2: above this a word likely has a translation
#: A link that is neither word's argmax and weaker than this is a filler itermax paired
#: between leftovers (recent ↔ وقعت "occurred", 0.744): it does not count as a translation.
#: Measured on the faithful Rome statement: its weakest such link of a substance word is
#: 0.769 ("requires" ↔ تتطلّب); see docs/word-alignment.md.
WEAK_LINK = 0.76
#: A source word unaligned in its bead still counts as translated when the document shows
#: its rendering: a target word in the bead co-occurring with it bead by bead (Dice ≥ this,
#: over ≥ MIN_RECURRENCE beads) — how the aligner learns "Coalition" ↔ التحالف, which the
#: encoder does not know.
MIN_DICE = 0.7
MIN_RECURRENCE = 3
MIN_CONTENT_LENGTH = 4  # shorter unlisted words are too often particles or clitics
_NUMBER = regex.compile(r"\p{N}")
_UPPER = regex.compile(r"\p{Lu}")


@cache
def word_lists() -> dict[str, dict[str, frozenset[str]]]:
    """The stop-lists and substance lists per language, from the package data."""
    raw = json.loads(
        resources.files("aligner.wordalign")
        .joinpath("data/omission_words.json")
        .read_text(encoding="utf-8")
    )
    return {
        lang: {k: frozenset(v) for k, v in lists.items()}
        for lang, lists in raw.items()
        if not lang.startswith("_")
    }


def _forms(word: str, lang: str) -> list[str]:
    """The word and, for Arabic, the word without a leading clitic (و، ب، ال …)."""
    w = word.lower() if lang == "en" else word
    forms = [w]
    lists = word_lists().get(lang, {})
    for prefix in sorted(lists.get("ar_prefixes", ()), key=len, reverse=True):
        if w.startswith(prefix) and len(w) - len(prefix) >= 2:
            stem = w[len(prefix) :]
            forms.extend([stem, "ال" + stem])
    return forms


def classify(tokens: list[WordToken], index: int, lang: str) -> str | None:
    """Why ``tokens[index]`` matters if dropped: a substance class, "content" or None."""
    word = tokens[index].text
    if _NUMBER.search(word):
        return "number"
    lists = word_lists().get(lang, {})
    forms = _forms(word, lang)
    for cls in ("ordinal", "qualifier", "commitment"):
        if any(f in lists.get(cls, ()) for f in forms):
            return cls
    if any(f in lists.get("function", ()) or f in lists.get("shifts", ()) for f in forms):
        return None
    if _capitalised(tokens, index, lang) and not word.isupper():
        return "name"
    if len(word) < MIN_CONTENT_LENGTH:
        return None
    return "content"


def _capitalised(tokens: list[WordToken], index: int, lang: str) -> bool:
    """A capitalised English word not opening its sentence: part of a name or title."""
    start = index == 0 or tokens[index - 1].segment_id != tokens[index].segment_id
    return lang == "en" and not start and bool(_UPPER.match(tokens[index].text))


def _name_run(tokens: list[WordToken], index: int, lang: str) -> list[int]:
    """Indices of the capitalised words forming one name with ``tokens[index]``.

    A name may be joined by function words ("Secretary of State", "Coalition to Defeat
    Daesh/ISIS"); its translation is often fewer words, so one linked part suffices.
    """
    function = word_lists().get(lang, {}).get("function", frozenset())
    run = [index]
    for step in (-1, 1):
        j = index + step
        while 0 <= j < len(tokens) and tokens[j].segment_id == tokens[index].segment_id:
            word = tokens[j].text
            if _UPPER.match(word):
                run.append(j)
            elif word.lower() not in function:
                break
            j += step
    return run


def _target_evidence(bitext: Bitext, wl: WordLinks) -> Evidence | None:
    if not wl.tgt:
        return None
    seg_id = wl.tgt[0].segment_id
    return Evidence("target", seg_id, bitext.segment(seg_id).text)


def strong_links(wl: WordLinks) -> list[tuple[int, int]]:
    """The links that count as translations: all but weak fillers (see :data:`WEAK_LINK`).

    Plain :class:`WordLinks` (without scores, e.g. hand-built) count every link.
    """
    scores = getattr(wl, "link_scores", None)
    argmax = getattr(wl, "argmax", None)
    if not scores or not argmax or len(scores) != len(wl.links):
        return list(wl.links)
    return [
        link
        for link, score, arg in zip(wl.links, scores, argmax, strict=True)
        if arg or score >= WEAK_LINK
    ]


def _key(word: str, lang: str) -> str:
    """A word's comparison form across beads: lower-cased, Arabic clitics and article off."""
    forms = _forms(word, lang)
    return min(forms, key=len) if lang == "ar" else forms[0]


class _Cooccurrence:
    """Bead-level co-occurrence of source and target word forms over one document."""

    def __init__(self, word_links: list[WordLinks], src_lang: str, tgt_lang: str) -> None:
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.src: dict[str, set[int]] = {}
        self.tgt: dict[str, set[int]] = {}
        for k, wl in enumerate(word_links):
            for side, tokens, lang in ((self.src, wl.src, src_lang), (self.tgt, wl.tgt, tgt_lang)):
                for tok in tokens:
                    side.setdefault(_key(tok.text, lang), set()).add(k)

    def rendered(self, word: str, targets: list[WordToken]) -> bool:
        """True when some target word of the bead is this word's usual rendering."""
        beads = self.src.get(_key(word, self.src_lang), set())
        if len(beads) < MIN_RECURRENCE:
            return False
        function = word_lists().get(self.tgt_lang, {}).get("function", frozenset())
        for tok in targets:
            key = _key(tok.text, self.tgt_lang)
            if key in function or tok.text in function or len(key) < 2:
                continue
            other = self.tgt.get(key, set())
            if 2 * len(beads & other) / (len(beads) + len(other)) >= MIN_DICE:
                return True
        return False


def find_omissions(bitext: Bitext, word_links: list[WordLinks]) -> list[Finding]:
    """Findings ``word.omitted`` for unaligned source words of substance, in document order.

    A word is unaligned when it has no link but weak fillers (:func:`strong_links`) and
    the document shows no usual rendering of it in the bead (:class:`_Cooccurrence`).
    """
    lang = bitext.source.lang
    findings: list[Finding] = []
    usable = [wl for wl in word_links if not wl.skipped and wl.src and wl.tgt]
    cooc = _Cooccurrence(usable, lang, bitext.target.lang)
    for wl in usable:
        linked = {i for i, _ in strong_links(wl)}
        weak = {i for i, _ in wl.links} - linked
        for i, tok in enumerate(wl.src):
            if i in linked:
                continue
            cls = classify(wl.src, i, lang)
            if cls is None:
                continue
            best = wl.src_best[i] if i < len(wl.src_best) else 0.5
            if cls == "content" and best > INFO_MAX_SIMILARITY:
                continue
            if _capitalised(wl.src, i, lang) and any(
                j in linked for j in _name_run(wl.src, i, lang)
            ):
                continue
            if cooc.rendered(tok.text, wl.tgt):
                continue
            findings.append(_finding(bitext, wl, tok, cls, best, i in weak))
    return sorted(findings, key=lambda f: f.sort_key())


def _finding(
    bitext: Bitext, wl: WordLinks, tok: WordToken, cls: str, best: float, weak: bool
) -> Finding:
    # unaligned and unlike every target word → likely dropped; similarity 0.5 ~ cosine 0.
    # Only a weak filler link: the aligner did pair it with something, so less sure.
    confidence = round(min(0.95, max(0.05, 2.0 * (1.0 - best) * (0.75 if weak else 1.0))), 3)
    severity = Severity.WARNING if cls in SUBSTANCE_CLASSES else Severity.INFO
    seg = bitext.segment(tok.segment_id)
    details: dict[str, Any] = {
        "word": tok.text,
        "class": cls,
        "alignment": wl.alignment,
        "best_similarity": round(best, 4),
        "weak_link_only": weak,
    }
    return Finding(
        category=CATEGORY,
        severity=severity,
        confidence=confidence,
        message=(
            f"source word {tok.text!r} ({cls}) is aligned to nothing in the translation"
            + (" (only a weak filler link)" if weak else "")
            + ": possibly omitted"
        ),
        check=CHECK_NAME,
        source=Evidence("source", seg.id, seg.text, (tok.start, tok.end)),
        target=_target_evidence(bitext, wl),
        details=details,
    )
