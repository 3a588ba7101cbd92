"""Imports every command module so that each registers its commands on the app."""

from circleback.cli import serve  # noqa: F401
