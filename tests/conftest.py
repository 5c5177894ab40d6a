"""Shared fixtures: paths to the bundled real documents (see corpora/SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
SEEDS = CORPORA / "seeds"
ORIGINALS = CORPORA / "originals"
TEST_DATA = Path(__file__).resolve().parent / "data"

SEED_PARIS_A = SEEDS / "000_ca4e939972419dd5.txt"  # Paris roadmap, Arabic translation A (record)
SEED_RIYADH = SEEDS / "001_2af77db84c8b7592.txt"  # Riyadh 2023 joint statement + remarks, Arabic
SEED_ROME = SEEDS / "002_5dfe77aed312dc70.txt"  # Rome 2021 record: Arabic + English + metadata
SEED_PARIS_B = SEEDS / "003_9a8b329c0e1dc57f.txt"  # Paris roadmap, Arabic translation B
SEED_FACTSHEET = SEEDS / "004_d9793a676d49900f.txt"  # 2019 fact sheet, web page with navigation
PARIS_EN = ORIGINALS / "paris2019-roadmap-statedept.en.txt"
PARIS_EN_QUOTES = ORIGINALS / "paris2019-roadmap-quotes.en.txt"
ROME_EN = ORIGINALS / "rome2021-statement.en.txt"
ROME_AR = ORIGINALS / "rome2021-statement.ar.txt"


@pytest.fixture
def tmp_out(tmp_path: Path) -> Path:
    return tmp_path
