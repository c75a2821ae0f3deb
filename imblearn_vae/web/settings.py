"""Where the application's settings come from: arguments, then the environment.

Every setting has an environment variable ``IMBLEARN_VAE_<NAME>``; the
secret key has no default (it must come from the operator, never from the
code).
"""

import os
from pathlib import Path

#: Settings read from IMBLEARN_VAE_<NAME>, with their defaults (None: required).
ENVIRONMENT = {
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # default: SQLite in the data folder
    "MODEL": None,  # default: detector.model in the data folder
    "DATA_DIR": None,  # default: data_dir()
    "MAX_UPLOAD_BYTES": 5 * 1024 * 1024,
    "MAX_ROWS": 10_000,
    "SECURE_COOKIES": False,  # set when the site is served over HTTPS
}


def data_dir() -> Path:
    """The per-user data folder: ``$XDG_DATA_HOME/imblearn-vae`` or
    ``~/.local/share/imblearn-vae``."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "imblearn-vae"


def from_environment(overrides: dict | None = None) -> dict:
    """The settings: ``overrides``, else IMBLEARN_VAE_* variables, else defaults."""
    overrides = dict(overrides or {})
    settings = {}
    for name, default in ENVIRONMENT.items():
        value = overrides.pop(name, None)
        if value is None:
            value = os.environ.get(f"IMBLEARN_VAE_{name}", default)
        if isinstance(default, bool) and isinstance(value, str):
            value = value.strip().lower() in ("1", "true", "yes", "on")
        elif isinstance(default, int) and isinstance(value, str):
            value = int(value)
        settings[name] = value
    folder = Path(settings["DATA_DIR"] or data_dir()).expanduser()
    settings["DATA_DIR"] = folder
    settings["DATABASE_URL"] = settings["DATABASE_URL"] or (
        f"sqlite:///{folder / 'imblearn-vae.sqlite3'}"
    )
    settings["MODEL"] = Path(settings["MODEL"] or folder / "detector.model")
    settings.update(overrides)  # Flask settings (TESTING, WTF_CSRF_ENABLED, ...)
    return settings
