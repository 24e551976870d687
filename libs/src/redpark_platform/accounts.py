"""Local staff accounts for the embedded default: one JSON file of users with argon2 password hashes.

The sign-in page at the gateway checks a person here and then hands out the same JWT the API
accepts, so the services never see a password. A deployment with a directory (LDAP, SSO) replaces
this file, not the tokens.

    store = AccountStore(data_dir / "accounts.json")
    store.add("admin", "s3cret!", ["park_admin"], name="园区党总支")
    who = store.verify("admin", "s3cret!")   # Account, or None for any wrong name or password

The CLI `redpark-accounts` manages the file: add / passwd / list / remove / disable / enable. Every
change also writes `token-versions.json` beside it (account names and token versions only), which
every service reads to refuse the tokens of a removed, disabled or re-passworded account at once.
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .settings import DEFAULT_DATA_DIR
from .web.auth import ROLES, TOKEN_VERSIONS_FILE_NAME

ACCOUNTS_FILE_NAME = "accounts.json"
MIN_PASSWORD_LENGTH = 8
_HASHER = PasswordHasher()
# Hashed once so that an unknown user name costs as much as a wrong password: the answer's timing
# must not tell which user names exist.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A refused change (unknown role, taken name, short password); the message says which."""


class Account(msgspec.Struct, frozen=True, kw_only=True):
    username: str
    name: str = ""
    roles: tuple[str, ...] = ()
    branch_id: str | None = None
    token_version: int = 1
    disabled: bool = False


class _Stored(msgspec.Struct, kw_only=True):
    username: str
    password_hash: str
    name: str = ""
    roles: list[str] = []
    branch_id: str | None = None
    # Raised by every passwd and disable: a token minted with an older version is refused.
    token_version: int = 1
    disabled: bool = False

    def account(self) -> Account:
        return Account(username=self.username, name=self.name, roles=tuple(self.roles),
                       branch_id=self.branch_id, token_version=self.token_version, disabled=self.disabled)


class _File(msgspec.Struct, kw_only=True):
    version: int = 1
    accounts: list[_Stored] = []


