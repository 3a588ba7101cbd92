"""Index an owner's documents of one kind newest first.

The journal search on PostgreSQL reads the newest few hundred entries before it asks the
full-text index (see search.queries._pg_newest_entries); the old (owner, kind) index could
not give them in id order.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_fulltext_per_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["owner", "kind", "-id"], name="searchdoc_owner_kind_id"),
        ),
        migrations.RemoveIndex(model_name="searchdocument", name="searchdoc_owner_kind"),
    ]
