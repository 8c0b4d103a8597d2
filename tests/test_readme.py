"""The README's commands work as written: every ``dedup`` line parses, the samples' ones run."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from dedup.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SHELL_BLOCKS = re.findall(r"```(?:sh|bash)\n(.*?)```", README, re.S)
# A line that names what to type, not a value (``dedup index add INDEX INPUT...``).
PLACEHOLDER = re.compile(r"\b[A-Z]{2,}\b")
# The shell lines of the workflow examples (``run: dedup ...`` and ``run: |`` blocks).
YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", README, re.S)


def _dedup_lines() -> list[str]:
    lines = []
    for block in SHELL_BLOCKS + YAML_BLOCKS:
        for line in block.replace("\\\n", " ").splitlines():
            command = line.split(" #", 1)[0].strip().removeprefix("- run:").strip()
            if command.startswith("#") or (block in YAML_BLOCKS and ": " in command):
                continue  # a comment, or a YAML key that is not a shell line
            if "dedup " in command:
                command = command[command.index("dedup ") :]
                if command.startswith("dedup ") and not PLACEHOLDER.search(command):
                    lines.append(command)
    return lines


def _parse(args: list[str]) -> click.Context:
    """Parse a command line as click would, without running the command."""
    command: click.Command = cli
    name = "dedup"
    while isinstance(command, click.Group):
        name, *args = args
        found = command.get_command(click.Context(command), name)
        assert found is not None, f"no command {name!r}"
        command = found
    return command.make_context(name, args)


def test_the_readme_has_command_lines() -> None:
    assert len(_dedup_lines()) >= 15


@pytest.mark.parametrize("line", _dedup_lines())
def test_every_dedup_command_line_of_the_readme_parses(line: str) -> None:
    args = shlex.split(line.split("|")[0].split(">")[0])[1:]
    _parse(args)  # raises click.UsageError on an unknown option or a bad value


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_ci_gate_example_runs_on_the_samples_as_written(tmp_path: Path) -> None:
    [block] = [b for b in SHELL_BLOCKS if "seeds.db" in b]
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    script = "\n".join(
        f'{line}\necho "exit $?"' if line.startswith("dedup check") else line
        for line in block.splitlines()
    )
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"PASS samples/004_08a178f498c347a9\.txt: 0\.0% reused.*?exit 0", out, re.S)
    assert re.search(r"FAIL draft\.txt: .*samples/000_0248cd8ac3f0784d\.txt.*?exit 1", out, re.S)
