"""The web application of the second paper: sign in, enter a connection, get
"normal" or the attack type (``pip install 'imblearn-vae[web]'``).

:func:`create_app` builds it (Flask's application factory); ``imblearn-vae
serve`` runs it with gunicorn, ``imblearn-vae db upgrade`` makes or upgrades
its database, ``imblearn-vae user`` / ``token`` manage accounts from the
command line. See the operators' page of the docs.
"""

from .app import create_app

__all__ = ["create_app"]
