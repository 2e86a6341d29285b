"""Which database a query goes to when a streaming read replica is configured (DATABASE_REPLICA_URL).

Installed by settings only when there is a replica. Every write goes to the primary ("default").
A read goes to the replica only while a request of a read-only page is being answered
(ReplicaReadsMiddleware in musrenbang/middleware.py decides which) and only outside a
transaction: a read inside `atomic()` belongs with the writes around it, and the replica would
not see them. docs/deploy.md says which pages read from the replica and what its lag means.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# Rows the replica's lag must never hide, whatever the page: a session written by the login a
# moment ago (the next page would log the officer out), the account behind it (a role taken away
# must take effect at once), the cache's own rows and the task queue (both written and read back
# within seconds), and content types, which the others depend on.
PRIMARY_ONLY_APPS = frozenset({"sessions", "accounts", "auth", "contenttypes", "django_cache", "django_tasks_db"})

# A context variable, not a module global: each request (thread, or task under ASGI) has its own.
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Inside this block, reads that may lag go to the replica (see ReplicaRouter)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        if (
            _reading_from_replica.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the same rows as the primary: a proposal read from one and its forum
        # from the other are the same objects.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # A streaming replica is read-only and receives the schema from the primary's WAL.
        return db == DEFAULT_DB_ALIAS
