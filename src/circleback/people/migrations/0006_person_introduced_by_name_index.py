"""Index "who introduced this person" together with the name the list is sorted by.

The person page lists the people someone introduced you to, by name. With only the foreign
key's own index, SQLite (which has no statistics in a user's database) walked every person
of the owner in name order looking for the few introduced: 20-25 ms on 20,000 people. The
new index answers in well under a millisecond and replaces the foreign key's, dropped by
name so that SQLite doesn't copy the whole table to change an index.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

INTRODUCED_BY_INDEX = "people_person_introduced_by_id_95e4650b"  # Django's name for the FK index


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_person_list_and_closeness_by_recency"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                models.F("introduced_by"),
                django.db.models.functions.text.Lower("full_name"),
                name="person_introduced_by_name",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="introduced_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="introduced",
                        to="people.person",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INTRODUCED_BY_INDEX}"',
                    f'CREATE INDEX "{INTRODUCED_BY_INDEX}" ON "people_person" ("introduced_by_id")',
                ),
            ],
        ),
    ]
