"""The clues store holds ciphertext: a subject's name never appears in the SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from eventsourcing.cryptography import AESCipher
from eventsourcing.persistence import MapperDeserialisationError

from services.clues.application import CluesApplication, UnencryptedStoreError
from services.common.clock import ManualClock
from tests.unit.clues.conftest import START, as_staff, decide, register

DISTINCTIVE_NAME = "欧阳雪霁"
DISTINCTIVE_NOTE = "独特的研判备注七彩祥云"


def sqlite_env(path: Path, key: str | None) -> dict[str, str]:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    if key:
        env.update(CIPHER_TOPIC="eventsourcing.cryptography:AESCipher", CIPHER_KEY=key)
    return env


def store_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_sqlite_store_holds_no_plaintext_of_clue_content(tmp_path: Path) -> None:
    path = tmp_path / "clues.db"
    key = AESCipher.create_key(num_bytes=32)
    app = CluesApplication(env=sqlite_env(path, key), clock=ManualClock(START))
    clue_id = register(app, subject_name=DISTINCTIVE_NAME)
    with as_staff(app):
        app.note_assessment(clue_id, DISTINCTIVE_NOTE, "")
        app.read_clue(clue_id, "zhang.wei", "核对被反映人信息")
    del app

    raw = store_bytes(path)
    # The file is readable and holds the (plaintext) topics: the search below is meaningful.
    assert b"services.clues.domainmodel:Clue" in raw
    for secret in (DISTINCTIVE_NAME, DISTINCTIVE_NOTE, "环境影响评价司", "核对被反映人信息"):
        assert secret.encode("utf-8") not in raw
        assert secret.encode("unicode_escape") not in raw

    reopened = CluesApplication(env=sqlite_env(path, key), clock=ManualClock(START))
    assert reopened.load(clue_id).subject["name"] == DISTINCTIVE_NAME


def test_store_is_unreadable_with_another_key(tmp_path: Path) -> None:
    path = tmp_path / "clues.db"
    app = CluesApplication(env=sqlite_env(path, AESCipher.create_key(num_bytes=32)), clock=ManualClock(START))
    clue_id = register(app)
    other = CluesApplication(env=sqlite_env(path, AESCipher.create_key(num_bytes=32)), clock=ManualClock(START))
    with pytest.raises(MapperDeserialisationError):  # the AES-GCM ciphertext fails authentication
        next(iter(other.events.get(app.load(clue_id).id)))


def test_persistent_store_without_cipher_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnencryptedStoreError):
        CluesApplication(env=sqlite_env(tmp_path / "plain.db", None), clock=ManualClock(START))


def test_full_lifecycle_on_the_encrypted_store(tmp_path: Path) -> None:
    path = tmp_path / "clues.db"
    app = CluesApplication(env=sqlite_env(path, AESCipher.create_key(num_bytes=32)), clock=ManualClock(START))
    clue_id = register(app, subject_name=DISTINCTIVE_NAME)
    decide(app, clue_id, "close")
    envelopes, _ = app.integration_events(0, 100)
    assert [e.type for e in envelopes] == ["clues.ClueRegistered", "clues.ClueStatusChanged", "clues.ClueStatusChanged"]
    assert DISTINCTIVE_NAME.encode() not in store_bytes(path)
