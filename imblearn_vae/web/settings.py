"""Where the application's settings come from: arguments, then the environment.

Every setting has an environment variable ``IMBLEARN_VAE_<NAME>``; the
secret key has no default (it must come from the operator, never from the
code).
"""

import os
import secrets
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
    # How many reverse proxies in front of the site append to
    # X-Forwarded-For; 0 trusts none of it (werkzeug's ProxyFix).
    "TRUSTED_PROXIES": 0,
    "SESSION_HOURS": 12,  # a log-in session ends this long after log-in
    # Flask-Limiter's limits and where it counts (memory: per worker).
    "API_RATE_LIMIT": "120 per minute",  # per token
    "API_ADDRESS_RATE_LIMIT": "600 per minute",  # per client address
    "API_AUTH_FAILURE_LIMIT": "20 per minute",  # refused tokens per address
    "SIGNUP_RATE_LIMIT": "5 per minute;20 per day",  # sign-up tries per address
    "RATELIMIT_STORAGE_URI": "worker-memory://",  # limits.WorkerMemoryStorage
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
            try:
                value = int(value)
            except ValueError:
                raise ValueError(
                    f"IMBLEARN_VAE_{name} must be a whole number, got {value!r}"
                ) from None
        settings[name] = value
    folder = Path(settings["DATA_DIR"] or data_dir()).expanduser()
    settings["DATA_DIR"] = folder
    settings["DATABASE_URL"] = settings["DATABASE_URL"] or (
        f"sqlite:///{folder / 'imblearn-vae.sqlite3'}"
    )
    settings["MODEL"] = Path(settings["MODEL"] or folder / "detector.model")
    settings.update(overrides)  # Flask settings (TESTING, WTF_CSRF_ENABLED, ...)
    return settings


def secret_key_file(data_dir: Path) -> str:
    """The site's secret key kept in the data folder, made on first use.

    For a single machine without IMBLEARN_VAE_SECRET_KEY: random, readable by
    its owner only, the same for every worker and restart.
    """
    path = Path(data_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Written aside, then linked into place: workers starting together
        # all read the one key that got there first, never a half-written one.
        draft = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as stream:
            stream.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
