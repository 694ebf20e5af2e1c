"""Signing key files: PKCS#8 PEM, readable by the owner only, written atomically.

The directory holding a key is made private (0700), so give keys a directory of their own
(e.g. ``$KIOSK_DATA_DIR/keys``). A crash mid-write leaves the old key or the new one, never
half a key: the PEM goes to a temporary file in the same directory, is fsynced, then renamed.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from ..private_files import write_private_file
from .signing import EDDSA, SCHEMES, ExportableSigner

log = logging.getLogger(__name__)

FILE_MODE = 0o600
DIR_MODE = 0o700


class KeyFileError(ValueError):
    """A key file cannot be read as a signing key."""


def generate_signer(alg: int = EDDSA) -> ExportableSigner:
    """Return a signer for a fresh key of the given COSE algorithm."""
    if alg not in SCHEMES:
        raise ValueError(f"no signature scheme for COSE algorithm {alg}")
    return SCHEMES[alg].generate()


def save_signer(signer: ExportableSigner, path: str | os.PathLike[str]) -> Path:
    """Write the signer's private key to path (mode 0600, directory 0700), atomically."""
    target = Path(path)
    target.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(target.parent, DIR_MODE)  # mkdir's mode is filtered by umask, and may pre-exist
    return write_private_file(target, signer.private_pem())


def load_signer(path: str | os.PathLike[str]) -> ExportableSigner:
    """Read a private key file written by save_signer (or any unencrypted PKCS#8 PEM)."""
    source = Path(path)
    mode = stat.S_IMODE(source.stat().st_mode)
    if mode & 0o077:
        log.warning("signing key %s is readable by others (mode %o); chmod 600 it",
                    source, mode)
    pem = source.read_bytes()
    for scheme in SCHEMES.values():
        try:
            signer = scheme.load_signer(pem)
        except (ValueError, TypeError) as err:
            raise KeyFileError(f"{source}: not an unencrypted PKCS#8 PEM key ({err})") from err
        if signer is not None:
            return signer
    raise KeyFileError(f"{source}: no registered scheme handles this kind of key")

