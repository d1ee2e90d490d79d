"""Configuration: one TOML file, validated against schemas/config.schema.json."""

from __future__ import annotations

import json
import logging
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from monitor.models import FeedSpec, FetchSettings

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCHEMA_DIR = PROJECT_DIR / "schemas"
CONFIG_ENV = "MONITOR_CONFIG"
DEFAULT_CONFIG_NAME = "monitor.toml"
SLUG = re.compile(r"[^a-z0-9]+")


class ConfigError(Exception):
    """A configuration problem the user must fix (exit code 2)."""


@dataclass
class EmailSettings:
    """The `[email]` section: SMTP delivery of the digest."""

    host: str
    sender: str
    to: list[str]
    port: int = 587
    starttls: bool = True
    ssl: bool = False
    user: str | None = None
    password_env: str | None = None
    timeout_s: float = 30.0


@dataclass
class Config:
    """The validated configuration, with paths resolved."""

    path: Path | None
    database: Path
    feeds: list[FeedSpec]
    fetch: FetchSettings = field(default_factory=FetchSettings)
    poll_minutes: float = 15.0
    max_failures: int = 30
    database_lock_timeout_s: float = 120.0
    batch_size: int = 200
    extract_workers: int = 0
    topics_path: Path | None = None
    actors: list[dict[str, Any]] = field(default_factory=list)
    story_window_days: float = 3.0
    story_threshold: float | None = None
    near_duplicate_threshold: float | None = None
    ingest_every_minutes: float = 15.0
    digest_cron: str = "0 7 * * *"
    timezone: str = "UTC"
    overlap: str = "wait"
    overlap_wait_minutes: float = 60.0
    digest_dir: Path = Path("data/digests")
    spike_factor: float = 2.0
    max_stories: int = 20
    email: EmailSettings | None = None


def slugify(name: str) -> str:
    """A stable id from a human name: lower-case words joined by hyphens."""
    return SLUG.sub("-", name.casefold()).strip("-") or "feed"


def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema from the project's schemas/ folder."""
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _key_path(error: jsonschema.ValidationError) -> str:
    """A TOML-like path for an error's location: fetch.timeout_s, feeds[1].url."""
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _allowed(error: jsonschema.ValidationError) -> str:
    """What the schema allows where the error happened."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if "description" in schema:
        return str(schema["description"])
    if "enum" in schema:
        return " or ".join(json.dumps(v) for v in schema["enum"])
    return json.dumps({k: v for k, v in schema.items() if k != "description"})


def describe_error(error: jsonschema.ValidationError, source: str) -> str:
    """One message naming the key, the bad value and what is allowed."""
    where = _key_path(error)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        section = f" in {where}" if error.absolute_path else ""
        return (
            f"{source}: unknown key {', '.join(repr(k) for k in extra)}{section}; "
            f"allowed keys: {', '.join(allowed)}"
        )
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"{source}: {where} is missing the required key '{missing}'"
    return (
        f"{source}: {where} = {json.dumps(error.instance, default=str)} is not allowed: "
        f"expected {_allowed(error)}"
    )


def validate(data: dict[str, Any], source: str) -> None:
    """Raise ConfigError for the first schema violation, with a precise message."""
    validator = jsonschema.Draft202012Validator(load_schema("config.schema.json"))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise ConfigError(describe_error(best, source))


def resolve_config_path(path: str | os.PathLike[str] | None) -> Path:
    """The config file to use: --config, then $MONITOR_CONFIG, then ./monitor.toml."""
    chosen = path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_NAME
    resolved = Path(chosen).expanduser()
    if not resolved.is_file():
        how = (
            "--config"
            if path
            else f"${CONFIG_ENV}"
            if os.environ.get(CONFIG_ENV)
            else "the default"
        )
        raise ConfigError(
            f"config file {resolved} (from {how}) does not exist; "
            "create one with `monitor init` or pass --config PATH"
        )
    return resolved


def _feed_url(url: str, base: Path, where: str, source: str) -> str:
    """Normalise a feed URL: http(s) and file:// as given, a local folder as an absolute path."""
    if re.match(r"^https?://[^/\s]+", url, re.IGNORECASE):
        return url
    if url.startswith("file://"):
        local = Path(url[len("file://") :])
        local = local if local.is_absolute() else base / local
        if not local.is_file():
            raise ConfigError(
                f"{source}: {where} = {url!r} is not allowed: the feed file {local} does not exist"
            )
        return local.resolve().as_uri()
    local = Path(url).expanduser()
    local = local if local.is_absolute() else base / local
    if local.is_dir():
        return str(local.resolve())
    raise ConfigError(
        f"{source}: {where} = {url!r} is not allowed: expected an http(s):// feed "
        "URL, a file:// feed file, or an existing local folder of documents"
    )


