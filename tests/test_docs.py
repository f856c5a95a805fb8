"""Every CLI command is documented (the sqlite-utils habit), and the README names the two commands."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from cso_network.cli import app

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = sorted(typer.main.get_command(app).commands)


def test_there_are_commands():
    assert {"validate", "import", "init", "summary", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented(name):
    assert f"## `cso-network {name}" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name):
    command = typer.main.get_command(app).commands[name]
    assert command.help and len(command.help) > 20


def test_readme_names_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/run" in text and "scripts/test" in text
