"""Headless Chromium through Selenium, for the HTML report's browser tests and screenshots.

Uses the system's chromium and chromedriver (Debian: ``apt-get install chromium
chromium-driver``); nothing is downloaded. ``find_chromium`` says why a browser cannot be had,
so tests can skip, or fail when ``DEDUP_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMEDRIVER_NAMES = ("chromedriver",)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu")
WINDOW = (1280, 900)


def _which(names: tuple[str, ...], env: str) -> str | None:
    given = os.environ.get(env)
    if given:
        return given if Path(given).is_file() else None
    for name in names:
        found = shutil.which(name) or (
            f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").is_file() else None
        )
        if found:
            return found
    return None


def find_chromium() -> tuple[str, str] | str:
    """Return (chromium, chromedriver) paths, or a message saying what is missing."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed (pip install -e '.[dev]')"
    chromium = _which(CHROMIUM_NAMES, "DEDUP_CHROMIUM")
    driver = _which(CHROMEDRIVER_NAMES, "DEDUP_CHROMEDRIVER")
    if chromium is None:
        return "no chromium found (apt-get install chromium chromium-driver)"
    if driver is None:
        return "no chromedriver found (apt-get install chromium-driver)"
    return chromium, driver


def start_chromium(chromium: str, driver: str, *, window: tuple[int, int] = WINDOW) -> Any:
    """Start headless Chromium with its console log collected; the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={window[0]},{window[1]}")
    options.add_argument("--disable-dev-shm-usage")  # containers have a small /dev/shm
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def wait_for(driver: Any, script: str, timeout: float = 10.0) -> Any:
    """Wait until ``script`` (JavaScript returning a value) returns something truthy."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.02).until(
        lambda d: d.execute_script(script)
    )


def severe_console_entries(driver: Any) -> list[dict[str, Any]]:
    """The console entries logged since the last call that are errors (level SEVERE)."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
