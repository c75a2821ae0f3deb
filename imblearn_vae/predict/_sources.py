"""Where the bytes come from: a file read once, a pipe, or a file followed.

Each source yields chunks of bytes as they become available, never more than
``size`` at once, so that a batch (and the memory it takes) stays bounded and
a row that arrives alone is passed on at once rather than waiting for others.
A followed file also yields :class:`Replaced` when it was rotated under us.
"""

import os
import select
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

#: Bytes read at most at once: about 30,000 NSL-KDD rows.
READ_SIZE = 4 << 20

#: A pipe this large lets a fast writer hand over big batches (Linux only).
_PIPE_SIZE = 1 << 20


@dataclass
class Replaced:
    """The followed path now holds another file, or the file was truncated."""

    how: str  # "replaced" or "truncated"


def read_chunks(fd: int, size: int = READ_SIZE) -> Iterator[bytes]:
    """Everything a file or a pipe holds, in chunks of what is there now."""
    _grow_pipe(fd)
    while chunk := _read_available(fd, size):
        yield chunk


def _grow_pipe(fd: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    except (ImportError, AttributeError, OSError):
        pass  # not a pipe, not Linux, or above the system's limit: small batches


def _read_available(fd: int, size: int) -> bytes:
    """Up to `size` bytes: blocks for the first, then takes what is ready."""
    parts, total = [], 0
    while total < size:
        part = os.read(fd, size - total)
        if not part:
            break
        parts.append(part)
        total += len(part)
        if not select.select([fd], [], [], 0)[0]:
            break
    return b"".join(parts)


def follow_chunks(
    path: str | os.PathLike,
    stopped: Callable[[], bool],
    poll: float = 0.01,
    size: int = READ_SIZE,
) -> Iterator[bytes | Replaced]:
    """The bytes of a growing file as they are appended, until `stopped()`.

    At the end of the file, the file is looked at every `poll` seconds. If its
    path now names another file (a rotation that renamed the old one away) or
    the file became shorter than what was read (truncated in place), the old
    file has been read to its end: :class:`Replaced` is yielded and reading
    starts again at the beginning of the (new) file. A path that disappears is
    waited for.

    Raises
    ------
    FileNotFoundError
        If the file is missing at the start.
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        position = 0
        # Stopping is looked at before every read: a writer faster than the
        # scoring must not keep the command from ending.
        while not stopped():
            data = os.read(fd, size)
            if data:
                position += len(data)
                yield data
                continue
            how = _rotation(path, fd, position)
            if how is None:
                time.sleep(poll)
                continue
            if how == "replaced":
                # What the writer added to the old file just before it was
                # renamed away still belongs to it.
                while data := os.read(fd, size):
                    position += len(data)
                    yield data
                try:
                    replacement = os.open(path, os.O_RDONLY)
                except FileNotFoundError:  # gone again already: look again later
                    time.sleep(poll)
                    continue
                os.close(fd)
                fd = replacement
            else:
                os.lseek(fd, 0, os.SEEK_SET)
            position = 0
            yield Replaced(how)
    finally:
        os.close(fd)


def _rotation(path, fd: int, position: int) -> str | None:
    """How the followed file changed under us, if it did."""
    opened = os.fstat(fd)
    if opened.st_size < position:
        return "truncated"
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return None  # moved away and not yet created again: wait for it
    if (named.st_ino, named.st_dev) != (opened.st_ino, opened.st_dev):
        return "replaced"
    return None
