"""Finding data files on disk and downloading the missing ones safely."""

import hashlib
import os
import tempfile
import urllib.request
from pathlib import Path

#: Environment variable naming the data home when ``data_home`` is not given.
DATA_HOME_ENV = "IMBLEARN_VAE_DATA"

_CHUNK_BYTES = 1 << 20


def get_data_home(data_home: str | os.PathLike | None = None) -> Path:
    """Return the folder where imblearn-vae looks for data sets.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The folder to use. When None, the environment variable
        ``IMBLEARN_VAE_DATA`` names it, and without that the folder
        ``~/imblearn_vae_data`` is used. ``~`` is expanded. The folder is not
        created here.

    Returns
    -------
    data_home : pathlib.Path
        The data home.

    Examples
    --------
    >>> from imblearn_vae.datasets import get_data_home
    >>> str(get_data_home("/tmp/data"))
    '/tmp/data'
    """
    if data_home is None:
        data_home = os.environ.get(DATA_HOME_ENV) or Path("~") / "imblearn_vae_data"
    return Path(data_home).expanduser()


def download(url: str, destination: Path, sha256: str, timeout: float = 60) -> Path:
    """Download ``url`` to ``destination`` atomically, checking its SHA-256.

    The bytes go to a temporary file in the destination's folder, which is
    renamed onto ``destination`` only once the checksum matches, so a failed
    or corrupted download never leaves a file that a later call would trust.

    Raises
    ------
    OSError
        When the download fails or its checksum differs from ``sha256``.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".part", dir=destination.parent
    )
    temporary = Path(temporary)
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as stream:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                while chunk := response.read(_CHUNK_BYTES):
                    digest.update(chunk)
                    stream.write(chunk)
        if digest.hexdigest() != sha256:
            raise OSError(
                f"The file downloaded from {url} has SHA-256 {digest.hexdigest()}, "
                f"expected {sha256}; it was discarded. The server may hold a "
                "different or damaged copy."
            )
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
    return destination
