"""The whole-account backup: every record and setting an account holds, out and back in.

An operation above the areas (DESIGN.md, layer 5). The people, organisations, ties and
journal travel through interchange's import and export, as every other file does; this
package adds everything else an account holds (meetings, loops, favours, introductions,
shares, permissions, goals, cadences, snoozes, the pitch, settings), reading and writing
each area's own models.
"""
