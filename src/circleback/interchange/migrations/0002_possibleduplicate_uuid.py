import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("interchange", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="possibleduplicate",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
