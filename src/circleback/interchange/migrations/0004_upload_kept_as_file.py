"""An upload waiting for confirmation is kept as a file in the data folder, not as bytes in
the database: the bytes of uploads still waiting are written to their files, then dropped."""

import django.core.validators
from django.db import migrations, models


def bytes_to_files(apps, schema_editor):
    from circleback.interchange.upload_files import upload_keep

    ImportUpload = apps.get_model("interchange", "ImportUpload")
    waiting = ImportUpload.objects.using(schema_editor.connection.alias).exclude(status="imported")
    for upload in waiting.iterator(chunk_size=1):
        data = bytes(upload.data or b"")
        upload.size = upload_keep(upload.uuid, data) if data else 0
        upload.save(update_fields=["size"])


class Migration(migrations.Migration):
    dependencies = [
        ("interchange", "0001_squashed_0003_import_progress"),
    ]

    operations = [
        migrations.AddField(
            model_name="importupload",
            name="size",
            field=models.PositiveBigIntegerField(
                default=0, validators=[django.core.validators.MaxValueValidator(536870912)]
            ),
        ),
        migrations.RunPython(bytes_to_files, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(
            model_name="importupload",
            name="data",
        ),
    ]
