"""Configuration: defaults, path resolution, and one clear message per kind of mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import main
from monitor.config import ConfigError, load_config

from .conftest import ROOT


def test_bundled_default_config_monitors_the_seeds_offline() -> None:
    config = load_config(ROOT / "monitor.toml")
    assert config.database == ROOT / "data" / "monitor.duckdb"
    assert [f.feed_id for f in config.feeds] == ["seeds"]
    assert Path(config.feeds[0].url) == ROOT / "seeds" / "site"
    assert config.fetch.allow_private_networks is False


def test_defaults_apply_when_keys_are_missing(write_config, seed_site) -> None:
    path = write_config(f'[[feeds]]\nname = "Local"\nurl = "{seed_site}"\n')
    config = load_config(path)
    assert config.database == path.parent / "data" / "monitor.duckdb"
    assert config.poll_minutes == 15 and config.max_failures == 30
    assert config.fetch.max_redirects == 5 and config.fetch.per_host_concurrency == 2
    assert config.story_window_days == 3.0 and config.database_lock_timeout_s == 120


def test_config_from_environment(write_config, seed_site, monkeypatch) -> None:
    path = write_config(f'[[feeds]]\nname = "Local"\nurl = "{seed_site}"\n')
    monkeypatch.setenv("MONITOR_CONFIG", str(path))
    assert load_config().path == path


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[fetch]\ntimeout_s = -1\n", ["fetch.timeout_s", "-1", "> 0"]),
        ('[fetch]\ntimeout_s = "soon"\n', ["fetch.timeout_s", '"soon"', "number"]),
        (
            '[fetch]\nallow_private_networks = "yes"\n',
            ["fetch.allow_private_networks", "true or false"],
        ),
        ("[fetch]\ntimeuot_s = 5\n", ["unknown key 'timeuot_s'", "in fetch", "timeout_s"]),
        ('databse = "x.duckdb"\n', ["unknown key 'databse'", "database"]),
        ("max_failures = 0\n", ["max_failures", "0", ">= 1"]),
        ('[[feeds]]\nname = "A"\n', ["feeds[0]", "required key 'url'"]),
        ('[[feeds]]\nname = "A"\nurl = "ftp://example.com/rss"\n', ["feeds[0].url", "ftp://"]),
        ('[[feeds]]\nname = "A"\nurl = "/no/such/folder"\n', ["feeds[0].url", "local folder"]),
        (
            '[[feeds]]\nname = "A"\nurl = "file:///no/such/feed.xml"\n',
            ["feeds[0].url", "does not exist"],
        ),
        (
            '[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\n'
            '[[feeds]]\nname = "a"\nurl = "https://b.example/rss"\n',
            ["feeds[1].name", "unique"],
        ),
        ('[schedule]\ntimezone = "Mars/Olympus"\n', ["schedule.timezone", "Mars/Olympus", "IANA"]),
        ('[schedule]\ndigest_cron = "every day"\n', ["schedule.digest_cron", "cron"]),
        ('[schedule]\noverlap = "queue"\n', ["schedule.overlap", "queue", '"wait"']),
        (
            '[email]\nhost = "smtp.example"\nfrom = "a@example.com"\nto = ["not-an-address"]\n',
            ["email.to[0]", "not-an-address"],
        ),
        ("poll_minutes = [\n", ["not valid TOML"]),
    ],
)
def test_each_bad_value_is_named(write_config, body: str, expected: list[str]) -> None:
    path = write_config(body)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    for fragment in expected:
        assert fragment in str(info.value)


def test_cli_exits_2_naming_the_key(write_config, capsys) -> None:
    path = write_config("[fetch]\nmax_bytes = 10\n")
    assert main(["--config", str(path), "status"]) == 2
    err = capsys.readouterr().err
    assert "fetch.max_bytes = 10" in err and ">= 1024" in err


def test_missing_config_file_is_a_usage_error(tmp_path, capsys) -> None:
    assert main(["--config", str(tmp_path / "nope.toml"), "status"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_init_writes_a_valid_starter_config(tmp_path, capsys) -> None:
    assert main(["init", str(tmp_path)]) == 0
    config = load_config(tmp_path / "monitor.toml")
    assert config.feeds and config.feeds[0].url.startswith("https://")
    assert main(["init", str(tmp_path)]) == 2  # never overwrites
