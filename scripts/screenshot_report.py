"""Take a screenshot of the HTML report of samples/ with the browser tests' tooling.

    python scripts/screenshot_report.py                     # the overview -> docs/report.png
    python scripts/screenshot_report.py --pair 0 -o pair.png  # a pair's view, a passage clicked

Needs chromium and chromedriver (apt-get install chromium chromium-driver) and selenium
(pip install -e '.[dev]').
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import find_chromium, severe_console_entries, start_chromium, wait_for  # noqa: E402

from dedup import scan  # noqa: E402
from dedup.inputs import read_articles  # noqa: E402
from dedup.report import write_html  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--pair", type=int, help="open this pair (its row number from 0)")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=880)
    args = parser.parse_args()
    found = find_chromium()
    if isinstance(found, str):
        print(f"error: {found}", file=sys.stderr)
        return 2
    articles = read_articles([ROOT / "samples"])
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "samples.html"
        write_html(page, scan(articles), articles, inputs=["samples/"])
        driver = start_chromium(*found, window=(args.width, args.height))
        try:
            driver.get(page.as_uri())
            wait_for(driver, "return document.documentElement.dataset.ready === 'true'")
            if args.pair is not None:
                driver.execute_script("location.hash = arguments[0]", f"#pair={args.pair}")
                wait_for(
                    driver, f"return document.documentElement.dataset.view === 'pair-{args.pair}'"
                )
                driver.find_elements("css selector", '#view button.plabel[data-end="a"]')[0].click()
                driver.execute_script("window.scrollTo(0, 0)")
            errors = severe_console_entries(driver)
            if errors:
                print(f"error: the browser console has errors: {errors}", file=sys.stderr)
                return 1
            args.output.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.output))
        finally:
            driver.quit()
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
