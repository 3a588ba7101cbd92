"""Reads for suggestions: who could connect whom, and who would value what you know."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, Q

from circleback.accounts.models import User
from circleback.paths.queries.paths import _first_name, check_limit
from circleback.people.models import Person, Tie

# --- connector suggestions ----------------------------------------------------------------

HIRING_TAGS = {"hiring", "recruiting", "recruiter", "hiring manager", "hiring-manager"}
LOOKING_TAGS = {
    "looking", "job seeker", "job-seeker", "jobseeker", "open to work", "open-to-work",
    "job hunting", "job-hunting", "between roles",
}  # fmt: skip
CONNECTOR_POOL = 2000  # your closest contacts considered
GROUP_CAP = 60  # people per shared tag or industry compared pairwise


@dataclass(frozen=True)
class ConnectorSuggestion:
    """Two of your contacts who don't know each other yet and could help each other."""

    a: Person
    b: Person
    score: float
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    def as_dict(self) -> dict[str, object]:
        return {
            "a": {"uuid": str(self.a.uuid), "name": self.a.full_name},
            "b": {"uuid": str(self.b.uuid), "name": self.b.full_name},
            "score": round(self.score, 2),
            "reason": self.reason,
        }


def _tags_by_person(person_ids: Sequence[int]) -> dict[int, set[str]]:
    through = Person.tags.through
    tags: dict[int, set[str]] = {}
    for person_id, name in through.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "tag__name"
    ):
        tags.setdefault(person_id, set()).add(name.lower())
    return tags


def connector_suggestions(*, owner: User, limit: int = 20) -> list[ConnectorSuggestion]:
    """Pairs of your contacts, not already tied, who share interests or an industry, or
    where one is hiring and the other looking — each with the reason."""
    check_limit(limit)
    pool = list(
        Person.objects.filter(owner=owner, contact_list__in=["A", "B"])
        .select_related("organisation")
        .order_by("-closeness", F("last_contact_at").desc(nulls_last=True), "pk")[:CONNECTOR_POOL]
    )
    by_pk = {p.pk: p for p in pool}
    tags = _tags_by_person(list(by_pk))
    groups: dict[str, list[int]] = {}
    for person in pool:
        for tag in tags.get(person.pk, ()):
            groups.setdefault(f"tag:{tag}", []).append(person.pk)
        if person.organisation and person.organisation.industry:
            groups.setdefault(f"industry:{person.organisation.industry.lower()}", []).append(
                person.pk
            )
    hiring = [p for p in by_pk if tags.get(p, set()) & HIRING_TAGS]
    looking = [p for p in by_pk if tags.get(p, set()) & LOOKING_TAGS]
    candidates: set[tuple[int, int]] = set()
    for members in groups.values():
        members = members[:GROUP_CAP]
        for i, x in enumerate(members):
            for y in members[i + 1 :]:
                candidates.add((min(x, y), max(x, y)))
    for x in hiring[:GROUP_CAP]:
        for y in looking[:GROUP_CAP]:
            if x != y:
                candidates.add((min(x, y), max(x, y)))
    if not candidates:
        return []
    involved = {x for pair in candidates for x in pair}
    tied = set(
        Tie.objects.filter(
            owner=owner, person_a_id__in=involved, person_b_id__in=involved
        ).values_list("person_a_id", "person_b_id")
    )
    suggestions = []
    for x, y in candidates - tied:
        a, b = by_pk[x], by_pk[y]
        if a.organisation_id and a.organisation_id == b.organisation_id:
            continue  # colleagues already know each other
        reasons: list[str] = []
        score = 0.0
        ta, tb = tags.get(x, set()), tags.get(y, set())
        if (ta & HIRING_TAGS and tb & LOOKING_TAGS) or (tb & HIRING_TAGS and ta & LOOKING_TAGS):
            hirer, seeker = (a, b) if ta & HIRING_TAGS and tb & LOOKING_TAGS else (b, a)
            reasons.append(f"{_first_name(hirer)} is hiring and {_first_name(seeker)} is looking")
            score += 4
        ia = a.organisation.industry.lower() if a.organisation else ""
        ib = b.organisation.industry.lower() if b.organisation else ""
        if ia and ia == ib:
            reasons.append(f"both work in {a.organisation.industry}")
            score += 2
        shared = sorted((ta & tb) - HIRING_TAGS - LOOKING_TAGS)
        if shared:
            reasons.append(f"both interested in {', '.join(shared[:4])}")
            score += 2 * len(shared)
        if not reasons:
            continue
        score += (a.closeness + b.closeness) / 10  # closer contacts are easier to introduce
        suggestions.append(ConnectorSuggestion(a, b, score, tuple(reasons)))
    suggestions.sort(key=lambda s: (-s.score, s.a.full_name, s.b.full_name))
    return suggestions[:limit]


