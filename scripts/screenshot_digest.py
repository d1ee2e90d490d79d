"""Screenshots of HTML digests as a reader sees them: headless Chromium at laptop and phone widths.

Usage: python scripts/screenshot_digest.py [DIGEST.html ...] [--config monitor.toml]
Without a path, the newest digest-*.html of the config's [digest] out_dir is used. Each digest gets
DIGEST.laptop.png (1366x900) and DIGEST.phone.png (390x844) next to it: the first screen, as a
reader opens it. With --full HEIGHT, also DIGEST.laptop-full.png and DIGEST.phone-full.png from a
window HEIGHT pixels tall, to read the whole digest (the space below the page stays blank).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
SIZES = {"laptop": (1366, 900), "phone": (390, 844)}
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
TIMEOUT_S = 120


def find_chromium() -> str:
    """The Chromium executable; SystemExit when none is installed."""
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise SystemExit(
        "chromium is not installed: run `make screenshots` (it installs it) or "
        "`apt-get install -y chromium`"
    )


def newest_digest(config_path: str | None) -> Path:
    """The most recently written digest HTML of the config's digest folder."""
    from monitor.config import load_config

    folder = load_config(config_path).digest_dir
    pages = sorted(folder.glob("digest-*.html"), key=lambda p: p.stat().st_mtime)
    if not pages:
        raise SystemExit(f"no digest-*.html in {folder}: run `monitor digest` first")
    return pages[-1]


def capture(chromium: str, page: Path, out: Path, width: int, height: int) -> None:
    """One screenshot of a local page at a window size."""
    with tempfile.TemporaryDirectory(prefix="monitor-chromium-") as profile:
        command = [
            chromium,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={out}",
            f"--window-size={width},{height}",
            page.resolve().as_uri(),
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
    if done.returncode != 0 or not out.is_file():
        raise SystemExit(f"chromium failed on {page} ({width}x{height}): {done.stderr[-2000:]}")


def screenshot(page: Path, chromium: str, full_height: int | None) -> list[Path]:
    """Laptop and phone screenshots of one digest, saved next to it."""
    written = []
    for name, (width, height) in SIZES.items():
        shots = [(f"{page.stem}.{name}.png", height)]
        if full_height:
            shots.append((f"{page.stem}.{name}-full.png", max(full_height, height)))
        for file_name, window_height in shots:
            out = page.with_name(file_name)
            capture(chromium, page, out, width, window_height)
            written.append(out)
    return written


def main(argv: list[str] | None = None) -> int:
    """Screenshot the given digests (or the newest one)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="digest HTML files (default: the newest)")
    parser.add_argument("--config", help="config file, for the default digest folder")
    parser.add_argument(
        "--full",
        type=int,
        metavar="HEIGHT",
        help="also capture a window HEIGHT pixels tall (the whole digest)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    pages = [Path(p) for p in args.pages] or [newest_digest(args.config)]
    chromium = find_chromium()
    for page in pages:
        if not page.is_file():
            raise SystemExit(f"{page} does not exist")
        for out in screenshot(page, chromium, args.full):
            print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
