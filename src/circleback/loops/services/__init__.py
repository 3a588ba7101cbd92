"""Writes for the loops area, one module per entity: meetings, leads, loop steps, favours,
introductions, shares, permissions and drafts.
"""
