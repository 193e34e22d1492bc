"""Credentials: random bearer tokens stored as hashes, passwords hashed with argon2id.

Tokens are ``secrets.token_urlsafe(32)`` (256 bits) behind a prefix naming the kind
(``acm_`` mediator, ``acd_`` delegation). They are stored as SHA-256 hashes: a fast
hash is right for high-entropy secrets (nothing to brute-force), unlike passwords,
which get argon2id (RFC 9106) with argon2-cffi's defaults.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

__all__ = [
    "DELEGATION",
    "MEDIATOR",
    "hash_password",
    "hash_token",
    "new_token",
    "token_kind",
    "verify_password",
]

MEDIATOR = "acm_"
DELEGATION = "acd_"
_SHAPE = re.compile(r"^(acm_|acd_)[A-Za-z0-9_-]{43}$")
_HASHER = PasswordHasher()


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_kind(token: str) -> str | None:
    """The prefix of a well-formed token, None for a malformed one."""
    match = _SHAPE.match(token)
    return match.group(1) if match else None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except VerificationError:
        return False
