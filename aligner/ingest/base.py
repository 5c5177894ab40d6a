"""What every reader implements, and the byte decoding all readers share.

Readers turn one file's decoded text into Documents. Decoding lives in one place
(:func:`decode_bytes`) so that every format gets the same BOM, newline and error
handling, and a bad byte is always reported with the file and its offset.
"""

from __future__ import annotations

import codecs
import json
from abc import ABC, abstractmethod
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from aligner.ingest.safety import MAX_INPUT_BYTES, guess_legacy_encoding
from aligner.model import AlignerError, Document

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_bytes(data: bytes, path: str) -> str:
    """Decode a file's bytes: UTF-8 (BOM optional) or UTF-16/32 with a BOM; newlines → LF.

    Anything else is refused with the byte offset of the first bad byte, because
    guessing a legacy code page silently corrupts Arabic text; the message names the
    code page the bytes most likely are (Windows-1256 for Arabic), so the user can
    convert the file knowingly.
    """
    encoding = "utf-8"
    skip = 0
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, skip = name, len(bom)
            break
    body = data[skip:]
    if encoding == "utf-8" and b"\x00" in body:
        offset = skip + body.index(b"\x00")
        raise AlignerError(
            f"NUL byte at byte offset {offset}: not a UTF-8 text file (UTF-16 needs a BOM)", path
        )
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        hint = ""
        # valid multi-byte UTF-8 before the bad byte: a damaged UTF-8 file, not a code page
        plain_before = body[: exc.start].isascii()
        guess = guess_legacy_encoding(body) if encoding == "utf-8" and plain_before else None
        if exc.reason == "unexpected end of data":
            hint = "; the file ends inside a character (cut short?)"
        elif guess is not None:
            hint = (
                f"; it looks like {guess['name']}: convert it to UTF-8 first "
                f"(iconv -f {guess['iconv']} -t UTF-8)"
            )
        raise AlignerError(
            f"invalid {encoding.upper()} at byte offset {skip + exc.start}: {exc.reason}{hint}",
            path,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_path(path: str) -> str:
    """Read and decode a file, turning OS errors into an AlignerError naming the file."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_INPUT_BYTES:
            raise AlignerError(
                f"refused: {size} bytes is over the {MAX_INPUT_BYTES} byte input limit", path
            )
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise AlignerError("no such file", path) from None
    except IsADirectoryError:
        raise AlignerError("is a directory, not a file", path) from None
    except OSError as exc:
        raise AlignerError(f"cannot read: {exc.strerror}", path) from None
    return decode_bytes(data, path)


@cache
def markers() -> dict[str, Any]:
    """The boilerplate/metadata markers (aligner/ingest/data/markers.json), loaded once."""
    ref = resources.files("aligner.ingest") / "data" / "markers.json"
    return json.loads(ref.read_text(encoding="utf-8"))


def data_table(name: str) -> list[tuple[str, str]]:
    """Rows of a two-column TSV under aligner/ingest/data (``#`` lines are comments)."""
    ref = resources.files("aligner.ingest") / "data" / name
    rows: list[tuple[str, str]] = []
    for line in ref.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition("\t")
        rows.append((key.strip(), value.strip()))
    return rows


class Reader(ABC):
    """One input format. ``read`` gets the decoded text and returns one Document per language."""

    #: registry name, also stored in ``Document.fmt``
    name: str = ""

    @abstractmethod
    def read(self, path: str, data: str, presplit: bool = False) -> list[Document]:
        """Parse ``data`` (the decoded content of ``path``) into Documents."""
