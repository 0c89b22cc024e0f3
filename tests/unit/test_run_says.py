"""`netra-stack run` talks through `_say`: a terminal that has gone must not keep it from
stopping the stack (every later step of the stop would be skipped by the write's OSError)."""

from __future__ import annotations

import click
from netra_stack import cli


def test_a_write_to_a_terminal_that_has_gone_is_dropped(monkeypatch):
    def gone(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(click, "echo", gone)
    cli._say("netra: stopping ...")  # no exception
    cli._say("netra: intake berhenti (kode 1)", err=True)


def test_what_is_said_reaches_the_terminal(capsys):
    cli._say("netra: intake dinyalakan ulang", err=True)
    assert "intake dinyalakan ulang" in capsys.readouterr().err
