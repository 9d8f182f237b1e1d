"""Reloader: re-read the layers when a file changes; keep the last good settings."""

import os

import pytest

from mobes.config import ConfigError, Reloader
from mobes.config import reload as config


@pytest.fixture
def files(mobes_home, tmp_path, monkeypatch):
    user = mobes_home / "config" / "config.toml"
    user.parent.mkdir(parents=True)
    team = tmp_path / "team.toml"
    tick = [1_000_000_000]  # an old, explicit mtime per write: no dependence on the clock

    def write(path, text, same_stamp=False):
        old = os.stat(path).st_mtime_ns if same_stamp else None
        path.write_text(text)
        if same_stamp:
            os.utime(path, ns=(old, old))
        else:
            tick[0] += 10**9
            os.utime(path, ns=(tick[0], tick[0]))

    return user, team, write


class Spy:
    def __init__(self):
        self.errors, self.warnings = [], []

    def error(self, e):
        self.errors.append(e)

    def warning(self, w):
        self.warnings.append(w)


@pytest.fixture
def count_loads(monkeypatch):
    calls = []
    real = config.load

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(config, "load", counting)
    return calls


def test_unchanged_files_are_not_read_again(files, count_loads):
    user, _, write = files
    write(user, "[microbreaks]\ninterval_minutes = 30\n")
    r = Reloader()
    assert r.settings.microbreaks.interval_minutes == 30
    for _ in range(5):
        assert r.check() is False
    assert len(count_loads) == 1


def test_a_changed_file_is_reloaded(files):
    user, _, write = files
    write(user, "[microbreaks]\ninterval_minutes = 30\n")
    r = Reloader()
    write(user, "[microbreaks]\ninterval_minutes = 40\n")
    assert r.check() is True
    assert r.settings.microbreaks.interval_minutes == 40
    assert r.check() is False


def test_a_change_that_keeps_the_settings_returns_false(files):
    user, _, write = files
    write(user, "[microbreaks]\ninterval_minutes = 30\n")
    r = Reloader()
    write(user, "# a comment\n[microbreaks]\ninterval_minutes = 30\n")
    assert r.check() is False
    assert r.settings.microbreaks.interval_minutes == 30


def test_broken_file_keeps_the_last_good_settings_and_reports_once(files):
    user, _, write = files
    write(user, "[microbreaks]\ninterval_minutes = 30\n")
    spy = Spy()
    r = Reloader(on_error=spy.error)
    write(user, "[microbreaks]\ninterval_minutes = 300\n")
    assert r.check() is False
    assert r.settings.microbreaks.interval_minutes == 30
    assert len(spy.errors) == 1 and isinstance(spy.errors[0], ConfigError)
    assert "[microbreaks].interval_minutes = 300" in str(spy.errors[0])
    assert r.error is spy.errors[0]
    # checked again, and even touched again with the same mistake: not reported again
    assert r.check() is False
    write(user, "[microbreaks]\ninterval_minutes = 300\n")
    assert r.check() is False
    assert len(spy.errors) == 1
    # a different mistake is reported
    write(user, "[microbreaks\n")
    assert r.check() is False and len(spy.errors) == 2
    assert "line 1, column" in str(spy.errors[1])
    # fixed: the new settings apply and the error is cleared
    write(user, "[microbreaks]\ninterval_minutes = 45\n")
    assert r.check() is True
    assert r.settings.microbreaks.interval_minutes == 45 and r.error is None
    # the same mistake as before, after a good load, is news again
    write(user, "[microbreaks]\ninterval_minutes = 300\n")
    assert r.check() is False and len(spy.errors) == 3


def test_files_appearing_and_disappearing(files):
    user, _, write = files
    r = Reloader()
    assert r.settings.microbreaks.interval_minutes == 20
    write(user, "[microbreaks]\ninterval_minutes = 35\n")
    assert r.check() is True and r.settings.microbreaks.interval_minutes == 35
    user.unlink()
    assert r.check() is True and r.settings.microbreaks.interval_minutes == 20


def test_team_file_named_in_the_user_file_is_watched(files):
    user, team, write = files
    write(team, "[microbreaks]\nsnooze_minutes = 9\n")
    r = Reloader()
    assert r.settings.microbreaks.snooze_minutes == 5
    write(user, f'team_config = "{team}"\n')
    assert r.check() is True and r.settings.microbreaks.snooze_minutes == 9
    write(team, "[microbreaks]\nsnooze_minutes = 11\n")
    assert r.check() is True and r.settings.microbreaks.snooze_minutes == 11


def test_same_size_rewrite_within_one_timestamp_tick_is_noticed(files):
    user, _, write = files
    user.write_text("[microbreaks]\ninterval_minutes = 30\n")  # modified just now
    r = Reloader()
    write(user, "[microbreaks]\ninterval_minutes = 40\n", same_stamp=True)
    assert r.check() is True
    assert r.settings.microbreaks.interval_minutes == 40


def test_warnings_are_reported_once(files, monkeypatch):
    user, team, write = files
    write(team, 'locked = ["tray"]\n')
    monkeypatch.setenv("MOBES_TEAM_CONFIG", str(team))
    write(user, "[tray]\nenabled = false\n")
    spy = Spy()
    r = Reloader(on_warning=spy.warning)
    assert len(spy.warnings) == 1 and "locks 'tray'" in spy.warnings[0]
    write(user, "[tray]\nenabled = false\n[microbreaks]\nsnooze_minutes = 4\n")
    assert r.check() is True
    assert len(spy.warnings) == 1


def test_command_line_overrides_stay_on_top(files):
    user, _, write = files
    write(user, "[microbreaks]\ninterval_minutes = 30\nsnooze_minutes = 3\n")
    r = Reloader({"microbreaks.interval_minutes": 10})
    write(user, "[microbreaks]\ninterval_minutes = 50\nsnooze_minutes = 4\n")
    assert r.check() is True
    assert r.settings.microbreaks.interval_minutes == 10
    assert r.settings.microbreaks.snooze_minutes == 4


def test_broken_files_at_start_raise(files):
    user, _, write = files
    write(user, "[microbreaks]\ninterval_minutes = 300\n")
    with pytest.raises(ConfigError):
        Reloader()