# --- informer suggestions -----------------------------------------------------------------

_STOPWORDS = {
    "the", "and", "for", "with", "from", "that", "this", "your", "into", "about", "what",
    "how", "why", "when", "are", "was", "were", "will", "new", "our", "their", "https",
    "http", "www", "com", "org", "html", "index",
}  # fmt: skip
_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)


@dataclass(frozen=True)
class InformerSuggestion:
    """Someone likely to value an article or event you could pass on, and why."""

    person: Person
    score: float
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    def as_dict(self) -> dict[str, object]:
        return {
            "uuid": str(self.person.uuid),
            "name": self.person.full_name,
            "score": round(self.score, 2),
            "reason": self.reason,
        }


def _words(text: str) -> list[str]:
    return [w for w in (m.lower() for m in _WORD.findall(text)) if w not in _STOPWORDS]


def informer_suggestions(
    *,
    owner: User,
    title: str = "",
    topics: Sequence[str] = (),
    url: str = "",
    limit: int = 20,
) -> list[InformerSuggestion]:
    """The people most likely to value an article or event: ranked by matching tags
    (interests), organisation, industry, job title and your notes on them."""
    check_limit(limit)
    topic_list = [t.strip().lower() for t in topics if t.strip()][:20]
    if not (title.strip() or topic_list or url.strip()):
        raise ValidationError({"title": "Give a title, a topic or a URL to match people on."})
    words = list(dict.fromkeys([*topic_list, *_words(title), *_words(url)]))[:20]
    match = Q()
    for word in words:
        match |= (
            Q(tags__name__iexact=word)
            | Q(organisation__industry__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(title__icontains=word)
            | Q(notes__icontains=word)
        )
    candidates = list(
        Person.objects.filter(owner=owner)
        .filter(match)
        .select_related("organisation")
        .distinct()
        .order_by("-closeness", "pk")[:500]
    )
    tags = _tags_by_person([p.pk for p in candidates])
    title_lower = title.lower()
    ranked = []
    for person in candidates:
        reasons: list[str] = []
        score = 0.0
        mine = tags.get(person.pk, set())
        tag_hits = sorted(mine & set(words))
        if tag_hits:
            reasons.append(f"interested in {', '.join(tag_hits)}")
            score += 3 * len(tag_hits)
        org = person.organisation
        if org and org.name and org.name.lower() in title_lower:
            reasons.append(f"it mentions {org.name}, where they work")
            score += 3
        if org and org.industry and any(w in org.industry.lower() for w in words):
            reasons.append(f"works in {org.industry}")
            score += 2
        job = person.title.lower()
        title_hits = [w for w in words if w in job]
        if title_hits:
            reasons.append(f"their role ({person.title}) matches {', '.join(title_hits[:3])}")
            score += 1.5
        notes = person.notes.lower()
        note_hits = [w for w in words if w in notes]
        if note_hits:
            reasons.append(f"your notes mention {', '.join(note_hits[:3])}")
            score += 1.0 * len(note_hits[:3])
        if not reasons:
            continue
        score += person.closeness / 10 + (0.5 if person.contact_list in ("A", "B") else 0)
        ranked.append(InformerSuggestion(person, score, tuple(reasons)))
    ranked.sort(key=lambda s: (-s.score, s.person.full_name))
    return ranked[:limit]
