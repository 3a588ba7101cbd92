"""The "groups" section: the groups you are in and what you opened to each.

What you shared is your own record, so it is in your backup; other members' people never
are (they are theirs). A restore joins no group — membership is an organiser's to give on
the server where you restore — but where you are already a member of the backup's group
(the same group's id), what you had opened to it is opened again.
"""

from __future__ import annotations

from typing import Any

from circleback.accounts.models import User
from circleback.groups.models import CONSENT, Membership, Opening
from circleback.interchange.records import Skipped
from circleback.people.models import Tag


def groups_export(owner: User) -> list[dict[str, Any]]:
    memberships = Membership.objects.filter(owner=owner).select_related("group").order_by("pk")
    openings: dict[int, list[dict[str, Any]]] = {}
    for row in (
        Opening.objects.filter(owner=owner)
        .order_by("pk")
        .values(
            "group_id",
            "kind",
            "person__uuid",
            "contact_list",
            "tag__name",
            "shows_title",
            "shows_closeness",
            "consent",
            "opened_at",
        )
    ):
        openings.setdefault(row["group_id"], []).append(
            {
                "kind": row["kind"],
                "person": str(row["person__uuid"]) if row["person__uuid"] else None,
                "list": row["contact_list"] or None,
                "tag": row["tag__name"],
                "shows_title": row["shows_title"],
                "shows_closeness": row["shows_closeness"],
                "consent": row["consent"],
                "opened_at": row["opened_at"],
            }
        )
    return [
        {
            "group": str(m.group.uuid),
            "name": m.group.name,
            "role": m.role,
            "joined_at": m.joined_at,
            "openings": openings.get(m.group_id, []),
        }
        for m in memberships
    ]


def groups_restore(
    owner: User, items: list[tuple[str, Any]], ids: dict[str, dict[str, int]], lost: list[Skipped]
) -> int:
    """Open again what the backup opened, in groups the owner is already in here."""
    restored = 0
    for where, item in items:
        if not isinstance(item, dict):
            lost.append(Skipped(where, "it is not a group record"))
            continue
        membership = (
            Membership.objects.filter(
                owner=owner, group__uuid=str(item.get("group", ""))[:36]
            ).first()
            if _is_uuid(item.get("group"))
            else None
        )
        if membership is None:
            lost.append(
                Skipped(
                    where,
                    f"you are not in “{str(item.get('name', ''))[:120]}” here; ask an organiser "
                    "to add you, then open your people again",
                    broken=False,
                )
            )
            continue
        for opening in item.get("openings") or []:
            if not isinstance(opening, dict):
                continue
            kind = opening.get("kind")
            fields: dict[str, Any] = {"person": None, "contact_list": "", "tag": None}
            if kind in ("person", "except"):
                pid = ids["people"].get(str(opening.get("person")))
                if pid is None:
                    continue
                del fields["person"]
                fields["person_id"] = pid
            elif kind == "list" and opening.get("list") in ("A", "B", "C"):
                fields["contact_list"] = opening["list"]
            elif kind == "tag" and isinstance(opening.get("tag"), str):
                tag = Tag.objects.filter(owner=owner, name__iexact=opening["tag"]).first()
                if tag is None:
                    continue
                fields["tag"] = tag
            else:
                continue
            _, created = Opening.objects.get_or_create(
                owner=owner,
                group=membership.group,
                kind=kind,
                **fields,
                defaults={
                    "consent": CONSENT,
                    "shows_title": bool(opening.get("shows_title", True)),
                    "shows_closeness": bool(opening.get("shows_closeness", True)),
                },
            )
            restored += int(created)
    return restored


def _is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
