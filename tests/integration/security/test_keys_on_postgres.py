"""Keys only where used, in distributed mode on PostgreSQL: each process kind's service application gets only its
own keys, and each still does its work with them (the clues relay decodes the encrypted store it publishes, the
inspections service seals referrals with the public key alone)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from events import sealed
from paizhu.keys import Process, load_keys
from paizhu.services import build_app
from tests.conftest import distributed_env, settings_from
from tests.unit.clues.conftest import register


def test_each_process_kind_gets_only_its_keys_and_can_do_its_work(pg_database: str, tmp_path: Path) -> None:
    env = distributed_env(pg_database, "127.0.0.1:9", tmp_path)  # one env file with every secret: the worst case
    settings = settings_from(env)
    aes = json.loads(env["PAIZHU_CIPHER_KEYS"])["clues"]
    private = env["PAIZHU_CLUES_SEALING_PRIVATE_KEY"]
    opened = []
    try:
        clues = build_app(settings, load_keys(settings, Process("service", "clues")), "clues")
        opened.append(clues)
        assert clues.env["CIPHER_KEY"] == aes and clues.env["CLUES_SEALING_PRIVATE_KEY"] == private
        register(clues)
        published, _ = clues.integration_events(0, 100)
        assert published

        relay = build_app(settings, load_keys(settings, Process("relay", "clues")), "clues")
        opened.append(relay)
        assert relay.env["CIPHER_KEY"] == aes and "CLUES_SEALING_PRIVATE_KEY" not in relay.env
        relayed, _ = relay.integration_events(0, 100)
        assert [e.event_id for e in relayed] == [e.event_id for e in published]  # it must decode: it needs the key
        with pytest.raises(Exception, match="CIPHER"):  # without the key the clues store does not open at all
            build_app(settings, load_keys(settings, Process("relay", "ledgers")), "clues")

        for service in ("ledgers", "inspections", "units"):
            for kind in ("service", "relay"):
                app = build_app(settings, load_keys(settings, Process(kind, service)), service)  # type: ignore[arg-type]
                opened.append(app)
                assert "CIPHER_KEY" not in app.env and "CLUES_SEALING_PRIVATE_KEY" not in app.env
                assert aes not in app.env.values() and private not in app.env.values()
                if (kind, service) == ("service", "inspections"):
                    token = sealed.seal({"线索": "内容"}, app.env["CLUES_SEALING_PUBLIC_KEY"])
                    assert sealed.unseal(token, private) == {"线索": "内容"}  # only the clues service opens it
    finally:
        for app in opened:
            app.close()
