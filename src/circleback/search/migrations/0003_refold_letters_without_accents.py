"""Re-fold stored search text now that ø, ł, æ, ð … fold to plain letters (see text.fold).

Documents hold folded words already, so folding them again gives exactly what indexing the
source rows would, without reading people or journal entries.
"""

from django.db import migrations

from circleback.text import words

_LETTERS = "øłđðþæœ\u0131ħŧ"


def refold(apps, schema_editor):
    document = apps.get_model("search", "SearchDocument")
    changed = []
    for row in document.objects.only("pk", "title", "body").iterator(chunk_size=2000):
        if any(ch in row.title or ch in row.body for ch in _LETTERS):
            row.title = " ".join(words(row.title))
            row.body = " ".join(words(row.body))
            changed.append(row)
        if len(changed) >= 1000:
            document.objects.bulk_update(changed, ["title", "body"])
            changed = []
    if changed:
        document.objects.bulk_update(changed, ["title", "body"])


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_index")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
