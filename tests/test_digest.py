"""The daily digest: the scenario (Italy and Germany change sides), escaping, windows, files,
spikes, and e-mail delivery through a loopback SMTP server.

Golden files: tests/golden/*.md; regenerate them with UPDATE_GOLDEN=1 pytest tests/test_digest.py.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from monitor import digest as dg
from monitor import pipeline
from monitor.config import Config, parse_config
from monitor.models import Article, Mention, Stance
from monitor.pipeline import Ingest
from monitor.store import FetchLogRow, Store

from .conftest import SEEDS

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
SCENARIO = HERE / "fixtures" / "scenario"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def utc(text: str) -> datetime:
    """An aware UTC datetime from ISO text."""
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def make_config(tmp_path: Path, **extra: Any) -> Config:
    """A config with its database and digests in tmp_path."""
    data = {"database": "monitor.duckdb", "digest": {"out_dir": "digests"}, **extra}
    return parse_config(data, tmp_path, "test config")


def check_golden(name: str, text: str) -> None:
    """Compare text with tests/golden/name (rewrite it when UPDATE_GOLDEN=1)."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden {path}: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden; if the change is intended, regenerate with "
        f"UPDATE_GOLDEN=1 pytest {__file__}"
    )


def ingest_at(config: Config, when: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """One ingest run (the flow's calls, without Prefect) with first_seen_at frozen at `when`."""
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "utcnow", lambda: utc(when))
        with Ingest(config, all_feeds=True) as job:
            feeds = job.begin()
            polls = [job.poll(feed) for feed in feeds]
            for batch in job.batches(job.select(polls)):
                job.store_batch(job.analyse(job.fetch(batch)))
            summary = job.finish(polls)
    assert summary.status == "ok", summary.line()


def article(
    article_id: int,
    seen: str,
    *,
    title: str = "A title",
    site: str = "Site",
    url: str | None = None,
    story: int | None = None,
    stances: tuple = (),
    mentions: tuple = (),
    duplicate_of: int | None = None,
    text: str | None = None,
) -> Article:
    """An Article row for unit tests; stances are (actor, topic, polarity[, confidence])."""
    when = utc(seen)
    return Article(
        article_id=article_id,
        feed_id="feed",
        url=url or f"https://news.example/{article_id}",
        canonical_url=f"https://news.example/{article_id}",
        first_seen_at=when,
        published_at=when - timedelta(hours=1),
        title=title,
        site_name=site,
        text=text
        or f"Lead sentence number one of {article_id} is here. The second sentence "
        "follows it closely. A third one is never shown.",
        content_hash=f"hash-{article_id}",
        extraction_method="text",
        story_id=story,
        duplicate_of=duplicate_of,
        stances=[
            Stance(
                s[0],
                s[1],
                s[2],
                s[3] if len(s) > 3 else 0.8,
                f"{s[0]} evidence {s[2]} {article_id}.",
                0,
                10,
            )
            for s in stances
        ],
        mentions=[Mention(a, a, 0, i, i + 1) for i, a in enumerate(mentions)],
    )


def save(config: Config, articles: list[Article]) -> None:
    """Store articles (and a stories row per story) as the pipeline would."""
    store = Store(config.database)
    store.migrate()
    with store.writer() as con:
        Store.save_articles(con, articles, None)
        for story_id in sorted({a.story_id for a in articles if a.story_id}):
            members = [a for a in articles if a.story_id == story_id]
            con.execute("DELETE FROM stories WHERE story_id = ?", [story_id])
            con.execute(
                "INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    story_id,
                    members[0].title,
                    members[0].first_seen_at,
                    members[-1].first_seen_at,
                    len(members),
                    len(members),
                    members[0].article_id,
                ],
            )


def read(path: str) -> str:
    """A file's text."""
    return Path(path).read_text(encoding="utf-8")


