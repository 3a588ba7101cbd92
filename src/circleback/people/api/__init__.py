"""/api/v1 people, organisations, ties, tags, photos, bulk actions and merging — through the
people services and queries the people pages and `circleback person` / `people` use. No rule
is written here.

One module per entity; this router mounts them all."""

from ninja import Router

from circleback.people.api import bulk, new_roles, organisations, people, photos

router = Router()
# bulk first: /people/bulk must not be read as /people/{id}.
for module in (bulk, people, organisations, photos, new_roles):
    router.add_router("", module.router)
