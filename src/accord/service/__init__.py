"""The neutral site: a confidential mediation service over the public accord API.

Delegations keep their preferences private; the service stores them encrypted and
computes with them (the neutral analysis, single-text drafts), as Smartsettle's
"secure neutral site" and Inspire do. It is an adapter like the CLI: no analysis code
lives here. Modules:

* :mod:`~accord.service.models` and ``migrations/``: one schema for SQLite and PostgreSQL;
* :mod:`~accord.service.database`: engines, transactions, migrations on start;
* :mod:`~accord.service.tokens` and :mod:`~accord.service.auth`: credentials;
* :mod:`~accord.service.access`: the one place that decides what a role may read;
* :mod:`~accord.service.audit_chain`: the hash-chained, append-only audit log;
* :mod:`~accord.service.app`: the FastAPI application.

Nothing here is imported by ``import accord``: only ``accord serve`` and its siblings
load the web stack.
"""