# -- the scenario ---------------------------------------------------------------------------
def test_scenario_italy_and_germany_change_sides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    shutil.copytree(SEEDS / "site", site)
    config = make_config(tmp_path, feeds=[{"name": "Seeds", "url": str(site)}])
    ingest_at(config, "2026-01-17T10:00:00+00:00", monkeypatch)
    first = dg.make_digest(config, until=utc("2026-01-17T18:00:00+00:00"))
    for doc in SCENARIO.iterdir():
        shutil.copy(doc, site / doc.name)
    ingest_at(config, "2026-01-20T11:00:00+00:00", monkeypatch)
    second = dg.make_digest(config, until=utc("2026-01-20T18:00:00+00:00"))

    assert Path(first.md_path).name == "digest-2026-01-17.md"
    assert Path(second.md_path).name == "digest-2026-01-20.md"
    assert second.window_start == utc("2026-01-17T18:00:00+00:00")
    baseline, shift = read(first.md_path), read(second.md_path)
    check_golden("scenario-1-baseline.md", baseline)
    check_golden("scenario-2-shift.md", shift)
    check_golden("scenario-2-shift.html", read(second.html_path))

    changes = shift.split("## Stance changes", 1)[1].split("\n## ", 1)[0]
    italy = re.search(
        r"\*\*Italy\*\* \(ITA\) on Dialogue with Russia: \*\*support → oppose\*\*"
        r"\n  > (.+)\n",
        changes,
    )
    germany = re.search(
        r"\*\*Germany\*\* \(DEU\) on Troops to Ukraine: \*\*oppose → support\*\*"
        r"\n  > (.+)\n",
        changes,
    )
    assert italy and "Rome would not pursue talks with Vladimir Putin" in italy.group(1)
    assert germany and germany.group(1).startswith("Germany agreed to send troops to Ukraine")
    assert changes.index("(ITA)") < changes.index("### First positions")
    assert "continental-dispatch.example" in changes and "Continental Dispatch" in changes
    assert "support → oppose" not in baseline and "oppose → support" not in baseline
    assert re.search(r"\| Italy \| support \(new\) \|", baseline)
    assert re.search(r"\| Italy \| oppose \(new\) \|", shift)

    html = read(second.html_path)
    assert 'support</span><span class="arrow">→</span><span class="pol pol-oppose"' in html
    assert "<script" not in html.lower() and "http-equiv" not in html.lower()
    assert not re.search(r"""(?:src|href)=["'](?!https?://)""", html)

    rows = Store(config.database).query(
        "SELECT window_start IS NULL, n_stance_changes, md_path FROM digests ORDER BY digest_id"
    )[1]
    assert [(r[0], r[2]) for r in rows] == [(True, first.md_path), (False, second.md_path)]
    assert rows[1][1] == second.n_stance_changes >= 2

    third = dg.make_digest(config, until=utc("2026-01-21T18:00:00+00:00"))
    assert read(third.md_path) == (
        "News digest, 21 Jan 2026: nothing new (2026-01-20 18:00 UTC to 2026-01-21 18:00 UTC).\n"
    )
    assert third.nothing_new


# -- escaping -------------------------------------------------------------------------------
HOSTILE = "<script>alert(1)</script> [click](javascript:alert(2)) `x` *y* http://evil.example"


def test_hostile_title_url_and_evidence_are_escaped(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    save(
        config,
        [
            article(
                1, "2026-01-10T08:00:00+00:00", stances=(("ITA", "russia-dialogue", "support"),)
            ),
            article(
                2,
                "2026-01-20T08:00:00+00:00",
                title=HOSTILE,
                site="<b>Evil</b>",
                url="javascript:alert(3)",
                story=7,
                mentions=("ITA",),
                stances=(("ITA", "russia-dialogue", "oppose"),),
                text="<img src=x onerror=alert(4)> took a view on it today. [a](b) says so.",
            ),
        ],
    )
    result = dg.make_digest(
        config, since=utc("2026-01-15T00:00:00+00:00"), until=utc("2026-01-21T00:00:00+00:00")
    )
    html, md = read(result.html_path), read(result.md_path)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower() and "<img" not in html and "<b>Evil" not in html
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html).__str__()
    assert "&lt;b&gt;Evil&lt;/b&gt;" in html
    assert "\\<script\\>alert(1)\\</script\\>" in md
    assert "\\[click\\](javascript:alert(2))" in md
    assert not re.search(r"(?<!\\)\]\(", md.split("## New stories")[0].split("## Stance")[1])
    assert "http\\://evil.example" in md and "\\`x\\` \\*y\\*" in md
    assert "\\<img src=x onerror=alert(4)\\>" in md and "<img" not in md.replace("\\<img", "")


