"""`redpark.py test` makes sure the browser tests have their Chromium (stdlib-only, before pytest)."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def redpark(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("redpark_script_under_test", ROOT / "deploy" / "redpark.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(module, "has_cjk_font", lambda: False)
    return module


def fake_apt(monkeypatch: pytest.MonkeyPatch, module: ModuleType, results: list[int],
             creates: Path | None = None) -> list[list[str]]:
    calls: list[list[str]] = []

    def run(argv: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        calls.append(list(argv))
        code = results.pop(0) if argv[1] == "install" else 0
        if code == 0 and argv[1] == "install" and creates is not None:
            creates.write_text("#!/bin/sh\n")
        return subprocess.CompletedProcess(argv, code, "", "")

    monkeypatch.setattr(module.subprocess, "run", run)
    return calls


def test_a_present_chromium_needs_nothing(redpark: ModuleType, monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    (tmp_path / "chromium").write_text("")
    monkeypatch.setenv("REDPARK_CHROMIUM", str(tmp_path / "chromium"))
    calls = fake_apt(monkeypatch, redpark, [])
    assert redpark.ensure_browser() is True and calls == []


def test_missing_chromium_is_installed_with_apt_get_retrying_once_after_an_update(
    redpark: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "chromium"
    monkeypatch.setenv("REDPARK_CHROMIUM", str(target))
    monkeypatch.setattr(redpark.os, "geteuid", lambda: 0)
    calls = fake_apt(monkeypatch, redpark, [100, 0], creates=target)
    assert redpark.ensure_browser() is True
    assert calls == [["apt-get", "install", "-y", "chromium", "fonts-noto-cjk"], ["apt-get", "update"],
                     ["apt-get", "install", "-y", "chromium", "fonts-noto-cjk"]]
    out = capsys.readouterr().out
    assert "running: apt-get install -y chromium" in out and "running: apt-get update" in out


def test_when_apt_get_keeps_failing_test_stops_and_says_so(
    redpark: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REDPARK_CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.setattr(redpark.os, "geteuid", lambda: 0)
    calls = fake_apt(monkeypatch, redpark, [100, 100])
    assert redpark.ensure_browser() is False
    assert [c[1] for c in calls] == ["install", "update", "install"]
    assert "could not install Chromium" in capsys.readouterr().out


def test_without_root_nothing_is_installed_and_the_message_says_what_to_do(
    redpark: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REDPARK_CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.setattr(redpark.os, "geteuid", lambda: 1000)
    calls = fake_apt(monkeypatch, redpark, [])
    assert redpark.ensure_browser() is False and calls == []
    assert "sudo apt-get install chromium" in capsys.readouterr().out
