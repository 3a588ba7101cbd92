"""/api/v1 meetings, leads, loops, thank-yous, favours, standing offers, introductions, shares,
name permissions and outreach drafts — through the loops services and queries the loops pages
and `circleback meeting` / `lead` / `loop` / `favour` … use. No rule is written here.

One module per entity; this router mounts them all."""

from ninja import Router

from circleback.loops.api import favours, introductions, leads, meetings, settings, sharing

router = Router()
for module in (meetings, leads, favours, introductions, sharing, settings):
    router.add_router("", module.router)
