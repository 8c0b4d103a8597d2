"""The distribution's name, its command, and the README's install and pre-commit examples."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest

import dedup

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DISTRIBUTION = "dedup-news"


def test_the_distribution_installs_the_dedup_package_and_command() -> None:
    dist = distribution(DISTRIBUTION)
    assert dist.version == dedup.__version__
    [command] = [e for e in dist.entry_points if e.group == "console_scripts"]
    assert (command.name, command.value) == ("dedup", "dedup.cli:cli")


def test_every_install_line_names_a_clone_or_the_distribution() -> None:
    lines = [m.group(1) for m in re.finditer(r"pip install ([^\n`#;&]+)", README)]
    assert len(lines) >= 4
    for line in lines:
        target = line.split()[-1].strip("'\"")
        assert target.startswith((".", DISTRIBUTION)), line
    assert "pip install dedup " not in README
    assert "'dedup[" not in README


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README, re.S)


def test_the_pre_commit_example_needs_no_release_tag() -> None:
    [config] = [b for b in _yaml_blocks() if "repos:" in b]
    assert "rev:" not in config
    assert "repo: local" in config
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: dedup-check" in config
    assert "- id: dedup-check" in hooks


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_pre_commit_example_fails_a_commit_that_copies(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    [config] = [b for b in _yaml_blocks() if "repos:" in b]
    repo = tmp_path / "newsroom"
    (repo / "drafts").mkdir(parents=True)
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    path = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    env = {"PATH": path, "HOME": str(tmp_path), "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, check=False)

    samples = sorted((ROOT / "samples").glob("*.txt"))
    assert run("git", "init", "-q").returncode == 0
    indexed = run("dedup", "index", "add", "published.db", str(samples[0]))
    assert indexed.returncode == 0, indexed.stderr
    shutil.copy(samples[0], repo / "drafts" / "copied.txt")
    shutil.copy(samples[4], repo / "drafts" / "own.txt")
    assert run("git", "add", "drafts", ".pre-commit-config.yaml").returncode == 0
    copied = run(sys.executable, "-m", "pre_commit", "run", "--files", "drafts/copied.txt")
    assert copied.returncode == 1, copied.stdout + copied.stderr
    assert "FAIL drafts/copied.txt" in copied.stdout
    own = run(sys.executable, "-m", "pre_commit", "run", "--files", "drafts/own.txt")
    assert own.returncode == 0, own.stdout + own.stderr