def test_markdown_escaping_and_safe_urls() -> None:
    assert dg.md_text("# Title\nwith [link](http://x)") == "\\# Title with \\[link\\](http\\://x)"
    assert dg.md_text("1. not a list") == "1\\. not a list"
    assert dg.md_text("- item | cell") == "\\- item \\| cell"
    assert dg.md_text("2026.5 up, www.x.org &amp; AT&T") == "2026.5 up, www\\.x.org &amp;amp; AT&T"
    assert dg.safe_url("https://a.example/x?q=1") == "https://a.example/x?q=1"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,x",
        "//a.example",
        "ftp://a.example",
        "https://a.example/x y",
        "",
        None,
    ):
        assert dg.safe_url(bad) is None
    assert str(dg.md_url("https://a.example/a_(b)")) == "https://a.example/a_%28b%29"


# -- rules ----------------------------------------------------------------------------------
def test_stance_change_rules(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    before = "2026-01-10T08:00:00+00:00"
    save(
        config,
        [
            article(
                1,
                before,
                stances=(
                    ("ITA", "russia-dialogue", "support"),
                    ("FRA", "russia-dialogue", "support"),
                    ("DEU", "troops-to-ukraine", "oppose"),
                    ("ESP", "troops-to-ukraine", "oppose"),
                ),
            ),
            article(
                2, "2026-01-11T08:00:00+00:00", stances=(("ITA", "russia-dialogue", "neutral"),)
            ),
            # in the window: ITA flips; FRA flips and flips back; DEU is only neutral; POL is new;
            # ESP's flip is in a duplicate article and does not count.
            article(
                3,
                "2026-01-20T08:00:00+00:00",
                stances=(
                    ("ITA", "russia-dialogue", "oppose"),
                    ("FRA", "russia-dialogue", "oppose"),
                    ("DEU", "troops-to-ukraine", "neutral"),
                    ("POL", "troops-to-ukraine", "support"),
                ),
            ),
            article(
                4, "2026-01-20T09:00:00+00:00", stances=(("FRA", "russia-dialogue", "support"),)
            ),
            article(
                5,
                "2026-01-20T10:00:00+00:00",
                duplicate_of=1,
                stances=(("ESP", "troops-to-ukraine", "support"),),
            ),
        ],
    )
    store = Store(config.database)
    window = dg.Window(start=utc("2026-01-15T00:00:00+00:00"), end=utc("2026-01-21T00:00:00+00:00"))
    with store.writer() as con:
        digest = dg.build_digest(con, window, config, None, {"russia-dialogue": "Dialogue"})
    got = {(c.actor_id, c.topic_id): (c.before, c.after, c.evidence) for c in digest.stance_changes}
    assert got == {
        ("ITA", "russia-dialogue"): ("support", "oppose", "ITA evidence oppose 3."),
        ("POL", "troops-to-ukraine"): (None, "support", "POL evidence support 3."),
    }
    assert [c.actor_id for c in digest.stance_changes] == ["ITA", "POL"]
    board = {
        r.actor_id: dict(zip(["russia-dialogue", "troops-to-ukraine"], r.cells, strict=True))
        for r in digest.board
    }
    assert board["DEU"]["troops-to-ukraine"] == "oppose"
    assert board["ESP"]["troops-to-ukraine"] == "oppose"
    assert board["FRA"]["russia-dialogue"] == "support"
    assert digest.topics == ["Dialogue", "troops-to-ukraine"]


def test_latest_article_decides_and_its_most_confident_stance_is_the_evidence() -> None:
    def row(article_id: int, polarity: str, confidence: float, evidence: str) -> dict[str, Any]:
        return {
            "actor_id": "DEU",
            "topic_id": "t",
            "polarity": polarity,
            "article_id": article_id,
            "confidence": confidence,
            "evidence": evidence,
        }

    rows = [
        row(1, "oppose", 0.9, "old"),
        row(2, "support", 0.72, "rolled up"),
        row(2, "support", 0.8, "direct"),
        row(2, "support", 0.8, "later direct"),
        row(2, "neutral", 1.0, "neutral"),
    ]
    assert dg.latest_positions(rows)[("DEU", "t")]["evidence"] == "direct"


def test_actor_spikes() -> None:
    window = dg.Window(start=utc("2026-01-20T00:00:00+00:00"), end=utc("2026-01-21T00:00:00+00:00"))
    counts = {"NEW": 3, "FEW": 2, "UP": 4, "FLAT": 5, "LONG": 3}
    trailing = {"UP": 14, "FLAT": 21, "LONG": 7}  # 2/day, 3/day, 1/day
    got = {
        a.actor_id: (a.spike, a.new, a.average)
        for a in dg.actor_activity(counts, trailing, window, 2.0, None)
    }
    assert got == {
        "NEW": (True, True, 0.0),
        "FEW": (False, True, 0.0),
        "UP": (True, False, 2.0),
        "FLAT": (False, False, 3.0),
        "LONG": (True, False, 1.0),
    }
    three_days = dg.Window(start=window.start - timedelta(days=2), end=window.end)
    assert not next(
        a for a in dg.actor_activity({"LONG": 3}, {"LONG": 7}, three_days, 2.0, None)
    ).spike


def test_sections_stories_actors_and_operations(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    save(
        config,
        [
            article(1, "2026-01-18T08:00:00+00:00", story=1, title="Old story", site="Alpha"),
            article(2, "2026-01-20T08:00:00+00:00", story=1, title="Old story grows", site="Beta"),
            article(
                3,
                "2026-01-20T09:00:00+00:00",
                story=2,
                title="Small story",
                site="Alpha",
                mentions=("ITA",),
            ),
            article(
                4,
                "2026-01-20T10:00:00+00:00",
                story=3,
                title="Big story",
                site="Alpha",
                mentions=("DEU", "giorgia-meloni"),
                text="Big story\n\nBy A. Reporter\n\nGermany moved first on Monday. Then "
                "Italy followed in the evening. Nobody else did.",
            ),
            article(
                5,
                "2026-01-20T11:00:00+00:00",
                story=3,
                title="Big story copy",
                site="Gamma",
                mentions=("DEU",),
            ),
            article(
                6,
                "2026-01-20T12:00:00+00:00",
                story=3,
                title="Big story dup",
                site="Delta",
                duplicate_of=5,
            ),
        ],
    )
    store = Store(config.database)
    with store.writer() as con:
        con.execute(
            "INSERT INTO feeds (feed_id, name, url, consecutive_failures, disabled, "
            "last_status, last_error) VALUES ('bad', 'Bad feed', 'https://bad.example/', "
            "4, TRUE, 'http_error', 'HTTP 500 from https://bad.example/')"
        )
        Store.log_fetches(
            con,
            [
                FetchLogRow(
                    None,
                    utc("2026-01-20T10:00:00+00:00"),
                    "extract",
                    "bad",
                    "https://bad.example/a",
                    None,
                    "extraction_empty",
                    None,
                    None,
                    "no article text found",
                ),
                FetchLogRow(
                    None,
                    utc("2026-01-20T10:00:00+00:00"),
                    "page",
                    "bad",
                    "https://bad.example/ok",
                    200,
                    "ok",
                    10,
                    1.0,
                    None,
                ),
                FetchLogRow(
                    None,
                    utc("2026-01-10T10:00:00+00:00"),
                    "page",
                    "bad",
                    "https://bad.example/old",
                    500,
                    "http_error",
                    0,
                    1.0,
                    "HTTP 500",
                ),
            ],
        )
    result = dg.make_digest(
        config, since=utc("2026-01-19T00:00:00+00:00"), until=utc("2026-01-21T00:00:00+00:00")
    )
    md = read(result.md_path)
    new = md.split("## New stories")[1].split("## Developing")[0]
    assert new.index("### Big story") < new.index("### Small story")
    assert (
        "3 sources: [Alpha](https://news.example/4), [Gamma](https://news.example/5), "
        "[Delta](https://news.example/6)" in new
    )
    assert "Germany moved first on Monday. Then Italy followed in the evening.\n" in new
    assert "Actors: Germany, Giorgia Meloni" in new
    developing = md.split("## Developing")[1].split("## ")[0]
    assert "Old story: +1 article (2 in all) from [Beta](https://news.example/2)" in developing
    assert "| Germany | DEU | country | 2 | 0.00 |  |" in md
    ops = md.split("## Operations")[1]
    assert "Feed Bad feed: disabled, 4 failures in a row (http\\_error)" in ops
    assert "https\\://bad.example/a (Bad feed): extraction\\_empty" in ops
    assert "bad.example/ok" not in ops and "bad.example/old" not in ops
    assert result.n_stories == 2 and result.n_stance_changes == 0
    assert "Stance changes" not in md and "Stance board" not in md


def test_lead_sentences_skip_title_and_datelines() -> None:
    text = (
        "Title here\n\nFri 16 Jan 2026 | 02:21 PM\n\nFirst real sentence is here. "
        "Second real sentence too. Third."
    )
    assert (
        dg.lead_sentences(text, "Title here")
        == "First real sentence is here. Second real sentence too."
    )
    assert dg.lead_sentences("Just a heading", None) == "Just a heading"


# -- windows and files ----------------------------------------------------------------------
def test_window_defaults_and_errors() -> None:
    now = utc("2026-01-20T07:00:00+00:00")
    last = utc("2026-01-19T07:00:00+00:00")
    assert dg.resolve_window(None, None, None, now) == dg.Window(None, now)
    assert dg.resolve_window(last, None, None, now) == dg.Window(last, now)
    with pytest.raises(dg.DigestError, match="previous digest"):
        dg.resolve_window(now, None, None, now)
    assert dg.parse_time("2026-01-20", "Europe/Rome") == utc("2026-01-19T23:00:00+00:00")
    assert dg.parse_time("2026-01-20T07:00Z") == now
    with pytest.raises(dg.DigestError, match="ISO 8601"):
        dg.parse_time("yesterday")


def test_file_names_never_overwrite_except_the_identical_window(tmp_path: Path) -> None:
    config = make_config(tmp_path, schedule={"timezone": "Asia/Tokyo"})
    save(config, [article(1, "2026-01-20T08:00:00+00:00")])
    first = dg.make_digest(config, until=utc("2026-01-20T20:00:00+00:00"))
    second = dg.make_digest(config, until=utc("2026-01-20T22:00:00+00:00"))
    again = dg.make_digest(config, since=second.window_start, until=second.window_end)
    names = [Path(r.md_path).name for r in (first, second, again)]
    assert names == ["digest-2026-01-21.md", "digest-2026-01-21-2.md", "digest-2026-01-21-2.md"]
    assert again.digest_id == second.digest_id != first.digest_id
    assert Path(second.html_path).name == "digest-2026-01-21-2.html"
    assert sorted(p.name for p in (tmp_path / "digests").iterdir()) == [
        "digest-2026-01-21-2.html",
        "digest-2026-01-21-2.md",
        "digest-2026-01-21.html",
        "digest-2026-01-21.md",
    ]
    assert Store(config.database).query("SELECT count(*) FROM digests")[1] == [(2,)]


# -- delivery -------------------------------------------------------------------------------
class Sink:
    """An SMTP handler that keeps the messages it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep one message."""
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


def free_port() -> int:
    """A TCP port nothing listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_port() -> int:
    """A free loopback port for the SMTP server of a test."""
    return free_port()


@pytest.fixture
def smtp_sink(smtp_port: int) -> Iterator[tuple[Sink, Controller]]:
    """A loopback SMTP server, not started: the test starts it when it wants it up."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port, server_hostname="localhost")
    yield sink, controller
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


def test_email_once_per_window_and_failed_delivery_retried(
    tmp_path: Path, smtp_port: int, smtp_sink: tuple[Sink, Controller]
) -> None:
    sink, controller = smtp_sink
    config = make_config(
        tmp_path,
        email={
            "host": "127.0.0.1",
            "port": smtp_port,
            "starttls": False,
            "from": "monitor@example.org",
            "to": ["desk@example.org", "editor@example.org"],
            "timeout_s": 5,
        },
    )
    save(config, [article(1, "2026-01-19T08:00:00+00:00", title="Day one")])
    down = dg.run_digest(config, until=utc("2026-01-19T12:00:00+00:00"), send=True)
    assert down["status"] == "send_failed" and down["delivery"]["error"]
    assert Path(down["md_path"]).is_file() and Path(down["html_path"]).is_file()
    error = Store(config.database).query("SELECT send_error, sent_at FROM digests")[1]
    assert error[0][0] and error[0][1] is None

    controller.start()
    save(config, [article(2, "2026-01-20T08:00:00+00:00", title="Day two")])
    up = dg.run_digest(config, until=utc("2026-01-20T12:00:00+00:00"), send=True)
    assert up["status"] == "ok"
    assert [d["sent"] for d in up["retried"]] == [True] and up["delivery"]["sent"]
    assert len(sink.messages) == 2
    subjects = [m["Subject"] for m in sink.messages]
    assert subjects == ["News digest, 19 Jan 2026", "News digest, 20 Jan 2026"]
    for message, path in zip(sink.messages, (down["md_path"], up["md_path"]), strict=True):
        types = [part.get_content_type() for part in message.walk()]
        assert types == ["multipart/alternative", "text/plain", "text/html"]
        assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == read(path)
        assert "<!DOCTYPE html>" in message.get_body(("html",)).get_content()
        assert message["To"] == "desk@example.org, editor@example.org"

    again = dg.run_digest(
        config,
        since=utc("2026-01-19T12:00:00+00:00"),
        until=utc("2026-01-20T12:00:00+00:00"),
        send=True,
    )
    assert again["already_sent"] and again["delivery"]["skipped"] == "already sent"
    later = dg.run_digest(config, until=utc("2026-01-21T12:00:00+00:00"), send=True)
    assert later["retried"] == [] and later["delivery"]["sent"]
    assert len(sink.messages) == 3
    rows = Store(config.database).query(
        "SELECT sent_to, send_error FROM digests ORDER BY digest_id"
    )[1]
    assert rows == [("desk@example.org, editor@example.org", None)] * 3


def test_missing_password_is_a_recorded_failure(
    tmp_path: Path, smtp_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MONITOR_TEST_SMTP_PASSWORD", raising=False)
    config = make_config(
        tmp_path,
        email={
            "host": "127.0.0.1",
            "port": smtp_port,
            "starttls": False,
            "from": "m@example.org",
            "to": ["d@example.org"],
            "user": "m",
            "password_env": "MONITOR_TEST_SMTP_PASSWORD",
        },
    )
    save(config, [article(1, "2026-01-19T08:00:00+00:00")])
    result = dg.run_digest(config, until=utc("2026-01-19T12:00:00+00:00"), send=True)
    assert "MONITOR_TEST_SMTP_PASSWORD" in result["delivery"]["error"]


# -- command line ---------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.usefixtures("prefect_server")
def test_cli_digest_prints_paths_and_exit_codes(
    tmp_path: Path, smtp_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    from monitor.cli import main

    config_path = tmp_path / "monitor.toml"
    config_path.write_text(
        f'database = "monitor.duckdb"\n[digest]\nout_dir = "out"\n[email]\nhost = "127.0.0.1"\n'
        f'port = {smtp_port}\nstarttls = false\nfrom = "m@example.org"\nto = ["d@example.org"]\n'
        f"timeout_s = 5\n",
        encoding="utf-8",
    )
    save(make_config(tmp_path), [article(1, "2026-01-19T08:00:00+00:00")])
    assert main(["--config", str(config_path), "digest", "--until", "2026-01-19T12:00Z"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        str(tmp_path / "out" / "digest-2026-01-19.md"),
        str(tmp_path / "out" / "digest-2026-01-19.html"),
    ]
    code = main(["--config", str(config_path), "digest", "--until", "2026-01-20T12:00Z", "--send"])
    captured = capsys.readouterr()
    assert code == 1 and "sending failed" in captured.err
    assert Path(captured.out.splitlines()[0]).is_file()
    assert main(["--config", str(config_path), "digest", "--since", "tomorrow"]) == 2
