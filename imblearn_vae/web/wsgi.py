"""The site for a WSGI server of your choice::

    gunicorn --workers 4 --preload --bind 127.0.0.1:8000 'imblearn_vae.web.wsgi:app'

Settings come from the environment (:mod:`.settings`), as for ``imblearn-vae
serve``; without ``IMBLEARN_VAE_SECRET_KEY`` the data folder's
``secret_key`` is used (made there on first use). The model file and the
database must be ready: the import stops, saying which command makes them,
when the model file is missing or the database is not upgraded.
"""

from pathlib import Path

from .app import create_app
from .database import check_database
from .models import db
from .server import hide_server_name
from .settings import from_environment, secret_key_file

hide_server_name()  # read by gunicorn when it answers, in this process
_settings = from_environment()
if not _settings["SECRET_KEY"]:
    _settings["SECRET_KEY"] = secret_key_file(Path(_settings["DATA_DIR"]))
app = create_app(_settings)
check_database(app)
with app.app_context():
    # No connection open while gunicorn forks its workers (--preload): each
    # worker opens its own.
    db.engine.dispose()
