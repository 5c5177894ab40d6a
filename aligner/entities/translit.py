"""Transliteration similarity between English and Arabic names.

Arabic script writes no short vowels, and English spellings of Arabic names (and
Arabic spellings of English ones) vary in their vowels, so both sides are reduced to a
*consonant skeleton* over a shared class alphabet (``data/skeleton.json``) and compared
with rapidfuzz's normalised Indel ratio: Blinken = بلينكن → BLNKN = BLNKN (100).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz

from aligner.entities.normalise import normalise_ar, tokens
from aligner.memo import memo

#: a name matches its transliteration at or above this ratio (tuned on corpora/, see
#: docs/entities.md): the lowest true pair there is the misspelt بلكين for Blinken (89),
#: the highest false pair among neighbouring words is below 70.
MATCH_THRESHOLD = 80.0
#: names whose skeleton is this short or shorter (Di Maio → DM) must match exactly
SHORT_SKELETON = 3


@lru_cache(maxsize=1)
def _table() -> dict:
    path = resources.files("aligner.entities") / "data" / "skeleton.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _collapse(s: str) -> str:
    out: list[str] = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@memo(maxsize=65536)
def _latin_word(word: str) -> str:
    """Skeleton of one English word (memoised: names are compared with every window)."""
    t = _table()
    w = word.lower()
    if w[:3] in ("al-", "el-") and len(w) > 5:  # al-Baghdadi: the article is no consonant
        w = w[3:]
    out = ["W"] if w.startswith(t["initial_w"]["latin"]) else []
    i = 0
    while i < len(w):
        pair = w[i : i + 2]
        if pair in t["latin_digraphs"]:
            out.append(t["latin_digraphs"][pair])
            i += 2
            continue
        ch = w[i]
        if ch == "c" and w[i + 1 : i + 2] in ("e", "i", "y"):
            out.append(t["latin_soft_c"])
        else:
            out.append(t["latin"].get(ch, ""))
        i += 1
    return _collapse("".join(out))


@memo(maxsize=65536)
def _arabic_word(word: str) -> str:
    """Skeleton of one Arabic word (memoised: each word sits in several name windows)."""
    t = _table()
    w = normalise_ar(word)
    if w.startswith("ال") and len(w) > 4:  # البغدادي: the article is no consonant
        w = w[2:]
    out = ["W"] if w.startswith(t["initial_w"]["arabic"]) else []
    i = 0
    while i < len(w):
        pair = w[i : i + 2]
        if pair in t["arabic_digraphs"]:
            out.append(t["arabic_digraphs"][pair])
            i += 2
            continue
        out.append(t["arabic"].get(w[i], ""))
        i += 1
    return _collapse("".join(out))


def skeleton(name: str, lang: str) -> str:
    """The consonant skeleton of a name, words joined by spaces (``Le Drian`` → ``L DRN``)."""
    conv = _latin_word if lang == "en" else _arabic_word
    return " ".join(s for s in (conv(t.text) for t in tokens(name)) if s)


def similarity(en_name: str, ar_name: str) -> float:
    """0..100: how well ``ar_name`` transliterates ``en_name`` (word breaks ignored)."""
    a = skeleton(en_name, "en").replace(" ", "")
    b = skeleton(ar_name, "ar").replace(" ", "")
    if not a or not b:
        return 0.0
    return float(fuzz.ratio(a, b))


def is_transliteration(en_name: str, ar_name: str, threshold: float = MATCH_THRESHOLD) -> bool:
    """True when ``ar_name`` is a plausible Arabic spelling of ``en_name``.

    Short skeletons (two or three consonants) are too easy to hit by chance
    (Di Maio → DM = دعم "support"), so they must match exactly and word for word.
    """
    a = skeleton(en_name, "en").replace(" ", "")
    if len(a) < 2:  # one consonant (Maio → M) matches half the words of a sentence
        return False
    if len(a) <= SHORT_SKELETON:
        en_words = [t for t in tokens(en_name) if len(t.text.rstrip(".")) > 1]
        ar_words = [t for t in tokens(ar_name) if len(t.text.rstrip(".")) > 1]
        return len(en_words) == len(ar_words) and similarity(en_name, ar_name) == 100.0
    return similarity(en_name, ar_name) >= threshold
