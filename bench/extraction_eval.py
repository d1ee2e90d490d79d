"""Compare trafilatura settings on the extraction fixtures: 4-gram P/R/F1 and pages per second.

Usage: .venv/bin/python bench/extraction_eval.py [--fixtures DIR] [--repeat N] [--per-page]
       [--pad-kb KB]

The fixtures are small (about 10 KB); --pad-kb adds a mega-menu and inline scripts of about that
size to every page, as on real news pages (about 170 KB), so that speed can be compared with the
unconfigured trafilatura call the project started with.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from pathlib import Path

import trafilatura

from monitor.extract import CANDIDATE_SETTINGS, SETTINGS, evaluate_extraction

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "data" / "extraction"
HEADER = f"{'settings':32} {'P':>6} {'R':>6} {'F1':>6} {'pages/s':>8}"


def menu_and_scripts(kb: int) -> bytes:
    """About `kb` KB of site furniture: a mega-menu and an inline script."""
    columns = "".join(
        "<ul class='menu-col'>"
        + "".join(f"<li><a href='/s/{i}/{j}'>Section {i} item {j}</a></li>" for j in range(12))
        + "</ul>"
        for i in range(kb // 4)
    )
    script = "var cfg = {'slot': 'top', 'sizes': [[728, 90]]};" * (kb * 10)
    return f"<div class='mega-menu'>{columns}</div><script>{script}</script>".encode()


def pad_fixtures(src: Path, dst: Path, kb: int) -> None:
    """Copy the fixtures into dst with about `kb` KB of furniture after each <body> tag."""
    padding = menu_and_scripts(kb)
    for page in src.glob("*.html"):
        body = page.read_bytes()
        at = body.find(b">", body.find(b"<body")) + 1
        (dst / page.name).write_bytes(body[:at] + padding + body[at:])
        expected = page.with_suffix(".expected.txt")
        (dst / expected.name).write_bytes(expected.read_bytes())


def raw_speed(fixtures: Path) -> float:
    """Pages per second of the project's first, unconfigured trafilatura call."""
    pages = [p.read_bytes() for p in sorted(fixtures.glob("*.html"))]
    start = time.perf_counter()
    for page in pages:
        trafilatura.bare_extraction(
            page, include_comments=False, favor_precision=True, with_metadata=True
        )
    return len(pages) / (time.perf_counter() - start)


def best_of(fixtures: Path, name: str, repeat: int) -> dict:
    """The evaluation of one candidate, with the fastest of `repeat` runs' speed."""
    runs = [evaluate_extraction(fixtures, CANDIDATE_SETTINGS[name]) for _ in range(repeat)]
    result = runs[0]
    result["pages_per_second"] = max(r["pages_per_second"] for r in runs)
    return result


def main() -> None:
    """Print one row per candidate setting, and optionally the chosen one's per-page scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--repeat", type=int, default=3, help="runs per setting; best speed kept")
    parser.add_argument("--per-page", action="store_true", help="per-page scores of the chosen")
    parser.add_argument("--pad-kb", type=int, default=0, help="furniture added to each page")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    if args.pad_kb:
        with tempfile.TemporaryDirectory() as tmp:
            pad_fixtures(args.fixtures, Path(tmp), args.pad_kb)
            report(Path(tmp), args)
    else:
        report(args.fixtures, args)


def report(fixtures: Path, args: argparse.Namespace) -> None:
    """Print the comparison table for one fixture directory."""
    size = sum(p.stat().st_size for p in fixtures.glob("*.html")) / len(
        list(fixtures.glob("*.html"))
    )
    print(f"fixtures: {fixtures} (average page {size / 1024:.0f} KB)")
    print(f"reference: unconfigured trafilatura call {raw_speed(fixtures):.1f} pages/s")
    print(HEADER)
    print("-" * len(HEADER))
    for name in CANDIDATE_SETTINGS:
        r = best_of(fixtures, name, args.repeat)
        print(
            f"{name:32} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}"
            f" {r['pages_per_second']:8.1f}"
        )
    print("(+dedup: trafilatura's duplicate cache is process-wide, so repeated runs and pages")
    print(" sharing paragraphs are discarded; deduplication belongs to monitor.dedup instead)")
    if args.per_page:
        print(f"\nper page, chosen settings ({r['pages']} pages):")
        for page in evaluate_extraction(fixtures, SETTINGS)["per_page"]:
            print(
                f"  {page['page']:30} {page['precision']:6.3f} {page['recall']:6.3f}"
                f" {page['f1']:6.3f}"
            )


if __name__ == "__main__":
    main()
