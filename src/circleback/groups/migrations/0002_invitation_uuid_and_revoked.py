"""Invitations get a public id (to list and revoke them) and a revoked time.

The uuid column is added empty, filled row by row (a callable default would give every
existing row the same value), then made unique and required."""

import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    Invitation = apps.get_model("groups", "Invitation")
    for invitation in Invitation.objects.filter(uuid__isnull=True).only("pk"):
        invitation.uuid = uuid.uuid4()
        invitation.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invitation",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(fields=["group", "created_at"], name="invitation_group"),
        ),
    ]
