"""Arabic orthography facts shared by every stage that compares Arabic words.

One table, so that the number words, the date names and the gazetteer all fold the
same spelling variants: hamza forms of alef and wasla (أ إ آ ٱ → ا), alef maqsura
(ى → ي) and ta marbuta (ة → ه). Writers and typesetters use them interchangeably;
no word in our tables is told apart by them.
"""

from __future__ import annotations

LETTER_FOLD: dict[str, str] = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}
