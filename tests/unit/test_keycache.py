"""The room-key cache: a restart never pays scrypt again, and nothing else ever reuses an entry."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from zp2p_gui import keycache
from zp2p_gui.core import crypto
from zp2p_gui.core.config import Config

CHEAP = 2**10


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Cheap stand-in for the slow derivation, recording each call."""
    calls: list[tuple[str, str]] = []

    def derive(passphrase: str, room: str) -> crypto.RoomKeys:
        calls.append((passphrase, room))
        return crypto.derive_room_keys(passphrase, room, n=CHEAP)

    monkeypatch.setattr(crypto, "room_keys", derive)
    monkeypatch.setattr(crypto, "prefetch", derive)
    return calls


def test_derived_once_then_read_back(tmp_path: Path, derivations: list) -> None:
    first = keycache.room_keys("pass one", "lobby", tmp_path)
    assert keycache.room_keys("pass one", "lobby", tmp_path) == first
    assert derivations == [("pass one", "lobby")]


def test_another_passphrase_or_room_never_reuses_an_entry(tmp_path: Path, derivations: list) -> None:
    keycache.room_keys("pass one", "lobby", tmp_path)
    other_pass = keycache.room_keys("pass two", "lobby", tmp_path)
    other_room = keycache.room_keys("pass one", "other", tmp_path)
    assert len(derivations) == 3
    assert other_pass.room_id != other_room.room_id


def test_keys_of_another_derivation_cost_are_not_reused(tmp_path: Path, derivations: list,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    keycache.room_keys("pass", "lobby", tmp_path)
    monkeypatch.setattr(crypto, "KDF_N", crypto.KDF_N * 2)
    keycache.room_keys("pass", "lobby", tmp_path)
    assert len(derivations) == 2


def test_the_file_is_private_and_holds_no_passphrase(tmp_path: Path, derivations: list) -> None:
    folder = tmp_path / "data"
    keycache.room_keys("hunter2 hunter2", "lobby", folder)
    path = folder / keycache.ROOM_KEYS_FILE
    assert "hunter2" not in path.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_damaged_file_or_entry_is_derived_again(tmp_path: Path, derivations: list) -> None:
    path = tmp_path / keycache.ROOM_KEYS_FILE
    path.write_text("{not json", encoding="utf-8")
    keys = keycache.room_keys("pass", "lobby", tmp_path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    for entry in raw["entries"].values():
        entry["server_secret"] = "short"
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert keycache.room_keys("pass", "lobby", tmp_path) == keys
    assert len(derivations) == 2


def test_the_cache_is_bounded(tmp_path: Path, derivations: list) -> None:
    for i in range(keycache.MAX_ROOMS + 5):
        keycache.room_keys("pass", f"room{i}", tmp_path)
    assert len(keycache.RoomKeyCache(tmp_path).entries) == keycache.MAX_ROOMS


def test_prefetch_skips_keys_already_kept(tmp_path: Path, derivations: list) -> None:
    config = Config(nick="a", passphrase="pass", room="lobby", data_dir=tmp_path)
    keycache.prefetch_room_keys(config)
    assert len(derivations) == 1
    keycache.room_keys("pass", "lobby", tmp_path)
    derivations.clear()
    keycache.prefetch_room_keys(config)
    assert derivations == []
