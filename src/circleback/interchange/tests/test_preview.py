"""Issue 18: an import's preview (a dry run) is a read. It writes nothing and takes no write
lock, so the app stays usable while a big file is previewed, and it still reports exactly
what the import that follows does: the same code decides, only the writing is left out.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connections

from circleback.accounts.models import User
from circleback.interchange.services import ImportReport, import_file
from circleback.people.models import Person, Tag

HERE = Path(__file__).parent
FILES = sorted(
    [*(HERE / "corpus").glob("*.*"), *(HERE / "fixtures").glob("*.*")],
    key=lambda p: p.name,
)
FILES = [p for p in FILES if p.suffix in (".csv", ".vcf")]


def comparable(report: ImportReport) -> dict[str, Any]:
    """The report less what differs by nature: the time taken, and the ids of people a
    dry run only imagined."""
    data = report.as_json()
    del data["seconds"], data["dry_run"]
    data["possible_duplicates"] = [
        (pair["a"], pair["b"], pair["reason"]) for pair in data["possible_duplicates"]
    ]
    return data


def rows_of(owner: User) -> dict[str, int]:
    """How many rows every model holds (the owner's, where it has an owner)."""
    counts = {}
    for model in apps.get_models():
        fields = {f.name for f in model._meta.get_fields()}
        query = model._default_manager.all()
        if "owner" in fields:
            query = query.filter(owner=owner)
        counts[model._meta.label] = query.count()
    return counts


def preview_then_import(owner: User, data: bytes, **options: Any) -> ImportReport:
    before = rows_of(owner)
    preview = import_file(owner=owner, data=data, dry_run=True, skip_bad=True, **options)
    assert rows_of(owner) == before, "a preview writes nothing"
    real = import_file(owner=owner, data=data, skip_bad=True, **options)
    assert comparable(preview) == comparable(real)
    return real


def network(rows: int, organisations: int, seed: int = 3) -> bytes:
    """A Connections.csv of realistic shape (the bench's, smaller): a long tail of employers,
    one row in seven with an email, some people listed twice, a few not employed anywhere."""
    rng = random.Random(seed)
    employers = [f"Employer {n} Works" for n in range(organisations)]
    employers += ["Self-employed", "Freelance", "Retired"]
    weights = [1 / rank for rank in range(1, len(employers) + 1)]
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    for n in range(rows):
        given = rng.choice(["Ada", "Bart", "Chloé", "Dmitri", "Eun-ji", "Farah", "Gus"])
        family = rng.choice(["Quill", "Nguyen", "Okafor", "Varga", "Walsh"]) + str(n % 97)
        again = n > 10 and rng.random() < 0.02
        number = rng.randrange(n) if again else n  # the same profile, listed again
        email = f"p{number}@example.org" if rng.random() < 0.15 else ""
        company = rng.choices(employers, weights)[0] if rng.random() > 0.05 else ""
        lines.append(
            f"{given},{family},https://www.linkedin.com/in/p-{number},{email},{company},"
            f"Engineer,{rng.randrange(1, 28):02d} Mar 20{rng.randrange(12, 25)}"
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_preview_reports_what_the_import_then_does(alice: User, path: Path) -> None:
    data = path.read_bytes()
    # Into a network that already holds people, so some records merge.
    import_file(
        owner=alice, data=(HERE / "corpus/shape_linkedin_connections_2021.csv").read_bytes()
    )
    preview_then_import(alice, data, tags=["imported"])
    # And again: everything is already there.
    preview_then_import(alice, data, tags=["imported"])


def test_a_realistic_network_previews_as_it_imports(alice: User, make_person: Any) -> None:
    make_person(alice, "Ada Quill0", organisation="Employer 0 Works")
    half = network(1_200, 300)
    import_file(owner=alice, data=half)
    whole = network(2_400, 600)
    report = preview_then_import(alice, whole, contact_list="C", tags=["2024", "linkedin"])
    assert report.created and report.merged_within_file and report.organisations_created
    assert report.unchanged or report.merged


def test_a_preview_after_connections_links_messages_as_the_import_does(alice: User) -> None:
    corpus = HERE / "corpus"
    import_file(owner=alice, data=(corpus / "shape_linkedin_connections_2018.csv").read_bytes())
    import_file(owner=alice, data=(corpus / "shape_linkedin_connections_2021.csv").read_bytes())
    for name in ("shape_linkedin_messages_2022.csv", "shape_linkedin_invitations.csv"):
        report = preview_then_import(alice, (corpus / name).read_bytes())
        assert report.interactions_created == 2


@pytest.mark.django_db(transaction=True)
def test_others_save_while_a_preview_runs(alice: User) -> None:
    """GIVEN a big file being previewed WHEN another connection saves meanwhile (another
    request, another user) THEN the save goes through at once: the preview holds no write
    lock (on SQLite a rolled-back trial import held it to the end, failing such saves)."""
    saved: list[str] = []

    def save_elsewhere() -> None:
        try:
            Tag.objects.create(owner=alice, name=f"saved meanwhile {len(saved)}")
            saved.append("ok")
        except Exception as exc:  # reported below, whatever the database said
            saved.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "people" and done and len(saved) < 2:
            other = threading.Thread(target=save_elsewhere)
            other.start()
            other.join(timeout=30)

    report = import_file(owner=alice, data=network(12_000, 1_500), dry_run=True, progress=progress)
    assert report.created > 11_000 and saved == ["ok", "ok"]
    assert Tag.objects.filter(owner=alice).count() == 2  # theirs; the preview wrote none
    assert not Person.objects.filter(owner=alice).exists()
