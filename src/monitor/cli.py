"""The `monitor` command line: a thin layer over the library. Exit codes: 0 ok, 1 some feeds or
articles failed (the rest stored), 2 usage or configuration error, 3 database locked."""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.config import STARTER_CONFIG, Config, ConfigError, append_feed, load_config
from monitor.errors import DatabaseLocked, FeedNotFound, ServerError, StoreError
from monitor.server import configure_environment, prefect_api, quiet_run_loggers

if TYPE_CHECKING:
    from monitor.store import Store

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
MAX_CELL = 80
Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Handler]] = {}


def command(name: str, help_text: str) -> Callable[[Handler], Handler]:
    """Register a subcommand with its one-line help."""

    def register(func: Handler) -> Handler:
        COMMANDS[name] = (help_text, func)
        return func

    return register


def _config(args: argparse.Namespace) -> Config:
    """The config named by --config or $MONITOR_CONFIG."""
    return load_config(args.config)


def _store(config: Config) -> Store:
    """The config's store."""
    from monitor.store import Store  # here: DuckDB is loaded by the commands that use it

    return Store(config.database, config.database_lock_timeout_s)


def _cell(value: Any, limit: int | None) -> str:
    """A value as table text, truncated to limit characters."""
    text = "" if value is None else str(value).replace("\n", " ")
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _jsonable(value: Any) -> Any:
    """A value JSON can carry."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def format_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str,
    max_width: int | None = MAX_CELL,
) -> str:
    """Rows as an aligned table, CSV or JSON."""
    if fmt == "json":
        return json.dumps(
            [dict(zip(columns, map(_jsonable, r), strict=True)) for r in rows],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_jsonable(v) for v in r] for r in rows])
        return out.getvalue().rstrip("\n")
    cells = [[_cell(v, max_width) for v in r] for r in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines)


@command("init", "write a starter monitor.toml in DIR (default: the current folder)")
def cmd_init(args: argparse.Namespace) -> int:
    """Write a starter config, never overwriting one."""
    target = Path(args.dir) / "monitor.toml"
    if target.exists():
        print(f"{target} already exists; not overwritten", file=sys.stderr)
        return EXIT_USAGE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(STARTER_CONFIG, encoding="utf-8")
    print(f"wrote {target}: edit its [[feeds]], then run `monitor --config {target} ingest`")
    return EXIT_OK


@command(
    "ingest",
    "poll the feeds that are due (all enabled feeds with --all) and store new "
    "articles; prints one summary line",
)
def cmd_ingest(args: argparse.Namespace) -> int:
    """Run the ingest flow once."""
    from monitor.pipeline import tune_heap

    config = _config(args)
    tune_heap()  # before the run starts its threads
    with prefect_api(config.database.parent):
        from flows.ingest import ingest_flow

        quiet_run_loggers(args.verbose)
        result = ingest_flow(config_path=str(config.path), all_feeds=args.all)
    print(result["line"])
    return EXIT_OK if result["status"] in ("ok", "skipped") else EXIT_PARTIAL


@command("sql", "run read-only SQL on the database and print the result")
def cmd_sql(args: argparse.Namespace) -> int:
    """Print the result of one read-only query."""
    columns, rows = _store(_config(args)).query(args.query)
    print(format_rows(columns, rows, args.format, None if args.full else MAX_CELL))
    return EXIT_OK


@command(
    "search",
    "full-text search of the stored articles (English stemming: 'sanctions' "
    "finds 'sanction'), best match first",
)
def cmd_search(args: argparse.Namespace) -> int:
    """Print the articles that best match a full-text query."""
    from monitor.store import search

    if args.limit < 1:
        print("monitor: --limit must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    columns, rows = search(_store(_config(args)), args.query, args.limit)
    print(format_rows(columns, rows, args.format))
    return EXIT_OK


@command("status", "show the feeds, their health and fetch outcomes, the last runs and counts")
def cmd_status(args: argparse.Namespace) -> int:
    """Print feeds, recent runs and table counts."""
    store = _store(_config(args))
    sections = [
        (
            "Feeds",
            "SELECT name, coalesce(last_status, 'never polled') AS last_status, "
            "strftime(last_polled_at, '%Y-%m-%d %H:%M') AS last_polled, consecutive_failures AS "
            "failures, CASE WHEN disabled THEN 'disabled' WHEN consecutive_failures > 0 THEN "
            "'backing off' ELSE 'ok' END AS health, strftime(next_poll_at, '%Y-%m-%d %H:%M') AS "
            "next_poll, last_error FROM feeds ORDER BY name",
        ),
        (
            "Fetch outcomes per feed (last 7 days)",
            "SELECT f.name AS feed, l.kind, l.outcome, count(*) AS n FROM fetch_log l "
            "LEFT JOIN feeds f USING (feed_id) WHERE l.at >= now() - INTERVAL 7 DAY "
            "GROUP BY ALL ORDER BY feed, kind, n DESC",
        ),
        (
            "Last runs",
            "SELECT run_id, flow, status, strftime(started_at, '%Y-%m-%d %H:%M:%S') "
            "AS started, round(epoch(finished_at - started_at), 1) AS seconds, feeds_polled, "
            "new_articles, duplicates, errors, message FROM runs ORDER BY run_id DESC LIMIT 5",
        ),
        (
            "Counts",
            "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM "
            "articles WHERE duplicate_of IS NULL) AS distinct_articles, (SELECT count(*) FROM "
            "stories) AS stories, (SELECT count(*) FROM actor_mentions) AS mentions, "
            "(SELECT count(*) FROM stances) AS stances",
        ),
    ]
    for title, sql in sections:
        columns, rows = store.query(sql)
        print(f"{title}\n{format_rows(columns, rows, 'table')}\n")
    return EXIT_OK


@command(
    "digest",
    "write the digest of what is new since the previous one (--since/--until: "
    "any window) as Markdown and HTML; --send e-mails it; prints the paths",
)
def cmd_digest(args: argparse.Namespace) -> int:
    """Run the digest flow once; exit 1 when sending failed (the files are written)."""
    config = _config(args)
    from monitor.digest import DigestError, parse_time

    try:
        for value in (args.since, args.until):
            if value:
                parse_time(value, config.timezone)
    except DigestError as exc:
        print(f"monitor: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.send and config.email is None:
        raise ConfigError(f"{config.path}: --send needs an [email] section (host, from, to)")
    with prefect_api(config.database.parent):
        from flows.digest import digest_flow

        quiet_run_loggers(args.verbose)
        try:
            result = digest_flow(
                config_path=str(config.path),
                since=args.since,
                until=args.until,
                out_dir=args.out,
                send=args.send,
            )
        except DigestError as exc:
            print(f"monitor: {exc}", file=sys.stderr)
            return EXIT_USAGE
    print(result["md_path"])
    print(result["html_path"])
    for item in [*result["retried"], result["delivery"]]:
        if item is None:
            continue
        if item["error"]:
            print(f"digest {item['digest_id']}: sending failed: {item['error']}", file=sys.stderr)
        else:
            print(f"digest {item['digest_id']}: {'sent' if item['sent'] else item['skipped']}")
    return EXIT_OK if result["status"] == "ok" else EXIT_PARTIAL


def _optional_config(args: argparse.Namespace) -> Config | None:
    """The config when one is named or present; None when there is none (no database needed)."""
    try:
        return load_config(args.config)
    except ConfigError:
        if args.config or os.environ.get("MONITOR_CONFIG"):
            raise
        return None


@command(
    "eval",
    "score actor and stance tagging against a gold JSONL file (precision, recall, "
    "F1, misses and false hits); no database needed",
)
def cmd_eval(args: argparse.Namespace) -> int:
    """Evaluate the tagger on gold items."""
    from monitor.actors import load_registry
    from monitor.stance import evaluate, format_report, load_topics

    config = _optional_config(args)
    registry = load_registry(extra_actors=config.actors if config else None)
    topics = load_topics(config.topics_path if config else None)
    result = evaluate(_gold(args.gold), registry=registry, topics=topics)
    print(json.dumps(result, ensure_ascii=False) if args.json else format_report(result))
    return EXIT_OK


@command(
    "eval-stories",
    "score story clustering against a gold JSONL file (B-cubed precision, "
    "recall, F1, stories split and merged); no database needed",
)
def cmd_eval_stories(args: argparse.Namespace) -> int:
    """Evaluate story clustering on gold articles."""
    from monitor.stories import evaluate_stories

    config = _optional_config(args)
    params: dict[str, Any] = {}
    if config:
        params["window_days"] = config.story_window_days
        if config.story_threshold:
            params["threshold"] = config.story_threshold
    result = evaluate_stories(_gold(args.gold), **params)
    keys = ("precision", "recall", "f1", "split", "merged")
    if args.json:
        print(json.dumps({k: result[k] for k in keys}))
    else:
        print(
            f"B-cubed precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
            f"F1 {result['f1']:.3f}\n{result['split']} gold stories split, "
            f"{result['merged']} predicted stories merged "
            f"({result.get('n_articles', '?')} articles)"
        )
    return EXIT_OK


def _gold(path: str) -> Path:
    """A gold file that exists, or a usage error naming it."""
    gold = Path(path)
    if not gold.is_file():
        raise ConfigError(f"--gold {path}: no such file")
    return gold


@command(
    "serve",
    "serve the ingest flow every [schedule] ingest_every_minutes and the digest "
    "flow on [schedule] digest_cron with Prefect, until interrupted",
)
def cmd_serve(args: argparse.Namespace) -> int:
    """Run both flows on their schedules; logs the Prefect UI address."""
    config = _config(args)
    # Ctrl-C and SIGTERM stop serving cleanly, even when started with SIGINT ignored (a
    # background job of a non-interactive shell inherits that)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    from monitor.pipeline import tune_heap

    tune_heap()
    with prefect_api(config.database.parent, ui=True) as address:
        from flows.serve import serve_flows

        print(
            f"serving monitor-ingest every {config.ingest_every_minutes:g} min and "
            f"monitor-digest on '{config.digest_cron}' ({config.timezone}); "
            f"Prefect UI: {address} ; press Ctrl-C to stop",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            serve_flows(config)
    print("monitor serve stopped", flush=True)
    return EXIT_OK


def _interrupt(signum: int, frame: Any) -> None:
    """Turn SIGTERM into KeyboardInterrupt so that serve shuts down cleanly."""
    raise KeyboardInterrupt


@command(
    "enable-feed",
    "re-enable a feed that was disabled after max_failures failed polls "
    "and reset its failure count",
)
def cmd_enable_feed(args: argparse.Namespace) -> int:
    """Re-enable a disabled feed by name or id."""
    from monitor.config import slugify

    config = _config(args)
    store = _store(config)
    store.migrate()
    if not store.enable_feed(slugify(args.feed)):
        print(f"monitor: no stored feed named {args.feed!r}; see `monitor status`", file=sys.stderr)
        return EXIT_USAGE
    print(f"feed {args.feed!r} enabled: it is polled by the next `monitor ingest`")
    return EXIT_OK


@command("export", "write every table to Parquet files in DIR, to open anywhere while flows run")
def cmd_export(args: argparse.Namespace) -> int:
    """Export the tables to Parquet."""
    written = _store(_config(args)).export_parquet(Path(args.out))
    for table, path, rows in written:
        print(f"{table}: {rows} rows -> {path}")
    return EXIT_OK


@command(
    "add-feed",
    "find the RSS/Atom/JSON feed of a site (or take a feed URL) and append it to the config",
)
def cmd_add_feed(args: argparse.Namespace) -> int:
    """Discover a site's feed from its home page and add it as a [[feeds]] table."""
    config = _config(args)
    from monitor.feeds import find_feed

    found = find_feed(args.url, config.fetch)
    name = args.name or found.title or found.url
    assert config.path is not None
    append_feed(config.path, name, found.url)
    print(f"added feed {name!r}: {found.url} to {config.path}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered command."""
    parser = argparse.ArgumentParser(
        prog="monitor",
        description="Monitor news feeds: ingest, stories, actors, stances, "
        "digests. Exit codes: 0 ok, 1 partial failure, 2 usage/config error, 3 database locked.",
    )
    parser.add_argument("--config", help="config file (default: $MONITOR_CONFIG or ./monitor.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show progress logs")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (help_text, _) in COMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        _add_arguments(name, sub_parser)
    return parser


def _add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    """The arguments of one command."""
    if name == "init":
        parser.add_argument("dir", nargs="?", default=".", help="folder for monitor.toml")
    elif name == "ingest":
        parser.add_argument("--all", action="store_true", help="poll every enabled feed now")
    elif name == "digest":
        parser.add_argument(
            "--since",
            help="window start, ISO 8601 (default: the end of the "
            "previous digest; the first digest covers everything)",
        )
        parser.add_argument(
            "--until",
            help="window end, ISO 8601 (default: now); times without "
            "an offset are in [schedule] timezone",
        )
        parser.add_argument("--out", help="output folder (default: [digest] out_dir)")
        parser.add_argument(
            "--send",
            action="store_true",
            help="e-mail the digest ([email]); earlier failed deliveries are retried first",
        )
    elif name == "enable-feed":
        parser.add_argument("feed", help="the feed's name (or id) as in `monitor status`")
    elif name in ("eval", "eval-stories"):
        parser.add_argument("--gold", required=True, help="gold JSONL file (format in schemas/)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
    elif name == "export":
        parser.add_argument(
            "--out", default="data/export", help="output folder (default data/export)"
        )
    elif name == "add-feed":
        parser.add_argument("url", help="a site's home page or a feed URL")
        parser.add_argument("--name", help="feed name (default: the feed's title)")
    elif name == "sql":
        parser.add_argument("query", help="the SQL to run (read-only)")
        parser.add_argument(
            "--format",
            choices=["table", "csv", "json"],
            default="table",
            help="output format (default: table)",
        )
        parser.add_argument("--full", action="store_true", help="do not truncate long cells")
    elif name == "search":
        parser.add_argument("query", help="words to look for in titles and texts")
        parser.add_argument(
            "--limit", type=int, default=20, help="at most this many articles (default: 20)"
        )
        parser.add_argument(
            "--format",
            choices=["table", "csv", "json"],
            default="table",
            help="output format (default: table)",
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `monitor` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    configure_environment(args.verbose)
    try:
        return COMMANDS[args.command][1](args)
    except ConfigError as exc:
        print(f"monitor: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DatabaseLocked as exc:
        print(f"monitor: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except StoreError as exc:
        print(f"monitor: {exc}", file=sys.stderr)
        return exc.exit_code
    except FeedNotFound as exc:
        print(f"monitor: {exc}", file=sys.stderr)
        return EXIT_PARTIAL
    except ServerError as exc:
        print(f"monitor: {exc}", file=sys.stderr)
        return exc.exit_code


def run() -> None:
    """The console script: `monitor sql ... | head` ends quietly, then main()."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())


if __name__ == "__main__":
    run()
