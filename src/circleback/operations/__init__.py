"""Work that spans areas, one place each, above the areas it touches: merging people, erasing a
person or an account, the full backup and its restore, and the meeting prep brief (a read of
five areas). Each uses the areas' own services and queries; no area imports these.
"""
