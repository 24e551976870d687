#!/usr/bin/env python3
"""Red Park's one entry point: `up`, `test`, `bench`, `verify`.

Runs on a bare machine before anything is installed, so this file uses the standard library only:
it creates `.venv`, installs libs/ and every service into it (again only when a pyproject.toml
changed), re-executes itself inside the venv and hands over to deploy/local/ or to pytest.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / "redpark-installed.sha256"
USAGE = """usage: python3 deploy/redpark.py COMMAND [ARGS...]

  up      start NATS, PostgreSQL, every service and the gateway; load demo data; print the URL
          (options: --data DIR, --port N, --no-demo, --services a,b; see `up --help`)
  test    run every test (extra arguments go to pytest, e.g. `test -k deploy -x`); the browser
          tests need Chromium: on Debian, as root, `apt-get install chromium` is run when it is missing
  bench   run the benchmarks (extra arguments go to `python -m bench`)
  verify  rebuild every read model of the running platform into shadow tables and compare them
          with the live ones (options: --data DIR, --services a,b); exit code 0 when all are equal
"""


def say(line: str) -> None:
    print(f"redpark: {line}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def installables() -> list[Path]:
    """libs/ first, then every service folder that is a package (has a pyproject.toml)."""
    services = sorted(p.parent for p in (ROOT / "services").glob("*/pyproject.toml"))
    return [ROOT / "libs", *services]


def install_fingerprint(folders: list[Path]) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for folder in folders:
        pyproject = folder / "pyproject.toml"
        digest.update(str(pyproject.relative_to(ROOT)).encode() + b"\0" + pyproject.read_bytes() + b"\0")
    return digest.hexdigest()


def bootstrap() -> None:
    if not venv_python().exists():
        say("creating .venv")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if in_venv() and os.environ.get("REDPARK_NO_INSTALL") == "1":
        return  # the tests run inside the installed venv and start `up` many times
    folders = installables()
    fingerprint = install_fingerprint(folders)
    if STAMP.exists() and STAMP.read_text().strip() == fingerprint:
        say("packages up to date")
    else:
        names = ", ".join(f.relative_to(ROOT).as_posix() for f in folders)
        say(f"installing {names} into .venv (the first time takes a few minutes)")
        args = [str(venv_python()), "-m", "pip", "install", "-q", "-e", f"{ROOT / 'libs'}[test]"]
        for folder in folders[1:]:
            args += ["-e", str(folder)]
        rc = subprocess.run(args).returncode
        if rc != 0:
            say("pip install failed; see the messages above")
            raise SystemExit(rc)
        # Written only after success, so an interrupted install is retried next time.
        STAMP.write_text(fingerprint + "\n")
    if not in_venv():
        python = str(venv_python())
        argv = [python, str(Path(__file__).resolve()), *sys.argv[1:]]
        os.environ["REDPARK_NO_INSTALL"] = "1"  # just checked; the re-executed copy need not look again
        if os.name == "nt":
            raise SystemExit(subprocess.run(argv).returncode)
        os.execv(python, argv)


CHROMIUM = Path("/usr/bin/chromium")
BROWSER_PACKAGES = ["chromium"]
# Without a CJK font Chromium draws the pages' Chinese as empty boxes in the screenshots.
CJK_FONT_PACKAGES = ["fonts-noto-cjk"]


def apt_install(packages: list[str]) -> bool:
    """`apt-get install -y ...`, then once more after `apt-get update` (a fresh machine has no lists)."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", *packages]
    for attempt in (1, 2):
        say("running: " + " ".join(install))
        if subprocess.run(install, env=env).returncode == 0:
            return True
        if attempt == 1:
            say("running: apt-get update")
            subprocess.run(["apt-get", "update"], env=env)
    return False


def has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True)
    return bool(found.stdout.strip())


def ensure_browser() -> bool:
    """The browser tests drive the machine's Chromium (Playwright never downloads one): install
    Debian's package when it is missing and we may, else say what to do. False when it is missing."""
    chromium = Path(os.environ.get("REDPARK_CHROMIUM") or CHROMIUM)
    if chromium.exists():
        if not has_cjk_font():
            say(f"no Chinese (CJK) font: screenshots show boxes; install {' '.join(CJK_FONT_PACKAGES)}")
        return True
    say(f"the browser tests need Chromium at {chromium}, which is missing")
    if not (os.name == "posix" and shutil.which("apt-get") and os.geteuid() == 0):
        say("cannot install it here (that needs Debian's apt-get, run as root): install the `chromium` "
            "package (sudo apt-get install chromium) or set REDPARK_CHROMIUM to a Chromium binary; "
            "the browser tests are part of the suite, so `test` stops here")
        return False
    # A bare machine: the fonts come along, so the screenshots show the pages' Chinese.
    fonts = [] if has_cjk_font() else CJK_FONT_PACKAGES
    if not apt_install(BROWSER_PACKAGES + fonts) or not chromium.exists():
        say(f"could not install Chromium with apt-get (see the messages above); no {chromium}, "
            "so `test` stops here")
        return False
    say(f"Chromium installed at {chromium}")
    return True


def run_up(args: list[str]) -> int:
    spec = importlib.util.spec_from_file_location("redpark_local_stack", ROOT / "deploy/local/stack.py")
    assert spec and spec.loader
    stack = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = stack  # dataclasses look their module up there
    spec.loader.exec_module(stack)
    return int(stack.main(args))


def exec_in_root(module: str, args: list[str], env: dict[str, str]) -> int:
    os.chdir(ROOT)
    for key, value in env.items():
        os.environ.setdefault(key, value)
    argv = [sys.executable, "-m", module, *args]
    if os.name == "nt":
        return subprocess.run(argv).returncode
    os.execv(sys.executable, argv)  # the exit code is pytest's (or bench's) own


def main() -> int:
    if sys.version_info < (3, 11):
        print("Red Park needs Python 3.11 or newer", file=sys.stderr)
        return 2
    if len(sys.argv) < 2 or sys.argv[1] not in ("up", "test", "bench", "verify"):
        print(USAGE, file=sys.stderr)
        return 0 if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help", "help") else 2
    command, args = sys.argv[1], sys.argv[2:]
    bootstrap()
    if command == "up":
        return run_up(args)
    # Unbuffered output shows progress live in CI logs; no .pyc files litter a clean clone.
    ci_env = {"PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    if command == "test" and not ensure_browser():
        return 1
    if command == "verify":
        return exec_in_root("redpark_platform.verify", args, ci_env)
    return exec_in_root("pytest" if command == "test" else "bench", args, ci_env)


if __name__ == "__main__":
    sys.exit(main())
