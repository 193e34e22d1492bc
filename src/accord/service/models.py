"""The database schema (SQLAlchemy 2 declarative), the same on SQLite and PostgreSQL.

Private payloads (preference versions, the mediator's estimates, the computed analysis,
response criticism) are stored as Fernet ciphertext (:mod:`accord.service.secrets`);
everything else is the public record of a case. Alembic migrations in ``migrations/``
create and evolve these tables; :func:`accord.service.database.migrate` applies them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AuditEntry",
    "Base",
    "Case",
    "Computed",
    "Disclosure",
    "Draft",
    "Invitation",
    "Mediator",
    "PreferenceVersion",
    "Response",
]

_CASCADE = "CASCADE"


class Base(DeclarativeBase):
    pass


class Mediator(Base):
    __tablename__ = "mediators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediators.id"))
    title: Mapped[str] = mapped_column(String(500))
    scenario: Mapped[str] = mapped_column(Text)
    """The public structure as JSON: the scenario without any party's preferences."""
    estimates: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The mediator's own estimates (the file's preferences), encrypted."""
    status: Mapped[str] = mapped_column(String(20), default="open")
    agreement: Mapped[int | None] = mapped_column(Integer)
    inputs_version: Mapped[int] = mapped_column(Integer, default=0)
    """Bumped by every submission and draft: the analysis is computed once per value."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete=_CASCADE), index=True)
    party: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PreferenceVersion(Base):
    __tablename__ = "preference_versions"
    __table_args__ = (UniqueConstraint("case_id", "party", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete=_CASCADE), index=True)
    party: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Disclosure(Base):
    __tablename__ = "disclosures"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete=_CASCADE), primary_key=True
    )
    party: Mapped[str] = mapped_column(String(200), primary_key=True)
    level: Mapped[str] = mapped_column(String(20))


class Draft(Base):
    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete=_CASCADE), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    """The draft as framework JSON (title and points): public to the case."""
    suggested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("case_id", "draft", "party"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete=_CASCADE), index=True)
    draft: Mapped[int] = mapped_column(Integer)
    party: Mapped[str] = mapped_column(String(200))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    """``{accept, criticism}``, encrypted: secret until every principal has answered."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Computed(Base):
    __tablename__ = "computed"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete=_CASCADE), primary_key=True
    )
    inputs_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    """The neutral analysis and draft evaluations on the private data, encrypted."""


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete=_CASCADE), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(250))
    action: Mapped[str] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
