"""Transliteration similarity between English and Arabic names.

Arabic script writes no short vowels, and English spellings of Arabic names (and
Arabic spellings of English ones) vary in their vowels, so both sides are reduced to a
*consonant skeleton* over a shared class alphabet (``data/skeleton.json``) and compared
with rapidfuzz's normalised Indel ratio: Blinken = بلينكن → BLNKN = BLNKN (100).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz

from aligner.entities.normalise import normalise_ar, word_spans, words
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
    return _arabic_normalised(normalise_ar(word))


def _arabic_normalised(w: str) -> str:
    """:func:`_arabic_word` of a word already normalised."""
    if w.startswith("ال") and len(w) > 4:  # البغدادي: the article is no consonant
        w = w[2:]
    table, digraphs, initial = _arabic_letters()
    if digraphs.search(w) is None:
        # letter by letter in one translate: the table covers ASCII and the Arabic
        # block (letters of no class deleted); a letter from elsewhere stays, is not
        # ASCII, and sends the word the long way
        classes = w.translate(table)
        if classes.isascii():
            if w.startswith(initial):
                classes = "W" + classes
            return _RUNS.sub(r"\1", classes) if _RUNS.search(classes) else classes
    t = _table()
    out = ["W"] if w.startswith(initial) else []
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


_RUNS = re.compile(r"(.)\1+", re.DOTALL)


@lru_cache(maxsize=1)
def _arabic_letters() -> tuple[dict[int, str | None], re.Pattern[str], str]:
    """The Arabic class table for ``str.translate`` over ASCII and the Arabic block
    (every other letter of them deleted), a search for the digraphs it cannot read,
    and the letter that is a W at the start of a word."""
    t = _table()
    if any(len(c) != 1 or not c.isascii() for c in t["arabic"].values()):
        raise ValueError("skeleton.json: Arabic classes are single ASCII letters")
    table: dict[int, str | None] = dict.fromkeys([*range(0x80), *range(0x600, 0x700)])
    table.update({ord(c): v for c, v in t["arabic"].items()})
    digraphs = "|".join(map(re.escape, t["arabic_digraphs"])) or "(?!)"
    return table, re.compile(digraphs), t["initial_w"]["arabic"]


def skeleton(name: str, lang: str) -> str:
    """The consonant skeleton of a name, words joined by spaces (``Le Drian`` → ``L DRN``)."""
    conv = _latin_word if lang == "en" else _arabic_word
    return " ".join(s for s in map(conv, word_spans(name)[0]) if s)


def flat_skeleton(name: str, lang: str) -> str:
    """:func:`skeleton` without its spaces, what the similarity compares (the word
    skeletons are letters only, so this is their concatenation)."""
    conv = _latin_word if lang == "en" else _arabic_word
    return "".join(map(conv, word_spans(name)[0]))


def name_word_count(name: str) -> int:
    """Words of a name longer than one letter (initials such as ``J.`` do not count)."""
    return sum(len(w.rstrip(".")) > 1 for w in word_spans(name)[0])


def arabic_reading(reading: str, normalised: str) -> tuple[str, int]:
    """(:func:`flat_skeleton`, :func:`name_word_count`) of an Arabic word reading whose
    :func:`normalise_ar` is ``normalised``. A name is compared with every window of
    words of a sentence, and a window's skeleton is the concatenation of its words'
    (no word runs into the next one across the space between them)."""
    if reading.isalpha():  # letters only: one word (every letter is a word character)
        return _arabic_normalised(normalised), int(len(reading) > 1)
    ws = words(reading)  # not word_spans: its memo is for sentences
    return "".join(map(_arabic_word, ws)), sum(len(w.rstrip(".")) > 1 for w in ws)


def similarity(en_name: str, ar_name: str) -> float:
    """0..100: how well ``ar_name`` transliterates ``en_name`` (word breaks ignored)."""
    a = flat_skeleton(en_name, "en")
    b = flat_skeleton(ar_name, "ar")
    if not a or not b:
        return 0.0
    return float(fuzz.ratio(a, b))


def is_transliteration(en_name: str, ar_name: str, threshold: float = MATCH_THRESHOLD) -> bool:
    """True when ``ar_name`` is a plausible Arabic spelling of ``en_name``.

    Short skeletons (two or three consonants) are too easy to hit by chance
    (Di Maio → DM = دعم "support"), so they must match exactly and word for word.
    """
    a = flat_skeleton(en_name, "en")
    if len(a) < 2:  # one consonant (Maio → M) matches half the words of a sentence
        return False
    b = flat_skeleton(ar_name, "ar")
    score = float(fuzz.ratio(a, b)) if b else 0.0  # similarity(en_name, ar_name)
    if len(a) <= SHORT_SKELETON:
        return name_word_count(en_name) == name_word_count(ar_name) and score == 100.0
    return score >= threshold