def _replace(path: Path, content: bytes, mode: int) -> None:
    # Written beside the target and renamed over it: a reader never sees half a file.
    fd, partial = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _check_roles(roles: Sequence[str], branch_id: str | None) -> list[str]:
    if isinstance(roles, str):
        roles = [roles]
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise AccountError(f"unknown role(s) {', '.join(unknown)}; roles are {', '.join(ROLES)}")
    if not roles:
        raise AccountError("an account needs at least one role")
    if "branch_secretary" in roles and not branch_id:
        raise AccountError("a branch_secretary account needs its branch (branch_id)")
    return list(dict.fromkeys(roles))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def default_accounts_file(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    return Path(env.get("REDPARK_DATA_DIR") or DEFAULT_DATA_DIR) / ACCOUNTS_FILE_NAME


class AccountStore:
    """The accounts in one JSON file, read on every call (the CLI may change it while the gateway
    runs) and replaced whole on every change, readable only by the platform's user."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def _load(self) -> _File:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _File()
        return msgspec.json.decode(raw, type=_File)

    @property
    def versions_path(self) -> Path:
        """The token versions the services read: names and numbers only, never a password hash."""
        return self.path.parent / TOKEN_VERSIONS_FILE_NAME

    def _save(self, data: _File) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _replace(self.path, msgspec.json.format(msgspec.json.encode(data), indent=2) + b"\n", 0o600)
        # After the accounts: a crash between the two leaves the versions behind, which only
        # refuses a token of a newer version (and the gateway mints none before this is written).
        versions = {a.username: a.token_version for a in data.accounts if not a.disabled}
        _replace(self.versions_path, msgspec.json.encode({"versions": versions}) + b"\n", 0o644)

    def exists(self) -> bool:
        return self.path.exists()

    def add(self, username: str, password: str, roles: Sequence[str], *, branch_id: str | None = None,
            name: str = "") -> Account:
        username = username.strip()
        if not username:
            raise AccountError("the user name is empty")
        checked = _check_roles(roles, branch_id)
        _check_password(password)
        with self._lock:
            data = self._load()
            if any(a.username == username for a in data.accounts):
                raise AccountError(f"the user name {username!r} is taken")
            # Versions start at the clock, not at 1: a name removed and later given to someone else
            # must not make the removed person's old tokens (of a lower version) valid again.
            stored = _Stored(username=username, password_hash=_HASHER.hash(password), name=name,
                             roles=checked, branch_id=branch_id, token_version=time.time_ns() // 1000)
            data.accounts.append(stored)
            self._save(data)
        return stored.account()

    def verify(self, username: str, password: str) -> Account | None:
        """The account when the password is right; None for a wrong password or unknown name alike."""
        found = next((a for a in self._load().accounts if a.username == username.strip()), None)
        try:
            _HASHER.verify(found.password_hash if found else _DUMMY_HASH, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if found is None or found.disabled:
            return None
        if not self.versions_path.exists():
            # Accounts written before token versions existed: publish them before a token names one.
            with self._lock:
                self._save(self._load())
        if _HASHER.check_needs_rehash(found.password_hash):
            # Stronger parameters since the password was set: store it again with them.
            with self._lock:
                data = self._load()
                for a in data.accounts:
                    if a.username == found.username:
                        a.password_hash = _HASHER.hash(password)
                self._save(data)
        return found.account()

    def set_password(self, username: str, password: str) -> None:
        _check_password(password)
        with self._lock:
            data = self._load()
            stored = next((a for a in data.accounts if a.username == username), None)
            if stored is None:
                raise AccountError(f"no account {username!r}")
            stored.password_hash = _HASHER.hash(password)
            stored.token_version += 1  # whoever held the old password loses its tokens too
            self._save(data)

    def set_disabled(self, username: str, disabled: bool = True) -> None:
        """Disable (or enable again) an account: disabled, it cannot sign in and its tokens are
        refused at once; enabled again, it signs in anew (its old tokens stay dead)."""
        with self._lock:
            data = self._load()
            stored = next((a for a in data.accounts if a.username == username), None)
            if stored is None:
                raise AccountError(f"no account {username!r}")
            stored.disabled = disabled
            stored.token_version += 1
            self._save(data)

    def remove(self, username: str) -> None:
        with self._lock:
            data = self._load()
            kept = [a for a in data.accounts if a.username != username]
            if len(kept) == len(data.accounts):
                raise AccountError(f"no account {username!r}")
            data.accounts = kept
            self._save(data)

    def list(self) -> list[Account]:
        return [a.account() for a in self._load().accounts]

    def get(self, username: str) -> Account | None:
        return next((a.account() for a in self._load().accounts if a.username == username), None)


def generate_password() -> str:
    """A random password people can type: 16 characters of letters and digits."""
    return secrets.token_urlsafe(12)


# --- the console script ---------------------------------------------------------------------------

def accounts_cli(argv: Sequence[str] | None = None, out: Callable[[str], None] = print,
                 ask: Callable[[str], str] = getpass.getpass) -> int:
    """`redpark-accounts [--file F] add|passwd|list|remove|disable|enable ...`."""
    parser = argparse.ArgumentParser(prog="redpark-accounts",
                                     description="Manage the platform's staff accounts.")
    parser.add_argument("--file", type=Path, default=None,
                        help="the accounts file (default: <REDPARK_DATA_DIR>/accounts.json, "
                             ".redpark/accounts.json)")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument("--role", action="append", required=True, choices=ROLES,
                     help="a role; repeat for several")
    add.add_argument("--branch", help="the branch of a branch_secretary")
    add.add_argument("--name", default="", help="the name shown in the console")
    add.add_argument("--password", help="the password (default: asked for; '-' generates and prints one)")
    passwd = commands.add_parser("passwd", help="set an account's password")
    passwd.add_argument("username")
    passwd.add_argument("--password",
                        help="the new password (default: asked for; '-' generates and prints one)")
    commands.add_parser("list", help="list the accounts")
    remove = commands.add_parser("remove", help="delete an account (its tokens are refused at once)")
    remove.add_argument("username")
    disable = commands.add_parser("disable", help="stop an account signing in (its tokens are refused at once)")
    disable.add_argument("username")
    enable = commands.add_parser("enable", help="let a disabled account sign in again")
    enable.add_argument("username")
    args = parser.parse_args(argv)
    store = AccountStore(args.file or default_accounts_file())

    def password_from(given: str | None) -> str:
        if given == "-":
            made = generate_password()
            out(f"password: {made}")
            return made
        if given:
            return given
        first = ask("password: ")
        if ask("again: ") != first:
            raise AccountError("the two passwords differ")
        return first

    try:
        if args.command == "add":
            account = store.add(args.username, password_from(args.password), args.role,
                                branch_id=args.branch, name=args.name)
            out(f"added {account.username} ({', '.join(account.roles)})")
        elif args.command == "passwd":
            if store.get(args.username) is None:
                raise AccountError(f"no account {args.username!r}")
            store.set_password(args.username, password_from(args.password))
            out(f"password of {args.username} set")
        elif args.command == "list":
            for a in store.list():
                branch = f" branch={a.branch_id}" if a.branch_id else ""
                state = "\tdisabled" if a.disabled else ""
                out(f"{a.username}\t{','.join(a.roles)}{branch}\t{a.name}{state}")
        elif args.command in ("disable", "enable"):
            store.set_disabled(args.username, args.command == "disable")
            out(f"{args.command}d {args.username}")
        else:
            store.remove(args.username)
            out(f"removed {args.username}")
    except AccountError as exc:
        print(f"redpark-accounts: {exc}", file=sys.stderr)
        return 2
    return 0


def main() -> None:
    sys.exit(accounts_cli())
