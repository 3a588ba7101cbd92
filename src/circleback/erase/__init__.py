"""Erasing: a person, or a whole account, and everything that identifies them.

An operation that spans every area, so it lives above them (DESIGN.md, layer 5) and uses each
area's own models and services; no area imports it.
"""