def _feeds(raw: list[dict[str, Any]], base: Path, source: str) -> list[FeedSpec]:
    """FeedSpecs from the [[feeds]] tables, with unique names and checked URLs."""
    feeds: list[FeedSpec] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        if item.get("enabled", True) is False:
            continue
        feed_id = slugify(item["name"])
        if feed_id in seen:
            raise ConfigError(
                f"{source}: feeds[{i}].name = {item['name']!r} is not allowed: "
                f"it repeats feeds[{seen[feed_id]}].name; names must be unique"
            )
        seen[feed_id] = i
        url = _feed_url(item["url"], base, f"feeds[{i}].url", source)
        feeds.append(
            FeedSpec(
                name=item["name"],
                url=url,
                feed_id=feed_id,
                poll_minutes=item.get("poll_minutes"),
                respect_robots=item.get("respect_robots"),
                allow_private_networks=item.get("allow_private_networks"),
            )
        )
    return feeds


def _email(raw: dict[str, Any] | None) -> EmailSettings | None:
    """EmailSettings from the [email] table."""
    if not raw:
        return None
    return EmailSettings(
        host=raw["host"],
        sender=raw["from"],
        to=list(raw["to"]),
        port=raw.get("port", 587),
        starttls=raw.get("starttls", True),
        ssl=raw.get("ssl", False),
        user=raw.get("user"),
        password_env=raw.get("password_env"),
        timeout_s=raw.get("timeout_s", 30.0),
    )


def parse_config(data: dict[str, Any], base: Path, source: str, path: Path | None = None) -> Config:
    """Validate a config mapping and build a Config; raises ConfigError."""
    validate(data, source)
    fetch = FetchSettings(**data.get("fetch", {}))
    stories = data.get("stories", {})
    schedule = data.get("schedule", {})
    digest = data.get("digest", {})
    if schedule.get("timezone"):
        _check_timezone(schedule["timezone"], source)
    topics = data.get("topics")
    return Config(
        path=path,
        database=(base / data.get("database", "data/monitor.duckdb")).resolve(),
        feeds=_feeds(data.get("feeds", []), base, source),
        fetch=fetch,
        poll_minutes=float(data.get("poll_minutes", 15.0)),
        max_failures=int(data.get("max_failures", 30)),
        database_lock_timeout_s=float(data.get("database_lock_timeout_s", 120.0)),
        batch_size=int(data.get("batch_size", 200)),
        extract_workers=int(data.get("extract_workers", 0)),
        topics_path=(base / topics).resolve() if topics else None,
        actors=list(data.get("actors", [])),
        story_window_days=float(stories.get("window_days", 3.0)),
        story_threshold=stories.get("threshold"),
        near_duplicate_threshold=stories.get("near_duplicate_threshold"),
        ingest_every_minutes=float(schedule.get("ingest_every_minutes", 15.0)),
        digest_cron=schedule.get("digest_cron", "0 7 * * *"),
        timezone=schedule.get("timezone", "UTC"),
        overlap=schedule.get("overlap", "wait"),
        overlap_wait_minutes=float(schedule.get("overlap_wait_minutes", 60.0)),
        digest_dir=(base / digest.get("out_dir", "data/digests")).resolve(),
        spike_factor=float(digest.get("spike_factor", 2.0)),
        max_stories=int(digest.get("max_stories", 20)),
        email=_email(data.get("email")),
    )


def _check_timezone(name: str, source: str) -> None:
    """Raise ConfigError unless name is a known IANA time zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{source}: schedule.timezone = {name!r} is not allowed: expected an "
            'IANA time zone name, e.g. "Europe/London"'
        ) from None


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read, validate and resolve the config file; raises ConfigError."""
    resolved = resolve_config_path(path)
    try:
        data = tomllib.loads(resolved.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{resolved}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{resolved}: cannot read the config file: {exc}") from None
    return parse_config(data, resolved.parent.resolve(), str(resolved), path=resolved.resolve())


STARTER_CONFIG = """\
# monitor configuration. Relative paths are relative to this file's folder.
database = "data/monitor.duckdb"
poll_minutes = 15          # default interval between polls of one feed
max_failures = 30          # a feed failing this many times in a row is disabled

[fetch]
timeout_s = 20
max_bytes = 5000000
user_agent = "monitor/0.1 (+https://github.com/monitor-news/monitor)"
allow_private_networks = false   # article links to loopback/private addresses are refused
per_host_concurrency = 2
per_host_delay_s = 1.0
respect_robots = true

[schedule]
ingest_every_minutes = 15
digest_cron = "0 7 * * *"
timezone = "UTC"

[digest]
out_dir = "data/digests"

# One table per feed: an http(s):// RSS/Atom URL, a file:// feed file, or a folder of documents.
[[feeds]]
name = "BBC World"
url = "https://feeds.bbci.co.uk/news/world/rss.xml"
"""


def _toml_string(value: str) -> str:
    """A TOML basic string."""
    return json.dumps(value, ensure_ascii=False)


def append_feed(path: Path, name: str, url: str) -> None:
    """Append a [[feeds]] table to a config file, keeping it valid (or leaving it unchanged)."""
    original = path.read_text(encoding="utf-8")
    addition = f"\n[[feeds]]\nname = {_toml_string(name)}\nurl = {_toml_string(url)}\n"
    path.write_text(original.rstrip("\n") + "\n" + addition, encoding="utf-8")
    try:
        load_config(path)
    except ConfigError:
        path.write_text(original, encoding="utf-8")
        raise
