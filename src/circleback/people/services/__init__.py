"""Writes for the people area, one module per entity: people, organisations, tags, ties, and each
person's search document.
"""
