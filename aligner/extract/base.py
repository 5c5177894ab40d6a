"""What every extractor implements: one sentence in, normalised mentions out.

Extractors are independent of the other side; pairing mentions across the two
sides is the checks' job. Each extractor is listed once in ``aligner.extract.EXTRACTORS``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from aligner.model import Mention, Segment


class Extractor(ABC):
    #: short registry name, e.g. "number", "date", "entity"
    name: str = ""

    @abstractmethod
    def extract(self, segment: Segment, lang: str, side: str) -> list[Mention]:
        """Mentions in ``segment`` (spans into ``segment.text``), for ``lang`` "ar" or "en"."""
