"""Named entities across Arabic and English: normalisation, gazetteer, transliteration."""

from __future__ import annotations


def clear_caches() -> None:
    """Empty the per-process memos of words, sentences and names (tokens, Arabic readings,
    skeletons, adjectives). Only for measuring: a benchmark that repeats one document must
    start each round cold, or it measures dictionary look-ups. The gazetteer itself is kept.
    """
    from aligner.checks import entities as check
    from aligner.entities import gazetteer, normalise, translit

    for memo in (
        normalise._tokens,
        normalise.ar_readings,
        gazetteer._tail_cores,
        gazetteer.adjective_forms,
        translit._latin_word,
        translit._arabic_word,
        check._name_reading,
        check._strip_conj,
    ):
        memo.cache_clear()
