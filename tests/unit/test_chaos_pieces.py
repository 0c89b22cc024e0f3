"""The fault run's pure pieces: the experiments are defined once for both runs, the poison
is told apart from other parked messages, and the table has every column."""

from __future__ import annotations

from netra_common.bus.deadletters import DeadLetter
from tests.chaos import report
from tests.chaos.experiments import FULL, SHORT
from tests.chaos.poison import Poison
from tests.chaos.runner import main, with_clients


def letter(service="casework", event_id=None, body=None) -> DeadLetter:
    return DeadLetter(service=service, event_type="complaint_submitted", event_id=event_id, reason="r",
                      attempts=1, parked_at=None, body=body or {})


def test_every_experiment_the_issue_names_is_in_the_full_run_and_names_are_unique():
    names = [e.name for e in FULL]
    assert len(set(names)) == len(names) and len({e.name for e in SHORT}) == len(SHORT)
    for words in ("broker cut 30 s", "broker flapping 25 x 2 s up / 1 s down", "database cut 20 s",
                  "database flapping", "100 ms latency", "SIGKILL", "SeaweedFS killed for 30 s", "poison"):
        assert any(words in name for name in names), words
    assert [e for e in FULL if e.poison] and not [e for e in SHORT if e.poison]


def test_the_poison_is_told_apart_and_each_kind_must_end_as_it_should():
    poison = Poison(wrong_schema_id="w", failing_id="f", unknown_key_refused=True)
    unparseable = letter(body={"undecodable_body": f"\x00bukan json {{{poison.marker}"})
    others = letter(event_id="someone-else")
    assert poison.is_ours(unparseable) and poison.is_ours(letter(event_id="w")) and not poison.is_ours(others)
    assert poison.missing([unparseable, letter(event_id="w"), letter(service="notify", event_id="f")]) == []
    assert poison.missing([unparseable, letter(event_id="f")]) == ["wrong schema", "failing handler"]
    assert Poison().missing([]) == ["unparseable", "wrong schema", "failing handler", "unknown routing key"]


def test_the_table_has_a_column_for_each_count_and_a_row_for_each_experiment():
    rows = [{"experiment": "broker cut 30 s", "filed": 10, "acked": 10, "cases": 10, "evidence": 10, "mails": 10,
             "parked": 0, "lost": 0, "duplicated": 0, "verdict": "PASS"},
            {"experiment": "verify-log", "verdict": "FAIL", "notes": "exit 1"}]
    lines = report.table(rows).splitlines()
    assert [c.strip() for c in lines[0].strip("|").split("|")] == list(report.COLUMNS)
    assert len(lines) == 4 and "PASS" in lines[2] and "FAIL" in lines[3]


def test_the_run_can_be_made_heavier_with_more_clients_and_refuses_a_senseless_number(capsys):
    heavier = with_clients(FULL, 16)
    assert [e.clients for e in heavier] == [16] * len(FULL) and [e.name for e in heavier] == [e.name for e in FULL]
    assert main(["--list", "--clients", "16", "--only", "poison"]) == 0
    assert "poison" in capsys.readouterr().out
    try:
        main(["--list", "--clients", "0"])
    except SystemExit as refused:
        assert refused.code == 2 and "--clients" in capsys.readouterr().err
    else:
        raise AssertionError("--clients 0 was accepted")
