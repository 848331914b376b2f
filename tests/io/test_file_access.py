"""Every reader of a file checks its size before reading it, with the message it always had
(``exactpower.io.file_access.read_file_bytes``: one place for the check)."""

from __future__ import annotations

import re

import pytest

from exactpower import limits
from exactpower.errors import LimitError
from exactpower.io.file_access import read_file_bytes
from exactpower.io.formats import load_game_file
from exactpower.io.mdp_json import load_mdp
from exactpower.io.stochastic_json import load_stochastic
from exactpower.io.tree_json import load_tree
from exactpower.io.trees import read_tree

JSON_DOCUMENT = {load_tree: "t.json", load_stochastic: "s.json"}
OTHER_FILE = {read_tree: "t.efg", load_game_file: "g.nfg", load_mdp: "m.json"}


@pytest.mark.parametrize("read", list(JSON_DOCUMENT), ids=lambda f: f.__name__)
def test_a_json_document_over_the_limit_names_the_top_level(tmp_path, monkeypatch, read):
    path = tmp_path / JSON_DOCUMENT[read]
    path.write_bytes(b"x" * 11)
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10)
    with pytest.raises(LimitError) as info:
        read(path)
    assert str(info.value) == f"{path}: top level: 11 bytes, over MAX_FILE_BYTES = 10"


@pytest.mark.parametrize("read", list(OTHER_FILE), ids=lambda f: f.__name__)
def test_another_file_over_the_limit(tmp_path, monkeypatch, read):
    path = tmp_path / OTHER_FILE[read]
    path.write_bytes(b"x" * 11)
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10)
    with pytest.raises(LimitError, match=re.escape(f"{path}: 11 bytes, over the limit ")):
        read(path)


def test_a_file_at_the_limit_is_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "g.efg"
    path.write_bytes(b"y" * 10)
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10)
    data, source = read_file_bytes(path)
    assert (data, source) == (b"y" * 10, str(path)) and isinstance(source, str)
