"""URL identity: canonical form of article links (the article's identity)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|"
    r"_ga|_gl|ocid|cmpid|ito|smid|sr_share|share|ref_src|ref_url|__twitter_impression|"
    r"spm|s_cid|ncid|soc_src|soc_trk|at_medium|at_campaign|at_custom\d*|"
    # Webtrends (heise, Spiegel), Al Jazeera's feeds, AT Internet (Le Monde, Le Figaro), the
    # Guardian's CMP, comScore (BBC)
    r"wt_mc|wt_zmc|traffic_source|xtor|cmp|ns_mchannel|ns_source|ns_campaign|ns_linkname|ns_fee)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop default port, fragment and tracking parameters."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def host_of(url: str) -> str:
    """The lower-case host of a URL ('' when there is none)."""
    return (urlsplit(url).hostname or "").lower()
