"""The people area's screens: people (with ties and merging) and organisations."""
