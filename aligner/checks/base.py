"""What every check implements. A check reads an annotated Bitext and returns findings.

Checks never mutate the Bitext; the pipeline collects their findings. Each check
lives in its own module and is listed once in ``aligner.checks.CHECKS``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable

from aligner.model import Bitext, Finding


class Check(ABC):
    #: short registry name, used on the command line (``--checks number,date``)
    name: str = ""

    @abstractmethod
    def run(self, bitext: Bitext) -> Iterable[Finding]:
        """Yield the findings of this check for ``bitext``."""
