"""Build steps of the wordcount Python guest that need more than one command.

guest.toml runs this script with the system ``python3``; it takes its inputs
as arguments and uses only the standard library.

``python3 build.py venv VENV REQUIREMENTS``
    Makes the project-local virtual environment VENV and installs the pinned
    REQUIREMENTS into it.  A no-op when VENV was made by this Python from
    these same requirements; otherwise VENV is made afresh, so no stale
    package survives a change of pins.

``python3 build.py componentize-inputs SRC_DIR WIT_DIR OUT_DIR``
    Prepares what the componentize-py step reads, working around three of its
    habits:

    - ``OUT_DIR/app/``: a copy of the ``*.py`` files of SRC_DIR.
      componentize-py imports the app while it pre-initialises the
      component, and CPython writes ``__pycache__`` directories next to the
      modules it imports; the copy keeps them out of the source tree, and
      keeps anything but the sources out of the component.
    - ``OUT_DIR/wit/``: the ``*.wit`` files of WIT_DIR without their ``///``
      doc comments.  componentize-py 0.25.1 pastes WIT doc comments into
      non-raw Python docstrings, and the contract's docs mention the ``\\u``
      escape, which Python then reads as a truncated ``\\uXXXX`` escape
      (``SyntaxError`` while componentizing).  Doc comments carry no type
      information, so the component's world is the same.
    - ``OUT_DIR/no-packages/``: an empty environment for ``VIRTUAL_ENV``.
      componentize-py appends the ``site-packages`` of ``$VIRTUAL_ENV`` to
      the app's path, or, without it, those of the Python it finds, and the
      component then carries a listing of whatever is installed there.  The
      guest needs nothing beyond the standard library.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

STAMP_NAME = "witness-requirements.sha256"


def venv(venv_dir: Path, requirements: Path) -> None:
    """Makes ``venv_dir`` with ``requirements`` installed, unless it is fresh."""
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    digest.update(sys.executable.encode())
    digest.update(requirements.read_bytes())
    expected = digest.hexdigest()
    stamp = venv_dir / STAMP_NAME
    python = venv_dir / "bin" / "python"
    if python.is_file() and stamp.is_file() and stamp.read_text().strip() == expected:
        return
    # The stamp is written last, so an interrupted install is redone.
    run([sys.executable, "-m", "venv", "--clear", str(venv_dir)])
    run([
        str(python), "-m", "pip", "install",
        "--disable-pip-version-check", "--no-input", "--quiet",
        "--only-binary", ":all:",
        "-r", str(requirements),
    ])
    stamp.write_text(expected + "\n")


def componentize_inputs(src_dir: Path, wit_dir: Path, out_dir: Path) -> None:
    """Writes ``out_dir/app/``, ``out_dir/wit/`` and ``out_dir/no-packages/``
    (see above)."""
    app_out = out_dir / "app"
    if app_out.exists():
        shutil.rmtree(app_out)
    for source in sorted(src_dir.rglob("*.py")):
        target = app_out / source.relative_to(src_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    wit_out = out_dir / "wit"
    if wit_out.exists():
        shutil.rmtree(wit_out)
    wit_out.mkdir(parents=True)
    # The package and its deps/, at the same relative paths.
    for source in sorted(wit_dir.rglob("*.wit")):
        lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.lstrip().startswith("///")]
        target = wit_out / source.relative_to(wit_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("".join(kept), encoding="utf-8")
    site_packages = out_dir / "no-packages" / "lib" / "python3" / "site-packages"
    site_packages.mkdir(parents=True, exist_ok=True)
    if any(site_packages.iterdir()):
        sys.exit(f"build.py: {site_packages} must stay empty")


def run(argv: list[str]) -> None:
    """Runs ``argv``, failing with its status when it fails."""
    print("$ " + " ".join(argv), flush=True)
    completed = subprocess.run(argv, env={**os.environ, "PIP_REQUIRE_VIRTUALENV": "0"})
    if completed.returncode != 0:
        sys.exit(f"build.py: `{' '.join(argv)}` failed with status {completed.returncode}")


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "venv":
        venv(Path(argv[1]), Path(argv[2]))
    elif len(argv) == 4 and argv[0] == "componentize-inputs":
        componentize_inputs(Path(argv[1]), Path(argv[2]), Path(argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
