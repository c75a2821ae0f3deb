"""Which passwords are accepted: NIST SP 800-63B section 5.1.1.2.

Length is what counts (at least :data:`MIN_LENGTH` characters - 800-63B asks
for 8, OWASP ASVS 4.0 V2.1.1 for 12 - up to
:data:`MAX_LENGTH`, spaces and any Unicode allowed, no composition rules);
a password is refused when it is easy to guess: blank, the user's own name,
or weak by zxcvbn's estimate, whose dictionaries hold the common-password
lists 800-63B asks to check against. The answer says why, so that the person
can pick a better one.
"""

import unicodedata

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
#: zxcvbn's score (0-4) below which a password is refused: 3 is "safely
#: unguessable: moderate protection from offline slow-hash scenario".
MIN_SCORE = 3


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` is refused for ``username``, or None when it is fine.

    Parameters
    ----------
    password : str
        The new password, as typed.
    username : str, default=""
        The account's name; a password that contains it is refused.

    Returns
    -------
    str or None
    """
    # 800-63B 5.1.1.2: Unicode is normalised (NFKC) before it is checked.
    normal = unicodedata.normalize("NFKC", password)
    if len(normal) < MIN_LENGTH:
        return f"at least {MIN_LENGTH} characters"
    if len(normal) > MAX_LENGTH:
        return f"at most {MAX_LENGTH} characters"
    if not normal.strip():
        return "not only spaces"
    name = unicodedata.normalize("NFKC", username).strip().casefold()
    if name and name in normal.casefold():
        return "must not contain the user name"
    # zxcvbn is slow on long inputs and 100 characters are plenty to judge.
    verdict = zxcvbn(normal[:100], user_inputs=[name] if name else [])
    if verdict["score"] < MIN_SCORE:
        feedback = verdict["feedback"]
        why = feedback["warning"] or " ".join(feedback["suggestions"][:1])
        return "too easy to guess" + (f": {why.rstrip('.')}" if why else "")
    return None
