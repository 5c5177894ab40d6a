"""Language by script: Arabic letters vs Latin letters.

The corpus has exactly two languages in two scripts, so counting letters is both
exact and model-free; a paragraph belongs to the language of its majority script
(an English paragraph may hold "Daesh/ISIS", an Arabic one "(PNR)").
"""

from __future__ import annotations

import pycountry
import regex

from aligner.model import AlignerError

_ARABIC = regex.compile(r"(?V1)[\p{Script=Arabic}&&\p{L}]")
_LATIN = regex.compile(r"(?V1)[\p{Script=Latin}&&\p{L}]")
_LETTER = regex.compile(r"\p{L}")

#: Arabic + Latin letters must be at least this share of all letters to decide.
MIN_SCRIPT_SHARE = 0.5
#: a file is split into two Documents only if the minority language holds this share of letters
MIN_SPLIT_SHARE = 0.15


def declared_language(value: str | None) -> str | None:
    """A declared language code (html ``lang``, TEI ``xml:lang``) if it is a real ISO 639 one.

    Markup from outside may declare anything (``lang="qen\""``); the code becomes part
    of sentence ids (xml:id), so an unknown code is ignored and the script decides.
    Returns the ISO 639-1 code where one exists, as Document.lang expects.
    """
    if not value:
        return None
    code = value.strip().lower()
    if not regex.fullmatch(r"[a-z]{2,3}", code):
        return None
    key = "alpha_2" if len(code) == 2 else "alpha_3"
    found = pycountry.languages.get(**{key: code})
    if found is None:
        return None
    return str(getattr(found, "alpha_2", code))  # ISO 639-1 where there is one ("ara" → "ar")


def script_counts(text: str) -> tuple[int, int, int]:
    """(Arabic letters, Latin letters, all letters) in ``text``."""
    return len(_ARABIC.findall(text)), len(_LATIN.findall(text)), len(_LETTER.findall(text))


def script_language(text: str) -> str | None:
    """ "ar"/"en" by majority script, or None when the text has no Arabic or Latin letter."""
    ar, lat, _ = script_counts(text)
    if ar == 0 and lat == 0:
        return None
    return "ar" if ar >= lat else "en"


def detect_language(text: str) -> str:
    """ "ar" or "en" by script share; AlignerError when neither script is present enough."""
    ar, lat, letters = script_counts(text)
    if ar + lat < 2 or (ar + lat) < MIN_SCRIPT_SHARE * letters:
        raise AlignerError(
            f"cannot tell the language: {ar} Arabic and {lat} Latin letters of {letters}"
        )
    return "ar" if ar >= lat else "en"


def paragraph_languages(paragraphs: list[str]) -> list[str | None]:
    """Language of each paragraph; letterless ones (dates, codes) follow their neighbour."""
    langs = [script_language(p) for p in paragraphs]
    previous: str | None = None
    for i, lang in enumerate(langs):
        if lang is None:
            langs[i] = previous
        previous = langs[i]
    following: str | None = None
    for i in range(len(langs) - 1, -1, -1):
        if langs[i] is None:
            langs[i] = following
        following = langs[i]
    return langs


def split_by_script(paragraphs: list[str]) -> list[tuple[str, list[int]]]:
    """Group paragraph indices by language, in order of first appearance.

    A file is bilingual only if the minority language holds at least
    ``MIN_SPLIT_SHARE`` of the Arabic+Latin letters; otherwise a stray quotation in
    the other script stays in place and the whole file is one language.
    Returns ``[]`` when no paragraph has an Arabic or Latin letter.
    """
    langs = paragraph_languages(paragraphs)
    letters: dict[str, int] = {}
    order: list[str] = []
    for para, lang in zip(paragraphs, langs, strict=True):
        if lang is None:
            continue
        if lang not in letters:
            order.append(lang)
            letters[lang] = 0
        ar, lat, _ = script_counts(para)
        letters[lang] += ar + lat
    total = sum(letters.values())
    if not order or total == 0:
        return []
    kept = [lang for lang in order if letters[lang] >= MIN_SPLIT_SHARE * total]
    if len(kept) < 2:
        main = max(order, key=lambda k: letters[k])
        return [(main, list(range(len(paragraphs))))]
    return [(lang, [i for i, x in enumerate(langs) if x == lang]) for lang in kept]
