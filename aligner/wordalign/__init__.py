"""Optional word alignment (extra ``words``): simalign over an encoder rebuilt offline.

Importing this package is light (numpy, regex); torch/transformers/simalign load only
when a :class:`WordAligner` is made. :func:`available` says whether they can.
"""

from __future__ import annotations

import functools
import importlib.util
from typing import Any

from aligner.wordalign.align import (
    DEFAULT_LAYER,
    DEFAULT_METHOD,
    METHODS,
    WordAligner,
    WordLinks,
    WordToken,
    pharaoh,
    tokenize_words,
)
from aligner.wordalign.model import DEFAULT_MODEL, cache_root, folder_size, spec
from aligner.wordalign.pairing import pair_by_links

__all__ = [
    "DEFAULT_LAYER",
    "DEFAULT_METHOD",
    "DEFAULT_MODEL",
    "WordAligner",
    "WordLinks",
    "WordToken",
    "available",
    "model_info",
    "pair_by_links",
    "pharaoh",
    "shared_aligner",
    "tokenize_words",
]

_REQUIRED = ("torch", "transformers", "simalign", "safetensors", "tokenizers")


def available(model: str = DEFAULT_MODEL) -> bool:
    """True when the extra's packages and the model's weight package are installed."""
    needed = (*_REQUIRED, spec(model).package)
    return all(importlib.util.find_spec(name) is not None for name in needed)


def model_info(
    model: str = DEFAULT_MODEL, layer: int = DEFAULT_LAYER, method: str = DEFAULT_METHOD
) -> dict[str, Any]:
    """What a report should say about the word aligner, without loading it.

    ``path``/``size`` describe the converted cache folder (size 0 until first use).
    """
    s = spec(model)
    from aligner.wordalign.model import FORMAT_VERSION

    path = cache_root() / f"{model}-v{FORMAT_VERSION}"
    return {
        "name": model,
        "path": str(path),
        "size": folder_size(path) if path.is_dir() else 0,
        "licence": s.licence,
        "upstream": s.upstream,
        "layer": layer,
        "method": METHODS.get(method, method),
        "available": available(model),
    }


@functools.cache
def shared_aligner(model: str = DEFAULT_MODEL) -> WordAligner:
    """One aligner per model and process: loading the encoder is the expensive part."""
    return WordAligner(model=model)
