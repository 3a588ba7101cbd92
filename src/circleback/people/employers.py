"""Which organisation names name no employer: "Self-employed", "Freelance", "Retired",
"Stealth startup", "Confidential", "None" and the like, as people write them in the company
field of LinkedIn, Google and Outlook exports and vCards (in several languages).

An import that made an organisation of each would give a network an "organisation" of every
freelancer it holds, offered as a target, with "similar names at the same organisation" pairing
strangers. Such a name is kept as the person's title instead (see `employment_title`).
"""

from __future__ import annotations

import re

from circleback.text import normalize_org_name, words

_CAPITALISED = re.compile(r"\b[^\W\d_][^\W\d_A-Z]+\b")

# Whole names (as normalize_org_name gives them: folded words, legal suffixes such as
# "company" dropped) that say how someone works rather than where.
_NOT_EMPLOYERS = frozenset(
    [
        # working for oneself
        "self",
        "myself",
        "self employed",
        "self employment",
        "self emplyed",
        "selfemployed",
        "freelance",
        "freelancer",
        "freelancing",
        "independent",
        "independant",
        "independent contractor",
        "independent consultant",
        "independent professional",
        "sole trader",
        "sole proprietor",
        "own business",
        "my own business",
        "business owner",
        "entrepreneur",
        # German
        "selbststandig",
        "selbstandig",
        "selbstaendig",
        "selbststaendig",
        "selbststandigkeit",
        "selbstandigkeit",
        "freiberuflich",
        "freiberufler",
        "freiberuflerin",
        # French
        "auto entrepreneur",
        "autoentrepreneur",
        "micro entrepreneur",
        "independante",
        "travailleur independant",
        "consultant independant",
        "consultante independante",
        "profession liberale",
        # Spanish, Portuguese, Italian
        "autonomo",
        "autonoma",
        "independiente",
        "trabajador independiente",
        "profesional independiente",
        "cuenta propia",
        "por cuenta propia",
        "profissional liberal",
        "libero professionista",
        "lavoratore autonomo",
        # Dutch, Scandinavian, Polish
        "zelfstandig",
        "zelfstandige",
        "zzp",
        "zzp er",
        "zzper",
        "eigen bedrijf",
        "egen foretagare",
        "frilans",
        "frilanser",
        "samozatrudniony",
        "wlasna dzialalnosc",
        # not working, or not yet
        "retired",
        "semi retired",
        "ruhestand",
        "im ruhestand",
        "rentner",
        "rentnerin",
        "pensioniert",
        "retraite",
        "retraitee",
        "jubilado",
        "jubilada",
        "aposentado",
        "aposentada",
        "pensionato",
        "pensionata",
        "in pensione",
        "gepensioneerd",
        "pensionar",
        "emeryt",
        "unemployed",
        "currently unemployed",
        "not employed",
        "between jobs",
        "between roles",
        "open to work",
        "looking for work",
        "looking for opportunities",
        "seeking opportunities",
        "seeking new opportunities",
        "job seeker",
        "job seeking",
        "career break",
        "sabbatical",
        "homemaker",
        "arbeitssuchend",
        "arbeitsuchend",
        "sans emploi",
        "desempleado",
        "desempleada",
        "desempregado",
        "desempregada",
        "disoccupato",
        "disoccupata",
        "werkzoekend",
        # a company not named
        "stealth",
        "stealth mode",
        "stealth startup",
        "stealth start up",
        "stealth mode startup",
        "in stealth",
        "confidential",
        "undisclosed",
        "private",
        "privat",
        "confidentiel",
        "confidencial",
        "riservato",
        "various",
    ]
)
# Names that say nothing at all: no organisation, and nothing to keep in the title either.
_NOTHING = frozenset(
    [
        "none",
        "no",
        "n a",
        "na",
        "nil",
        "null",
        "keine",
        "aucun",
        "aucune",
        "ninguna",
        "ninguno",
        "nenhuma",
        "nessuna",
    ]
)


def is_employer(name: str) -> bool:
    """False for a name that says how someone works ("Self-employed", "Freelance",
    "Retired", "Stealth Startup", "Selbstständig", "N/A", "-") rather than where."""
    return is_employer_key(normalize_org_name(name))


def is_employer_key(key: str) -> bool:
    """is_employer of a name already normalised (text.normalize_org_name)."""
    return bool(key) and key not in _NOT_EMPLOYERS and key not in _NOTHING


def is_no_employer_key(key: str) -> bool:
    """A name (normalised) that says someone works for no organisation ("Self-employed",
    "Retired", "Stealth startup"), as against one that says nothing at all ("N/A", "-")."""
    return key in _NOT_EMPLOYERS


def employment_title(title: str, name: str) -> str:
    """The title that keeps what a non-employer `name` said: "Ghostwriter" and
    "Self-employed" give "Ghostwriter (self-employed)"; no title gives "Self-employed"; a
    title that says it already ("Freelance designer", "Freelance") is kept as it is."""
    said = " ".join(name.split())
    title = " ".join(title.split())
    if not words(said) or normalize_org_name(said) in _NOTHING:  # "-", "None", "N/A"
        return title
    if not title:
        return said[:200]
    if set(words(said)) <= set(words(title)):
        return title
    # After a title, "Stealth Startup" reads "stealth startup"; "ZZP" stays as it is.
    said = _CAPITALISED.sub(lambda m: m.group().lower(), said)
    suffix = f" ({said})"
    return title[: 200 - len(suffix)] + suffix
