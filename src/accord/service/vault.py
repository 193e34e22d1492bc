"""Private payloads encrypted at rest with a key held outside the database.

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) authenticates as well as
encrypts, so a tampered ciphertext is refused rather than decrypted to garbage. The key
comes from the ``ACCORD_SERVICE_KEY`` environment variable or a key file; ``accord
serve`` creates the file (mode 0600) on first start and says where. A database dump or
backup without the key reveals no private number.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from accord.errors import AccordError

__all__ = ["KEY_ENV", "Vault", "load_or_create_key"]

KEY_ENV = "ACCORD_SERVICE_KEY"


class Vault:
    """Encrypts and decrypts JSON payloads with one Fernet key."""

    def __init__(self, key: bytes) -> None:
        try:
            self._fernet = Fernet(key)
        except (ValueError, TypeError):
            raise AccordError(
                "the service key is not a valid Fernet key (32 url-safe base64 bytes)"
            ) from None

    def seal(self, value: Any) -> bytes:
        return self._fernet.encrypt(json.dumps(value, separators=(",", ":")).encode())

    def open(self, token: bytes) -> Any:
        try:
            return json.loads(self._fernet.decrypt(token))
        except InvalidToken:
            raise AccordError(
                "a private payload cannot be decrypted: is this the database's key?"
            ) from None


def load_or_create_key(key_file: Path) -> tuple[bytes, str | None]:
    """The key from ``ACCORD_SERVICE_KEY``, else from ``key_file`` (created when absent).

    Returns the key and, when the file was just created, a sentence saying where.
    """
    from_env = os.environ.get(KEY_ENV)
    if from_env:
        return from_env.strip().encode(), None
    try:
        return key_file.read_bytes().strip(), None
    except FileNotFoundError:
        pass
    except OSError as error:
        raise AccordError(f"{key_file}: cannot read the key file: {error.strerror}") from None
    key = Fernet.generate_key()
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return key_file.read_bytes().strip(), None
    except OSError as error:
        raise AccordError(f"{key_file}: cannot create the key file: {error.strerror}") from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    return key, (
        f"created the encryption key {key_file.resolve()} (keep it safe and out of "
        f"database backups; without it private preferences cannot be read)"
    )
