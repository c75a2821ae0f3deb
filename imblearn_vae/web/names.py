"""User names: which are accepted, and when two are the same account.

Two names are one account when their normal forms (:func:`name_key`) are
equal: Unicode NFKC, case folding, NFKC again - Unicode's "compatibility
caseless match" (Unicode Standard, section 3.13), as NIST SP 800-63B 5.1.1.2
has passwords normalised. Case folding, not ``lower()``: "Straße" and
"STRASSE" are one name. The comparison is made in Python, once, and the
database keeps each user's normal form in a unique column
(``User.username_key``): a database's own ``lower()`` (SQLite's folds ASCII
only) never decides, and two requests racing for one name cannot both win.

A new name is refused when people could not tell it from another by eye:
control, invisible (format), private-use or unassigned characters, line or
paragraph separators, spaces around it (OWASP ASVS 4.0 V5.1.4: input checked
against an allow-list of what is expected).
"""

import unicodedata

MIN_LENGTH = 3
MAX_LENGTH = 64

#: Unicode general categories a new name may not hold: controls, formats
#: (zero-width spaces and joiners, direction marks), surrogates, private
#: use, unassigned, line and paragraph separators.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def name_key(name: str) -> str:
    """The normal form under which ``name`` is stored, found and counted.

    Examples
    --------
    >>> name_key("Ölaf") == name_key("O\\u0308LAF") == "ölaf"
    True
    >>> name_key("Straße"), name_key("\\uff22\\uff4f\\uff42")
    ('strasse', 'bob')
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def name_problem(name: str) -> str | None:
    """Why ``name`` is refused as a new user name, or None when it is fine.

    Parameters
    ----------
    name : str
        The name as typed.

    Returns
    -------
    str or None
        A sentence that says what to change.
    """
    if not MIN_LENGTH <= len(name) <= MAX_LENGTH:
        return f"A user name has between {MIN_LENGTH} and {MAX_LENGTH} characters."
    if name != name.strip():
        return "A user name has no spaces before or after it."
    for character in name:
        if unicodedata.category(character) in REFUSED_CATEGORIES:
            return (
                "A user name has no control, invisible, private-use or unassigned "
                f"characters (found U+{ord(character):04X})."
            )
    if len(name_key(name)) > MAX_LENGTH:
        return (
            f"A user name has at most {MAX_LENGTH} characters once normalised "
            "(Unicode NFKC and case folding)."
        )
    return None
