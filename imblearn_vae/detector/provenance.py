"""What a model file says about where it came from: the command that made
it, without the folders of the machine that made it.

A model file travels (to a server, to a colleague) and its command is shown
on the site's public model page: the folders in it are nobody's business
there (OWASP ASVS 4.0 V14.3: no server details). ``train`` stores the
command with each path cut to its file name; the model page cuts the
commands of files made before that.
"""

import re
import shlex

#: A file-system path in a command's word (after ``--option=`` if any):
#: anything with a slash or a backslash, or starting with ``~``.
_PATH = re.compile(r"(?P<option>--[\w-]+=)?(?P<path>~.*|.*[/\\].*)")


def public_command(command: str) -> str:
    """The command, each path cut to its file name.

    Examples
    --------
    >>> public_command("imblearn-vae train --out /srv/m/dt.model --data-home=~/d")
    'imblearn-vae train --out .../dt.model --data-home=.../d'
    """
    try:
        words = shlex.split(command)
    except ValueError:  # an unclosed quote: split on spaces
        words = command.split()
    shown = []
    for word in words:
        found = _PATH.fullmatch(word)
        if found:
            name = re.split(r"[/\\]", found["path"].rstrip("/\\"))[-1]
            word = f"{found['option'] or ''}.../{name.lstrip('~')}"
        shown.append(word)
    return shlex.join(shown)
