"""Build a release bundle from a source tree: wheels, pinned constraints and the manifest.

The project is built as a wheel (from a copy of the tree when the version is overridden, so the
working tree is never touched) and, unless ``project_only``, every dependency pinned by
``constraints.txt`` is fetched as a wheel by pip, so a station installs offline from the bundle.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory

from .bundle import write_bundle
from .manifest import ROLES, Manifest, sha256_hex

SCHEMA_FOLDERS = {"station": "backend/station/migrations", "platform": "backend/platform/migrations"}
SKIP = shutil.ignore_patterns(".git", ".venv", "data", "test-artifacts", "__pycache__", "*.pyc",
                              ".mypy_cache", ".ruff_cache", "node_modules", "dist", "build")


class BuildError(RuntimeError):
    """The release could not be built (pip failed, the tree is not the project)."""


def project_version(source: Path) -> str:
    return str(tomllib.loads((source / "pyproject.toml").read_text())["project"]["version"])


def schema_heads(source: Path) -> dict[str, dict[str, str]]:
    """The Alembic head each role's database migrates to (from any earlier revision)."""
    heads = {}
    for role, folder in SCHEMA_FOLDERS.items():
        script = ScriptDirectory(str(source / folder))
        heads[role] = {"from": script.get_base() or "", "to": script.get_current_head() or ""}
    return heads


def build_release(source: Path, out_dir: Path, *, version: str | None = None,
                  min_previous: str = "0", project_only: bool = False,
                  roles: tuple[str, ...] = ROLES) -> Path:
    """Build the bundle ``out_dir/kiosk-<version>.tar`` (unsigned) and return its path."""
    version = version or project_version(source)
    with tempfile.TemporaryDirectory(prefix="kiosk-release-") as tmp:
        tree = _versioned_copy(source, Path(tmp) / "src", version)
        wheels = Path(tmp) / "wheels"
        _pip_wheel(tree, wheels, project_only=project_only)
        files = {f"wheels/{w.name}": w.read_bytes() for w in sorted(wheels.glob("*.whl"))}
        files["constraints.txt"] = (source / "constraints.txt").read_bytes()
        manifest = Manifest(
            version=version, roles=roles, min_previous_version=min_previous,
            files={name: sha256_hex(data) for name, data in files.items()},
            sizes={name: len(data) for name, data in files.items()},
            schemas=schema_heads(source), python=f"{sys.version_info.major}.{sys.version_info.minor}",
            created_at=datetime.now(UTC).isoformat(timespec="seconds"))
        return write_bundle(out_dir / f"kiosk-{version}.tar", manifest, files)


def _versioned_copy(source: Path, target: Path, version: str) -> Path:
    shutil.copytree(source, target, ignore=SKIP)
    pyproject = target / "pyproject.toml"
    text, count = re.subn(r'(?m)^version = "[^"]*"', f'version = "{version}"', pyproject.read_text(), count=1)
    if count != 1:
        raise BuildError("pyproject.toml has no version line")
    pyproject.write_text(text)
    return target


def _pip_wheel(tree: Path, wheels: Path, *, project_only: bool) -> None:
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", str(wheels),
               "--constraint", str(tree / "constraints.txt"), str(tree)]
    if project_only:
        command.insert(4, "--no-deps")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"pip wheel failed:\n{done.stderr[-2000:]}")
