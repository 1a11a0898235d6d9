"""`EditionFolder`: a folder of files replaced whole, so a reader never sees half of it.

The new files are written into a hidden sibling folder, each created fresh (never
through a symlink, never over a file), synced to disk, and then the two folders trade
places in one atomic `renameat2(RENAME_EXCHANGE)`. A kill at any moment leaves the
target folder holding the old files or the new ones, whole; the leftover sibling is
removed by the next write.

A folder pulsewire did not write (no manifest) is never replaced: it may hold a
person's own files.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Final, Self

from pulsewire.errors import PulsewireError

MANIFEST: Final = ".pulsewire-folder.json"
"""The file that marks a folder as written by pulsewire, listing what it holds."""

_AT_FDCWD: Final = -100
_RENAME_EXCHANGE: Final = 2
_libc = ctypes.CDLL(None, use_errno=True)


class FolderError(PulsewireError):
    """The output folder cannot be written, or is not one pulsewire may replace."""


def _exchange(first: Path, second: Path) -> None:
    """Swap two paths atomically (Linux `renameat2`)."""
    result = _libc.renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first))


def _sync_folder(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _problem(target: Path, error: OSError, doing: str) -> FolderError:
    reason = error.strerror or str(error)
    return FolderError(
        f"--out {target}: cannot {doing}: {reason}",
        hint="pick a folder you can write, or fix its permissions; nothing was changed",
    )


def check_target(target: Path) -> None:
    """Refuse a target that is a symlink, a file, or a folder pulsewire did not write.

    Raises
    ------
    FolderError
        Naming the path and what is in the way.
    """
    if target.is_symlink():
        raise FolderError(
            f"--out {target}: is a symlink; pulsewire never writes through one",
            hint="pass the real folder it points to, or a new folder",
        )
    if target.exists() and not target.is_dir():
        raise FolderError(
            f"--out {target}: is a file, not a folder", hint="pass a new or empty folder"
        )
    if target.is_dir() and any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise FolderError(
            f"--out {target}: holds files pulsewire did not write",
            hint="pass a new or empty folder, or one an earlier `pulsewire write --out` made",
        )


def replace_file(path: Path, text: str) -> None:
    """Replace the file at `path` with `text` in one rename: never half written.

    Raises
    ------
    FolderError
        If the file or its folder cannot be written.
    """
    if path.is_symlink():
        raise FolderError(f"{path}: is a symlink; pulsewire never writes through one")
    temporary: Path | None = None
    try:
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        temporary = Path(name)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as e:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise FolderError(
            f"{path}: cannot write: {e.strerror or e}", hint="pick a path you can write"
        ) from e


class EditionFolder:
    """Stage files beside `target`, then swap them in as its whole content.

    Use as a context manager: `write` each file, then `commit()`; leaving the block
    without committing discards the staged files and leaves `target` untouched.
    """

    def __init__(self, target: Path) -> None:
        check_target(target)
        self.target = target
        self._stage: Path | None = None
        self._names: list[str] = []
        self._committed = False
        self._existed = False

    def __enter__(self) -> Self:
        parent = self.target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            for leftover in parent.glob(f".{self.target.name}.pulsewire-*"):
                shutil.rmtree(leftover, ignore_errors=True)
            self._stage = Path(
                tempfile.mkdtemp(prefix=f".{self.target.name}.pulsewire-", dir=parent)
            )
        except OSError as e:
            raise _problem(self.target, e, f"create a folder in {parent}") from e
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._stage is not None:
            # Before a commit it holds the new files; after, the old ones.
            shutil.rmtree(self._stage, ignore_errors=True)

    def write(self, name: str, text: str) -> None:
        """Write one file of the new content; `name` is a bare file name."""
        stage = self._staged()
        if Path(name).name != name or name in (MANIFEST, "", ".", ".."):
            raise FolderError(f"--out {self.target}: {name!r} is not a plain file name")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            descriptor = os.open(stage / name, flags, 0o644)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as e:
            raise _problem(self.target, e, f"write {name}") from e
        self._names.append(name)

    def commit(self) -> None:
        """Swap the staged files in as `target`'s whole content, atomically."""
        stage = self._staged()
        manifest = json.dumps({"files": sorted(self._names)}, indent=1) + "\n"
        try:
            (stage / MANIFEST).write_text(manifest, encoding="utf-8")
            os.chmod(stage, 0o755)
            _sync_folder(stage)
            check_target(self.target)
            self._existed = self.target.exists()
            if self._existed:
                _exchange(stage, self.target)
            else:
                os.rename(stage, self.target)
            _sync_folder(self.target.parent)
        except OSError as e:
            if e.errno == errno.ENOSYS:
                raise FolderError(
                    f"--out {self.target}: this system cannot swap folders atomically",
                    hint="write to a new folder each time",
                ) from e
            raise _problem(self.target, e, "replace it") from e
        self._committed = True

    def undo(self) -> None:
        """Put the old content back after a `commit` (when what follows it fails)."""
        stage = self._staged()
        if not self._committed:
            return
        if self._existed:
            _exchange(stage, self.target)
        else:
            os.rename(self.target, stage)
        self._committed = False

    def _staged(self) -> Path:
        if self._stage is None:
            raise RuntimeError("EditionFolder used outside its `with` block")
        return self._stage
