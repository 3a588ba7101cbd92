"""The owner leads searchdoc_owner_kind_id, so its own index only cost writes (every person
an import adds writes a search document). Dropped by name, so SQLite doesn't copy the table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OWNER_INDEX = "search_searchdocument_owner_id_6477e3cb"  # Django's name for the FK index


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_owner_kind_newest_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="searchdocument",
                    name="owner",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{OWNER_INDEX}"',
                    f'CREATE INDEX "{OWNER_INDEX}" ON "search_searchdocument" ("owner_id")',
                ),
            ],
        ),
    ]
