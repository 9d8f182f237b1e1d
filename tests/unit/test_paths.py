import os

import pytest

from mobes.adapters import paths


def test_write_atomic_replaces_in_one_step(tmp_path):
    target = tmp_path / "sub" / "f.txt"
    paths.write_atomic(str(target), "one")
    paths.write_atomic(str(target), b"two")
    assert target.read_text() == "two"
    assert os.listdir(target.parent) == ["f.txt"]  # no temporary file left behind


def test_write_atomic_failure_keeps_the_old_file(tmp_path):
    (tmp_path / "d").mkdir()
    target = tmp_path / "d" / "f.txt"
    target.write_text("old")

    with pytest.raises(TypeError):
        paths.write_atomic(str(target), 12345)  # not text or bytes: the write fails
    assert target.read_text() == "old"
    assert os.listdir(target.parent) == ["f.txt"]


def test_mobes_home_moves_every_file(mobes_home):
    for p in (paths.config_dir(), paths.data_dir(), paths.state_dir(), paths.history_file(),
              paths.user_config_file()):
        assert p.startswith(str(mobes_home))
