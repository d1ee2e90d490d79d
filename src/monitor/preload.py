"""What the extraction workers' forkserver loads once, before it forks them.

Imports the extractor and the analysis, runs them on one small page (which loads what they
import lazily and fills their caches) with the default actors and topics, then freezes every
object made so far (gc.freeze): a forked worker's garbage collector then never writes to them,
so the pages holding them stay shared with the other workers instead of being copied.
"""

from __future__ import annotations

import gc

from monitor import analyse
from monitor.models import Entry

WARM_URL = "https://monitor.invalid/warm-up"
WARM_PAGE = (
    b"<html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>"
    b"<p>The United Kingdom's prime minister said on Monday that Britain rejects the proposal "
    b"of France and Italy to re-engage with President Vladimir Putin of Russia.</p>"
    b"<p>The European Union and NATO met in Brussels to discuss sanctions on 3 March 2025.</p>"
    b"</article></body></html>"
)


def warm() -> None:
    """Analyse one page with the default actors and topics (kept for workers that use them)."""
    analyse.init_worker(None, [])
    entry = Entry(feed_id="warm-up", url=WARM_URL, canonical_url=WARM_URL, title="Warm-up")
    analyse.analyse_page(entry, analyse.Page("ok", WARM_URL, WARM_PAGE, "utf-8"))


warm()
gc.freeze()
