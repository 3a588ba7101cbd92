"""The loops area's screens, one module per entity."""
