"""Local staff accounts: argon2 hashes in a 0600 JSON file, verify, password changes, the CLI."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from redpark_platform.accounts import Account, AccountError, AccountStore, accounts_cli


def test_an_added_account_verifies_with_its_password_only(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "accounts.json")
    added = store.add("admin", "correct horse", ["park_admin"], name="园区党总支")
    assert added == Account(username="admin", name="园区党总支", roles=("park_admin",), branch_id=None,
                            token_version=added.token_version)
    assert store.verify("admin", "correct horse") == added
    assert store.verify("admin", "wrong horse!") is None
    assert store.verify("nobody", "correct horse") is None


def test_the_file_holds_hashes_never_passwords_and_only_its_owner_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    AccountStore(path).add("sec", "branch-pass-1", ["branch_secretary"], branch_id="b-7", name="王书记")
    raw = path.read_text()
    assert "branch-pass-1" not in raw
    stored = json.loads(raw)["accounts"][0]
    assert stored["password_hash"].startswith("$argon2id$")
    assert stored["branch_id"] == "b-7"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # No partial file left behind; beside the accounts, only what the services read: names and versions.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.json", "token-versions.json"]
    assert json.loads((tmp_path / "token-versions.json").read_text()) == {
        "versions": {stored["username"]: stored["token_version"]}}


def test_refusals_name_the_problem(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "accounts.json")
    with pytest.raises(AccountError, match="unknown role"):
        store.add("x", "long-enough", ["king"])
    with pytest.raises(AccountError, match="branch"):
        store.add("x", "long-enough", ["branch_secretary"])
    with pytest.raises(AccountError, match="at least 8"):
        store.add("x", "short", ["auditor"])
    store.add("x", "long-enough", ["auditor"])
    with pytest.raises(AccountError, match="taken"):
        store.add("x", "long-enough", ["auditor"])
    with pytest.raises(AccountError, match="no account"):
        store.set_password("ghost", "long-enough")
    with pytest.raises(AccountError, match="no account"):
        store.remove("ghost")


def test_a_new_password_replaces_the_old_and_a_removed_account_is_gone(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "accounts.json")
    store.add("events", "first-password", ["events_officer"])
    store.add("auditor", "audit-password", ["auditor"])
    store.set_password("events", "second-password")
    assert store.verify("events", "first-password") is None
    assert store.verify("events", "second-password") is not None
    store.remove("events")
    assert [a.username for a in store.list()] == ["auditor"]
    assert store.verify("events", "second-password") is None


def test_the_cli_adds_lists_changes_and_removes(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    lines: list[str] = []
    assert accounts_cli(["--file", str(path), "add", "sec", "--role", "branch_secretary", "--branch", "b-1",
                         "--name", "李书记", "--password", "secretary-pw"], out=lines.append) == 0
    assert accounts_cli(["--file", str(path), "list"], out=lines.append) == 0
    assert lines[-1] == "sec\tbranch_secretary branch=b-1\t李书记"
    first_version = AccountStore(path).get("sec").token_version  # type: ignore[union-attr]
    assert accounts_cli(["--file", str(path), "passwd", "sec", "--password", "-"], out=lines.append) == 0
    generated = lines[-2].removeprefix("password: ")
    assert AccountStore(path).verify("sec", generated) is not None
    assert AccountStore(path).verify("sec", "secretary-pw") is None
    typed = iter(["typed-password", "typed-password"])
    assert accounts_cli(["--file", str(path), "passwd", "sec"], out=lines.append,
                        ask=lambda _: next(typed)) == 0
    assert AccountStore(path).verify("sec", "typed-password") is not None
    assert accounts_cli(["--file", str(path), "disable", "sec"], out=lines.append) == 0
    assert AccountStore(path).verify("sec", "typed-password") is None
    assert accounts_cli(["--file", str(path), "list"], out=lines.append) == 0
    assert lines[-1] == "sec\tbranch_secretary branch=b-1\t李书记\tdisabled"
    assert accounts_cli(["--file", str(path), "enable", "sec"], out=lines.append) == 0
    assert AccountStore(path).verify("sec", "typed-password") is not None
    # Two passwords, a disable and an enable: four changes, each ending the tokens before it.
    assert AccountStore(path).get("sec").token_version == first_version + 4  # type: ignore[union-attr]
    assert accounts_cli(["--file", str(path), "remove", "sec"], out=lines.append) == 0
    assert AccountStore(path).list() == []
    assert accounts_cli(["--file", str(path), "remove", "sec"], out=lines.append) == 2
    # The name given again later starts above every version the removed account had.
    assert accounts_cli(["--file", str(path), "add", "sec", "--role", "auditor", "--password", "another-pw-1"],
                        out=lines.append) == 0
    assert AccountStore(path).get("sec").token_version > first_version + 4  # type: ignore[union-attr]


def test_the_cli_defaults_to_the_data_folder(tmp_path: Path) -> None:
    env = {"REDPARK_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", "from redpark_platform.accounts import main; main()",
         "add", "auditor", "--role", "auditor", "--password", "audit-password"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert AccountStore(tmp_path / "accounts.json").verify("auditor", "audit-password") is not None
