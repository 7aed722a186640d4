"""Imports waiting between the preview and the save, kept on the server.

The preview never sends the document back through the browser: a 1 MB text posted back
URL-encoded outgrew Django's request limit (the save answered 400), and a 15 MB one made a
55 MB page. The text waits here instead, under an unguessable token, until the clerk who
made it saves it or it expires (``settings.MINUTES_IMPORT_EXPIRY_HOURS``).

One folder per import under ``settings.MINUTES_INCOMING_DIR``, named by its token:

    meta.json       owner (user id), created (epoch seconds), file name, the clerk's choices
    lock            held while the import is being saved
    text.txt        the text as read from the upload or the paste (UTF-8)
    parsed.pickle   the parse the preview showed, so that the save stores exactly that
    original        the uploaded file as received (an upload only)

Expired folders are removed on the way (every new import sweeps) and by
``manage.py clean_incoming``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import pickle
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from minutes.parsing import ParsedMinutes

TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32): 256 random bits
PARTIAL = ".partial"
log = logging.getLogger(__name__)


class Expired(Exception):
    """No import waits under this token for this user: saved, expired, or never theirs."""


def root() -> Path:
    return Path(settings.MINUTES_INCOMING_DIR)


def lifetime() -> int:
    """Seconds an import waits for its save."""
    return settings.MINUTES_IMPORT_EXPIRY_HOURS * 3600


@dataclass
class Incoming:
    """One import waiting for its save."""

    token: str
    folder: Path
    owner: int
    created: float
    filename: str
    choices: dict

    @property
    def expires_at(self) -> datetime:
        return datetime.fromtimestamp(self.created + lifetime(), tz=UTC)

    @property
    def text(self) -> str:
        return (self.folder / "text.txt").read_text(encoding="utf-8")

    def parsed(self) -> ParsedMinutes:
        """The parse the preview showed; parsed again if the stored one cannot be read
        (a deployment changed the parser's records between the preview and the save)."""
        try:
            # Written by this server into its own data folder, never taken from a client.
            return pickle.loads((self.folder / "parsed.pickle").read_bytes())
        except Exception:  # any unreadable pickle: the text is the truth
            from minutes.importing import parse_text

            return parse_text(self.text)

    @property
    def original(self) -> Path | None:
        path = self.folder / "original"
        return path if path.exists() else None

    def save_choices(self, choices: dict) -> None:
        self.choices = dict(choices)
        _write_meta(self.folder, self._meta())

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @contextlib.contextmanager
    def claimed(self):
        """Held while saving, so that a second click on Save cannot import the text twice:
        it waits, then finds the import gone (``Expired``)."""
        try:
            handle = open(self.folder / "lock", "ab")
        except FileNotFoundError as error:
            raise Expired(self.token) from error
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                if not (self.folder / "meta.json").exists():
                    raise Expired(self.token)
                yield self
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _meta(self) -> dict:
        return {
            "owner": self.owner,
            "created": self.created,
            "filename": self.filename,
            "choices": self.choices,
        }


def create(
    *, owner: int, text: str, parsed: ParsedMinutes, upload=None, choices: dict | None = None
) -> Incoming:
    """Keep a previewed text (and the uploaded file it came from) under a new token.

    The folder is written under a temporary name and renamed when complete, so a half-written
    import is never opened.
    """
    sweep()
    token = secrets.token_urlsafe(32)
    folder = root() / token
    partial = folder.with_name(token + PARTIAL)
    partial.mkdir(parents=True)
    (partial / "lock").touch()
    (partial / "text.txt").write_text(text, encoding="utf-8")
    (partial / "parsed.pickle").write_bytes(pickle.dumps(parsed, pickle.HIGHEST_PROTOCOL))
    filename = ""
    if upload is not None:
        filename = Path(upload.name).name
        upload.seek(0)
        with open(partial / "original", "wb") as original:
            for chunk in upload.chunks():
                original.write(chunk)
    incoming = Incoming(token, folder, owner, time.time(), filename, dict(choices or {}))
    _write_meta(partial, incoming._meta())
    partial.rename(folder)
    return incoming


def open_for(token: str, user) -> Incoming:
    """The import waiting under ``token`` for ``user``; Expired when there is none.

    Another user's token answers the same as an unknown one: only the clerk who made an
    import can see or save it.
    """
    if not TOKEN.match(token or ""):
        raise Expired(token)
    folder = root() / token
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise Expired(token) from error
    if meta.get("owner") != user.pk:
        raise Expired(token)
    if time.time() > meta["created"] + lifetime():
        shutil.rmtree(folder, ignore_errors=True)
        raise Expired(token)
    return Incoming(
        token, folder, meta["owner"], meta["created"], meta["filename"], meta["choices"]
    )


def sweep(now: float | None = None) -> int:
    """Remove the imports older than their lifetime; the number removed."""
    now = time.time() if now is None else now
    removed = 0
    try:
        folders = list(root().iterdir())
    except FileNotFoundError:
        return 0
    for folder in folders:
        try:
            created = _created(folder)
        except OSError:
            continue  # saved or swept by another process meanwhile
        if now > created + lifetime():
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    if removed:
        log.info("Removed %d expired imports from %s", removed, root())
    return removed


def _created(folder: Path) -> float:
    try:
        return json.loads((folder / "meta.json").read_text(encoding="utf-8"))["created"]
    except (ValueError, KeyError, FileNotFoundError):
        # A folder left half-written by a crash has no readable meta: its age decides.
        return folder.stat().st_mtime


def _write_meta(folder: Path, meta: dict) -> None:
    temporary = folder / "meta.json.tmp"
    temporary.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, folder / "meta.json")
