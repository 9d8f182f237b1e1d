"""The parsed-TOML cache: same documents as tomllib, no parser import on a hit, and never a
reason for loading to fail."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mobes.adapters import tomlcache, tomlcompat
from mobes.adapters.tomlcache import cache_file, load_toml

ROOT = Path(__file__).resolve().parents[2]
OLD = 1_000_000_000_000_000_000  # an mtime far in the past (ns): safe to cache

DOC = """
title = "x"
when = 2026-11-20
at = 07:32:00
local = 1979-05-27T07:32:00
stamp = 1979-05-27T07:32:00-08:00
utc = 1979-05-27T07:32:00Z
nums = [1, 2.5, inf, -inf]
[[rows]]
day = 2026-01-02
nested = { t = 12:00:00.5 }
"""


@pytest.fixture(autouse=True)
def fresh_memo():
    tomlcache.clear_memo()
    yield
    tomlcache.clear_memo()


def old_file(path: Path, text: str) -> Path:
    path.write_text(text)
    os.utime(path, ns=(OLD, OLD))
    return path


def test_cached_documents_equal_parsed_ones(tmp_path):
    path = old_file(tmp_path / "a.toml", DOC)
    first = load_toml(str(path))
    assert first == tomlcompat.loads(DOC)
    assert os.path.exists(cache_file())
    tomlcache.clear_memo()
    second = load_toml(str(path))
    assert second == first
    assert type(second["stamp"].tzinfo) is type(first["stamp"].tzinfo)
    second["rows"].append(1)  # callers get their own copy
    assert load_toml(str(path)) == first


def test_a_hit_does_not_import_the_parser(tmp_path):
    path = old_file(tmp_path / "a.toml", DOC)
    load_toml(str(path))
    code = (f"import sys; from mobes.adapters.tomlcache import load_toml; "
            f"d = load_toml({str(path)!r});"
            "print(d['title'], any(m in sys.modules for m in ('tomllib', 'tomli')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True).stdout
    assert out.split() == ["x", "False"]


def test_mobes_now_does_not_import_the_parser_once_cached(cli_process):
    # a fresh process fills the cache (catalog and defaults); this one has them in memory
    assert cli_process("now").returncode == 0
    code = ("import sys; from mobes.cli import main; main(['now']); "
            "print(any(m in sys.modules for m in ('tomllib', 'tomli')), file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.stderr.strip().splitlines()[-1] == "False"


def test_a_changed_file_is_parsed_again(tmp_path):
    path = old_file(tmp_path / "a.toml", "v = 1\n")
    assert load_toml(str(path)) == {"v": 1}
    path.write_text("v = 2\n")
    os.utime(path, ns=(OLD + 1, OLD + 1))
    assert load_toml(str(path)) == {"v": 2}


def test_a_file_written_just_now_is_not_cached(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text("v = 1\n")
    assert load_toml(str(path)) == {"v": 1}
    stamp = os.stat(path).st_mtime_ns
    path.write_text("v = 2\n")  # same size, maybe the same timestamp tick
    os.utime(path, ns=(stamp, stamp))
    assert load_toml(str(path)) == {"v": 2}


def test_corrupt_cache_is_ignored(tmp_path):
    path = old_file(tmp_path / "a.toml", "v = 1\n")
    load_toml(str(path))
    for junk in (b"", b"\x00garbage", b"\xe3" * 50):
        Path(cache_file()).write_bytes(junk)
        tomlcache.clear_memo()
        assert load_toml(str(path)) == {"v": 1}


def test_unwritable_cache_location_is_ignored(tmp_path, mobes_home):
    (mobes_home / "state").write_text("a file where the folder should be")
    path = old_file(tmp_path / "a.toml", "v = 1\n")
    assert load_toml(str(path)) == {"v": 1}
    assert load_toml(str(path)) == {"v": 1}


def test_errors_pass_through(tmp_path):
    bad = old_file(tmp_path / "bad.toml", "v = = 1\n")
    with pytest.raises(tomlcompat.TOMLDecodeError):
        load_toml(str(bad))
    with pytest.raises(FileNotFoundError):
        load_toml(str(tmp_path / "missing.toml"))
