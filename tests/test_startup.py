"""What start-up imports: ``dedup --version`` and a small ``dedup check`` stay light.

Timing is the benchmark's job (``scripts/bench_check.py --startup-only``); these tests guard
the lazy imports that make start-up fast, by listing the heavy modules a process has loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import dedup
from dedup import Article
from dedup.store import Index

HEAVY = (
    "datasketch",
    "importlib.metadata",
    "jinja2",
    "numpy",
    "rapidfuzz",
    "scipy",
    "snowballstemmer",
    "tqdm",
    "wordfreq",
)
# Runs the command line as `dedup` does, then prints the heavy modules it had imported.
_PROBE = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(m for m in {heavy} if m in sys.modules))))
sys.argv = ["dedup", *{args}]
from dedup.cli import cli
cli()
"""


def _loaded(*args: str | Path) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    code = _PROBE.format(heavy=HEAVY, args=[str(a) for a in args])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return json.loads(done.stdout.splitlines()[-1]), done


def test_import_of_the_cli_loads_no_heavy_library() -> None:
    code = f"import dedup.cli, sys; print(sorted(m for m in {HEAVY} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_version_loads_no_heavy_library() -> None:
    loaded, done = _loaded("--version")
    assert done.returncode == 0, done.stderr
    assert dedup.__version__ in done.stdout
    assert loaded == []


def test_check_of_one_article_does_not_load_datasketch(
    tmp_path: Path, sample_articles: list[Article]
) -> None:
    *published, last = sample_articles
    with Index(tmp_path / "index.db") as index:
        index.add(published)
    new = tmp_path / "new.txt"
    new.write_text(published[0].text + "\n\n" + last.text[:500], encoding="utf-8")
    loaded, done = _loaded("check", new, "--index", tmp_path / "index.db")
    assert done.returncode == 1, done.stderr  # the copy is found, over budget
    # The aligner, its rewrite search (numpy) and the stemmer; signatures are made in plain
    # Python, so datasketch stays unloaded.
    assert loaded == ["numpy", "rapidfuzz", "snowballstemmer"]


@pytest.mark.parametrize("name", sorted(set(dedup.__all__) - set(vars(dedup))))
def test_lazy_names_of_the_package(name: str) -> None:
    """Each name ``dedup`` imports on first use is there, and is the defining module's."""
    value = getattr(dedup, name)
    module = {"Index": dedup.store}.get(name, dedup.pipeline)
    assert value is getattr(module, name)
    assert name in dir(dedup)


def test_version_is_the_one_hatchling_builds_with() -> None:
    """``dedup/_version.py`` is the one place of the version (``[tool.hatch.version]``)."""
    import tomllib

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "dedup/_version.py"
    assert dedup.__version__ == dedup.pipeline.__version__


def test_unknown_name_of_the_package_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        dedup.no_such_name  # noqa: B018
