"""Alembic environment: migrations run on the connection the service hands over."""

from __future__ import annotations

from alembic import context

from accord.service.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
context.run_migrations()
