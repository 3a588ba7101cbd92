# The list and closeness indexes carry last contact too, so the agenda walks a list's or the
# inner circle's longest-silent people in order, and the health check counts ties in touch
# from the index alone.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_person_updated_index_fewer_tie_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="person", name="person_owner_list"),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["owner", "contact_list", "last_contact_at"], name="person_owner_list_last"
            ),
        ),
        migrations.RemoveIndex(model_name="person", name="person_owner_closeness"),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["owner", "closeness", "last_contact_at"], name="person_owner_close_last"
            ),
        ),
    ]
