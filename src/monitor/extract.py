"""Extraction: the article body and metadata of an HTML page, with trafilatura."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import trafilatura

from monitor.models import Extracted

logger = logging.getLogger(__name__)


def _parse_date(value: str | None) -> datetime | None:
    """An ISO date from trafilatura's metadata as an aware datetime."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def extract_page(html: str | bytes, url: str | None = None) -> Extracted | None:
    """Extract body text and metadata; None when no article text is found."""
    doc = trafilatura.bare_extraction(
        html, url=url, include_comments=False, include_tables=True, favor_precision=True,
        with_metadata=True,
    )
    if doc is None or not (doc.text or "").strip():
        return None
    return Extracted(
        text=doc.text.strip(), title=doc.title, author=doc.author,
        published_at=_parse_date(doc.date), language=doc.language, site_name=doc.sitename,
        canonical_url=doc.url if doc.url and doc.url != url else None,
    )
