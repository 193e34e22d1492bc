"""Encryption at rest: a dump of the database alone reveals no private number or label."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from servicekit import NORTH_PRIVATE, Service
from sqlalchemy import inspect, text

from accord.errors import AccordError
from accord.service.vault import KEY_ENV, Vault, load_or_create_key

SECRETS = [
    "0.4123",
    "0.6789",
    "0.2468",
    "North's secret fallback",
    "North's secret red line",
    "0.5926",
    "Mediator's guess",
]


def _text(value: object) -> str:
    if isinstance(value, memoryview):
        value = bytes(value)
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _dump(service: Service) -> str:
    """Every row of every table, as text (what a database dump holds)."""
    lines = []
    with service.database.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                lines.append(" ".join(_text(value) for value in row))
    return "\n".join(lines)


def test_private_payloads_are_ciphertext_in_the_database(service: Service) -> None:
    case = service.open_case()
    north = service.invite(case, "north")
    service.call("PUT", f"/api/cases/{case}/parties/north/preferences", north, json=NORTH_PRIVATE)
    service.call("POST", f"/api/cases/{case}/drafts", service.mediator, json={"suggest": True})
    assert service.call("GET", f"/api/cases/{case}/analysis", north).status_code == 200
    dump = _dump(service)
    assert "preferences submitted" in dump  # the public record is there
    assert north not in dump  # tokens: hashes only
    assert service.mediator not in dump
    for secret in SECRETS:
        assert secret not in dump
    if service.url.startswith("sqlite"):
        path = Path(service.url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        for secret in SECRETS:
            assert secret.encode() not in raw


def test_the_key_file_is_created_once_private_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    key_file = tmp_path / "service.key"
    key, said = load_or_create_key(key_file)
    assert said is not None
    assert str(key_file) in said
    assert key_file.stat().st_mode & 0o077 == 0
    assert load_or_create_key(key_file) == (key, None)
    monkeypatch.setenv(KEY_ENV, Fernet.generate_key().decode())
    assert load_or_create_key(key_file)[0] != key


def test_a_wrong_key_cannot_open_a_payload() -> None:
    sealed = Vault(Fernet.generate_key()).seal({"value": 0.4123})
    with pytest.raises(AccordError, match="cannot be decrypted"):
        Vault(Fernet.generate_key()).open(sealed)
    with pytest.raises(AccordError, match="not a valid Fernet key"):
        Vault(b"short")
