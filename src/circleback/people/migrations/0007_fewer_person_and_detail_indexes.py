"""Indexes that only cost writes: each foreign key whose column already leads a composite
index loses its own, and "who introduced this person" indexes only people someone introduced.

Every index of a table is written on every insert: 30,000 imported people paid for twelve
person indexes. The owner leads every person index; the organisation leads person_org_dm;
an email, phone or link's owner leads (owner, normalized) and its person the unique
(person, normalized). Most people have no introducer, so the index of the people someone
introduced (by name) no longer files them all under "nobody". The foreign keys' indexes are
dropped by name (Django gives them the same name on SQLite and PostgreSQL), so that SQLite
doesn't copy each table to change an index.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

# (model, field, Django's name for the field's index, column)
FOREIGN_KEY_INDEXES = [
    ("person", "owner", "people_person_owner_id_62c3e8e8", "owner_id"),
    ("person", "organisation", "people_person_organisation_id_276b0765", "organisation_id"),
    ("email", "owner", "people_email_owner_id_7d81e7fb", "owner_id"),
    ("email", "person", "people_email_person_id_42518e18", "person_id"),
    ("phone", "owner", "people_phone_owner_id_96209d3c", "owner_id"),
    ("phone", "person", "people_phone_person_id_5174185e", "person_id"),
    ("link", "owner", "people_link_owner_id_4ceb1730", "owner_id"),
    ("link", "person", "people_link_person_id_08b3677c", "person_id"),
]


def _field(model: str, name: str) -> models.ForeignKey:
    if name == "owner":
        return models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.CASCADE,
            related_name="+",
            to=settings.AUTH_USER_MODEL,
        )
    if name == "organisation":
        return models.ForeignKey(
            blank=True,
            db_index=False,
            null=True,
            on_delete=django.db.models.deletion.SET_NULL,
            related_name="people",
            to="people.organisation",
        )
    return models.ForeignKey(
        db_index=False,
        on_delete=django.db.models.deletion.CASCADE,
        related_name=f"{model}s",
        to="people.person",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_person_introduced_by_name_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="person", name="person_introduced_by_name"),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                models.F("introduced_by"),
                django.db.models.functions.text.Lower("full_name"),
                condition=models.Q(("introduced_by__isnull", False)),
                name="person_introduced_by_name",
            ),
        ),
        *(
            migrations.SeparateDatabaseAndState(
                state_operations=[
                    migrations.AlterField(model_name=model, name=name, field=_field(model, name)),
                ],
                database_operations=[
                    migrations.RunSQL(
                        f'DROP INDEX IF EXISTS "{index}"',
                        f'CREATE INDEX "{index}" ON "people_{model}" ("{column}")',
                    ),
                ],
            )
            for model, name, index, column in FOREIGN_KEY_INDEXES
        ),
    ]
