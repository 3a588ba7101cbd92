"""Circleback: a networking journal and relationship manager."""

__version__ = "0.1.0"
