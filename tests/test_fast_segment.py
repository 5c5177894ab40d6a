"""The splitter jumps from stop to stop with one regex search; it must cut exactly where
the character-by-character loop it replaced cuts (kept here as the reference)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.segment import _FOOTNOTE, TATWEEL, _in, _is_ignorable, _is_mark, _rules, _Splitter

ROOT = Path(__file__).resolve().parent.parent


class _ReferenceSplitter(_Splitter):
    def cuts(self) -> list[int]:
        """The loop as it was: every character visited in Python."""
        p, n, r = self.p, self.n, self.r
        cuts: list[int] = []
        i = 0
        while i < n:
            ch = p[i]
            if ch == "\n":
                if self._heading_line_ends(i):
                    cuts.append(i)
                i += 1
                continue
            if ch not in r.terminators:
                i += 1
                continue
            j = i
            while j < n and (p[j] in r.terminators or _is_ignorable(p[j])):
                j += 1
            run = "".join(c for c in p[i:j] if not _is_ignorable(c))
            while j < n:
                if p[j] in r.closers or p[j] == TATWEEL or _is_ignorable(p[j]):
                    j += 1
                elif m := _FOOTNOTE.match(p, j):
                    j = m.end()
                else:
                    break
            k, saw_space = self._skip_space(j)
            standalone = i > 0 and self.p[i - 1].isspace() and run != "." and set(run) <= {"…", "."}
            if k < n and not standalone:
                if saw_space:
                    ends = self._may_open(p[k]) and (run != "." or self._dot_ends_sentence(i, k))
                else:
                    ends = self._arabic_glued(i, k)
                if ends:
                    cuts.append(j)
            i = j
        return cuts


def _same_cuts(text: str, lang: str) -> bool:
    rules = _rules(lang)
    return _Splitter(text, rules).cuts() == _ReferenceSplitter(text, rules).cuts()


def test_regex_stop_search_cuts_like_the_character_loop() -> None:
    paths = sorted([*ROOT.glob("corpora/**/*.txt"), *ROOT.glob("tests/**/*.txt")])
    paragraphs = [
        para
        for path in paths
        for para in path.read_text(encoding="utf-8", errors="replace").split("\n\n")
    ]
    assert len(paragraphs) > 100
    cut_somewhere = 0
    for para in paragraphs:
        for lang in ("ar", "en", "fr"):
            assert _same_cuts(para, lang), (para[:80], lang)
        cut_somewhere += bool(_Splitter(para, _rules("ar")).cuts())
    assert cut_somewhere > 50


_alphabet = st.sampled_from([*"ab A.B؟!?…۔\n \u200f\u0640ج١2,،\"')]«»[1]US", "[1]", "U.S."])


@settings(max_examples=500, deadline=None)
@given(st.lists(_alphabet, max_size=40).map("".join), st.sampled_from(["ar", "en", "fr"]))
def test_random_text_cuts_like_the_character_loop(text: str, lang: str) -> None:
    assert _same_cuts(text, lang)


def _reference_token_before(splitter: _Splitter, i: int) -> tuple[str, int]:
    k = i
    while k > 0:
        c = splitter.p[k - 1]
        if c.isalnum() or c == "." or c == TATWEEL or _is_ignorable(c) or _is_mark(c):
            k -= 1
        else:
            break
    raw = splitter.p[k:i]
    token = "".join(c for c in raw if c != TATWEEL and not _is_ignorable(c) and not _is_mark(c))
    return token.strip("."), k


def _reference_in(token: str, table: frozenset[str]) -> bool:
    if token in table:
        return True
    if sum(c.isalpha() for c in token) < 2:
        return False
    low = token.lower()
    return any(low == t.lower() for t in table)


def test_word_before_a_stop_and_abbreviation_lookup_match_the_plain_versions() -> None:
    paths = sorted([*ROOT.glob("corpora/**/*.txt"), *ROOT.glob("tests/**/*.txt")])
    rules = _rules("ar")
    tables = (
        rules.arabic_abbrev,
        rules.latin_prefix,
        rules.latin_general,
        rules.latin_before_number,
    )
    seen = 0
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        splitter = _Splitter(text + " ج\u0640.ـ U.S\u200f. a\u064e.", rules)
        for i in range(len(splitter.p) + 1):
            if i < len(splitter.p) and splitter.p[i] not in ".؟!?":
                continue
            got = splitter._token_before(i)
            assert got == _reference_token_before(splitter, i)
            for table in tables:
                assert _in(got[0], table) == _reference_in(got[0], table)
            seen += 1
    assert seen > 500
