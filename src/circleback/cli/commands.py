"""Imports every command module so that each registers its commands on the app.

The order here is the order of the panels in `circleback --help`: getting started first,
then the everyday work, then moving data in and out.
"""

from circleback.cli import accounts  # noqa: F401, I001
from circleback.cli import serve  # noqa: F401
from circleback.cli import demo  # noqa: F401
from circleback.cli import people  # noqa: F401
from circleback.cli import orgs  # noqa: F401
from circleback.cli import search  # noqa: F401
from circleback.cli import journal  # noqa: F401
from circleback.cli import meetings  # noqa: F401
from circleback.cli import loops  # noqa: F401
from circleback.cli import favours  # noqa: F401
from circleback.cli import introductions  # noqa: F401
from circleback.cli import shares  # noqa: F401
from circleback.cli import permissions  # noqa: F401
from circleback.cli import insights  # noqa: F401
from circleback.cli import paths  # noqa: F401
from circleback.cli import groups  # noqa: F401
from circleback.cli import jobs  # noqa: F401
from circleback.cli import interchange  # noqa: F401
from circleback.cli import reminders  # noqa: F401
from circleback.cli import ops  # noqa: F401
from circleback.cli import tokens  # noqa: F401
