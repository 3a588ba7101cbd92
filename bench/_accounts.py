"""Throwaway accounts for bench modules, and their removal in bulk.

A module that makes an account with a big network of its own (the paths graph, a 30,000-row
import) removes it afterwards, or the shared bench database grows with every run and later
runs measure a different database. Deleting through the ORM would cascade row by row for
minutes; this deletes each table's rows of the account with one statement.
"""

from __future__ import annotations

from typing import Any


def drop_account(owner: Any) -> None:
    """Delete the account and every row that belongs to it, a statement a table."""
    from django.apps import apps
    from django.db import connection, transaction

    from circleback.accounts.models import User
    from circleback.people.models import Person

    quote = connection.ops.quote_name
    people = f"SELECT id FROM {quote(Person._meta.db_table)} WHERE owner_id = %s"
    # Rows found through the account's other rows go first, while those rows still exist.
    through_rows: list[str] = []
    owned_rows: list[str] = []
    for model in apps.get_models():
        if not model.__module__.startswith("circleback."):
            continue
        table = quote(model._meta.db_table)
        if any(field.name == "owner" for field in model._meta.fields):
            owned_rows.append(f"DELETE FROM {table} WHERE owner_id = %s")
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through._meta
                if through.auto_created:
                    through_rows.append(
                        f"DELETE FROM {quote(through.db_table)} "
                        f"WHERE {quote(m2m.m2m_column_name())} IN "
                        f"(SELECT id FROM {table} WHERE owner_id = %s)"
                    )
            continue
        for field in model._meta.fields:
            target = field.remote_field.model if field.is_relation else None
            if target is Person:
                through_rows.append(
                    f"DELETE FROM {table} WHERE {quote(field.column)} IN ({people})"
                )
            elif target is User:
                owned_rows.append(f"DELETE FROM {table} WHERE {quote(field.column)} = %s")
    # Foreign keys are deferred to commit, so the order among owned tables doesn't matter.
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in [*through_rows, *owned_rows]:
            cursor.execute(sql, [owner.pk])
    User.objects.filter(pk=owner.pk).delete()
    if connection.vendor == "postgresql":
        # Autovacuum would clear the deleted rows soon after; measured at once, the next
        # module (or the next step of this one) would wade through them, or race the
        # autovacuum that starts meanwhile.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
