"""Rewrite the golden files of the HTML report tests from the current code.

    python scripts/update_golden.py

Runs the golden tests with DEDUP_UPDATE_GOLDEN=1, which makes them write what they render
(scrubbed of the version and date) to tests/golden/ before comparing. Review the diff
(git diff tests/golden) before committing it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    env = {**os.environ, "DEDUP_UPDATE_GOLDEN": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "tests/test_report_html.py", "-k", "golden"]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
