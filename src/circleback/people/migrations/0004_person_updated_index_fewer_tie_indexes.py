"""Index each person's newest edit (the paths version stamp reads it before every search) and
drop two tie indexes that only cost writes: `tie_person_b` repeated the foreign key's own
index, and person_a's foreign-key index is served by the unique (person_a, person_b) pair.

person_a's index is dropped by name rather than through AlterField, which on SQLite would
copy the whole tie table to change nothing but an index.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PERSON_A_INDEX = "people_tie_person_a_id_a42e70e9"  # Django's name for the FK index


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_person_cadence_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="tie", name="tie_person_b"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="tie",
                    name="person_a",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.person",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{PERSON_A_INDEX}"',
                    f'CREATE INDEX "{PERSON_A_INDEX}" ON "people_tie" ("person_a_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["owner", "updated_at"], name="person_owner_updated"),
        ),
    ]
