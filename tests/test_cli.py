"""The CLI: every command documented, output formats, exit codes."""

from __future__ import annotations

import json

from monitor.cli import COMMANDS, build_parser, format_rows, main

from .conftest import ROOT


def test_every_command_is_documented_in_help_and_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    help_text = build_parser().format_help()
    for name, (summary, handler) in COMMANDS.items():
        assert summary and handler.__doc__, name
        assert name in help_text, name
        assert f"`monitor {name}" in readme, f"README does not document `monitor {name}`"


def test_formats() -> None:
    columns, rows = ["title", "n"], [("Putin <talks>", 3), (None, 4)]
    table = format_rows(columns, rows, "table")
    assert table.splitlines()[0].split() == ["title", "n"] and "(2 rows)" in table
    assert format_rows(columns, rows, "csv").splitlines() == ["title,n", "Putin <talks>,3", ",4"]
    assert json.loads(format_rows(columns, rows, "json")) == [
        {"title": "Putin <talks>", "n": 3},
        {"title": None, "n": 4},
    ]


def test_sql_without_a_database_explains(write_config, seed_site, capsys) -> None:
    path = write_config(f'[[feeds]]\nname = "S"\nurl = "{seed_site}"\n')
    assert main(["--config", str(path), "sql", "select 1"]) == 1
    assert "monitor ingest" in capsys.readouterr().err


def test_sql_errors_are_reported_not_raised(write_config, seed_site, capsys) -> None:
    from monitor.store import Store

    path = write_config(f'[[feeds]]\nname = "S"\nurl = "{seed_site}"\n')
    Store(path.parent / "data" / "monitor.duckdb").migrate()
    assert main(["--config", str(path), "sql", "select nope from articles"]) == 1
    assert "query failed" in capsys.readouterr().err
    assert (
        main(
            ["--config", str(path), "sql", "select count(*) as n from articles", "--format", "json"]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == [{"n": 0}]


def test_a_feed_failing_max_failures_times_is_disabled_then_re_enabled(
    write_config, capsys
) -> None:
    from monitor.config import load_config
    from monitor.pipeline import Ingest

    path = write_config(
        "max_failures = 2\n[fetch]\nretries = 0\ntimeout_s = 2\n"
        '[[feeds]]\nname = "Gone"\nurl = "http://127.0.0.1:9/feed.xml"\n'
    )
    for _ in range(2):
        with Ingest(load_config(path), all_feeds=True) as job:
            polls = [job.poll(feed) for feed in job.begin()]
            job.finish(polls)
    assert main(["--config", str(path), "status"]) == 0
    out = capsys.readouterr().out
    assert "disabled" in out and "connection_error" in out
    with Ingest(load_config(path), all_feeds=True) as job:
        assert job.begin() == []  # disabled feeds are not polled, even with --all
        job.finish([])
    assert main(["--config", str(path), "enable-feed", "Gone"]) == 0
    assert main(["--config", str(path), "enable-feed", "Nope"]) == 2
    with Ingest(load_config(path)) as job:
        assert [f.feed_id for f in job.begin()] == ["gone"]
        job.finish([])
