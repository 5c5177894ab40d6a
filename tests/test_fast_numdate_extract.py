"""The number extractor's blocked-span pre-test answers like the plain one.

:func:`aligner.extract.numbers._may_block` spells out its literal tests and asks the
digit-separator search only when a "/" or "-" is there; the reference is the test as it
was. Either way it may only say "no" where :data:`_BLOCKED` finds nothing.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.extract.numbers import _BLOCKED, _CODE_SLASH, _DIGIT_SEPARATOR, _may_block
from tests.test_fast_extract import _ANY_TEXT, _bundled


def _reference_may_block(text: str) -> bool:
    return (
        any(lit in text for lit in ("://", "www.", "["))
        or ("/" in text and _CODE_SLASH.search(text) is not None)
        or _DIGIT_SEPARATOR.search(text) is not None
    )


def test_may_block_answers_like_the_plain_test_on_bundled_text() -> None:
    texts = list(_bundled())
    assert len(texts) > 100
    for text in texts:
        assert _may_block(text) == _reference_may_block(text), text
        assert _may_block(text) or _BLOCKED.search(text) is None


_blocky = st.lists(
    st.sampled_from([*"12 /-A[]w.:٣", "://", "www.", "SMI/A200", "2019/06/25", "8-06- 2023"]),
    max_size=20,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_blocky, _ANY_TEXT))
def test_may_block_answers_like_the_plain_test_on_generated_text(text: str) -> None:
    assert _may_block(text) == _reference_may_block(text)
    assert _may_block(text) or _BLOCKED.search(text) is None
