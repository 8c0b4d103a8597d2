from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dedup import DEFAULT_PARAMS, Article, Params

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The repository's samples/ folder: five real news articles, one per .txt file."""
    assert SAMPLES_DIR.is_dir(), f"missing {SAMPLES_DIR}"
    return SAMPLES_DIR


@pytest.fixture(scope="session")
def sample_articles(samples_dir: Path) -> list[Article]:
    """The sample articles in file-name order; each id is its file name."""
    paths = sorted(samples_dir.glob("*.txt"))
    assert paths, f"no .txt files in {samples_dir}"
    return [Article(p.name, p.read_text(encoding="utf-8")) for p in paths]


@pytest.fixture(scope="session")
def small_params() -> Params:
    """Cheap, seeded parameters for fast tests (fewer permutations than the default)."""
    return dataclasses.replace(DEFAULT_PARAMS, num_perm=32, seed=1)
