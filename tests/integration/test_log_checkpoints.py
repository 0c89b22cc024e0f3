"""Signed checkpoints of casework's log on real PostgreSQL (docs/decisions/0016): someone with the
database rewrites history consistently, every hash after the change recomputed; the plain chains
find nothing, and `verify-log --checkpoint` with the checkpoint BKPPD kept names the rewrite."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from netra_stack import database
from netra_stack.settings import StackSettings
from sqlalchemy import create_engine, text

from netra_common.migrate import upgrade
from services.casework.adapters import checkpoints
from services.casework.adapters.checkpoint_signing import CheckpointSigner, new_seed_b64
from services.casework.adapters.event_store import data_digest, event_hash, log_hash
from services.notify.domain import messages
from services.notify.usecases import TEMPLATE_DIR
from tests.integration.test_event_store import LIFE, new_case, store
from tests.unit.test_notify_templates import FORWARDED

SIGNER_SEED = new_seed_b64()
SIGNER = CheckpointSigner(SIGNER_SEED)
PUBLIC = SIGNER.public_keys()["public_key"]


@pytest.fixture()
def log_db(tmp_path):
    """A casework database of its own per test (each rewrites its log), on the machine's PostgreSQL:
    no services are needed, only the store and the operator's command."""
    settings = StackSettings.for_tests(tmp_path, database=f"netra_ck_{uuid.uuid4().hex[:8]}")
    database.ensure_database(settings.pg_url, settings.database)
    upgrade("casework", settings.db_url)
    engine = create_engine(settings.db_url, pool_size=2, max_overflow=0)
    yield engine, settings.db_url
    engine.dispose()
    database.drop_database(settings.pg_url, settings.database)


def netra_casework(url: str, *args, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "services.casework.admin", *args],
                          env={**os.environ, "NETRA_DB_URL": url, **env}, capture_output=True, text=True,
                          timeout=300)


def some_cases(engine, count: int, seed: int) -> list[uuid.UUID]:
    """`count` cases, each through the first four steps of its life."""
    made = []
    for n in range(count):
        case = new_case(seed + n, random.Random(seed + n))
        with engine.begin() as conn:
            store(conn, case, 0)
        for version, (command, actor, args) in enumerate(LIFE[:4], start=1):
            getattr(case, command)(actor, **args, at=datetime(2026, 11, 2, 2, 0, tzinfo=UTC))
            with engine.begin() as conn:
                store(conn, case, version)
        made.append(uuid.UUID(case.case_id))
    return made


def checkpoint(engine, reason: str = "forward") -> dict:
    with engine.begin() as conn:
        return checkpoints.take(conn, SIGNER, reason)


def kept_by_bkppd(tmp_path, signed: dict, name: str = "checkpoint.json"):
    path = tmp_path / name
    path.write_text(json.dumps(signed))
    return path


def rewrite_consistently(engine, position: int, finding: str) -> None:
    """What someone who can write the database would do: change one event's data, then recompute its
    hash and every hash after it (its stream's chain and the whole log's), and both heads."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE casework.events SET data = jsonb_set(data, '{finding}', to_jsonb(CAST(:f AS text))) "
                          "WHERE global_position = :p"), {"f": finding, "p": position})
        rows = conn.execute(text("SELECT * FROM casework.events ORDER BY global_position")).mappings().all()
        chain, last_in_stream = None, {}
        for row in rows:
            prev = last_in_stream.get(row["stream_id"])
            # The salted digest too (decision 0031): the salt is in the row beside it.
            digest = data_digest(row["data"], row["data_salt"]) if row["hash_scheme"] == 2 else None
            own = event_hash(**{k: row[k] for k in ("stream_id", "version", "event_id", "event_type",
                                                    "class_version", "data", "metadata", "recorded_at",
                                                    "hash_scheme")},
                             data_digest=digest, prev_hash=prev)
            chain = log_hash(chain, own)
            last_in_stream[row["stream_id"]] = own
            conn.execute(text("UPDATE casework.events SET hash = :h, prev_hash = :ph, log_hash = :lh, "
                              "data_digest = :d WHERE global_position = :p"),
                         {"h": own, "ph": prev, "lh": chain, "d": digest, "p": row["global_position"]})
        for stream_id, head in last_in_stream.items():
            conn.execute(text("UPDATE casework.streams SET head_hash = :h WHERE stream_id = :s"),
                         {"h": head, "s": stream_id})
        conn.execute(text("UPDATE casework.log_head SET log_hash = :h WHERE id = 1"), {"h": chain})


def proposal_position(engine, stream_id: uuid.UUID) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT global_position FROM casework.events WHERE stream_id = :s "
                                 "AND event_type = 'violation_proposed'"), {"s": stream_id}).scalar_one()


def test_a_consistent_rewrite_passes_the_chains_but_not_the_checkpoint_bkppd_kept(log_db, tmp_path):
    engine, url = log_db
    early = some_cases(engine, 2, 10_000)
    checkpoint(engine, "daily")  # an earlier checkpoint, kept beside the log
    middle = some_cases(engine, 2, 20_000)
    kept = kept_by_bkppd(tmp_path, checkpoint(engine))  # the forward's, in BKPPD's hands
    some_cases(engine, 1, 30_000)  # the log goes on after it

    extends = netra_casework(url, "verify-log", "--checkpoint", str(kept), "--public-key", PUBLIC)
    assert extends.returncode == 0, extends.stdout + extends.stderr
    assert f"checkpoint {kept}: the log extends it" in extends.stdout

    changed = proposal_position(engine, middle[0])
    rewrite_consistently(engine, changed, "Tidak terbukti.")

    plain = netra_casework(url, "verify-log")
    assert plain.returncode == 0, plain.stdout  # the recomputed chains are whole again
    assert "the log is intact" in plain.stdout

    caught = netra_casework(url, "verify-log", "--checkpoint", str(kept), "--public-key", PUBLIC)
    assert caught.returncode == 1
    problems = [line for line in caught.stdout.splitlines() if line.startswith("PROBLEM")]
    assert len(problems) == 1, caught.stdout
    position = json.loads(kept.read_text())["checkpoint"]["global_position"]
    assert f"the log up to position {position} is not the one the checkpoint" in problems[0]
    first_kept = 2 * 5  # two cases of five events each before the daily checkpoint
    assert f"the rewrite lies in positions {first_kept + 1}..{position}" in problems[0]
    assert first_kept < changed <= position
    assert early  # the earlier cases are what the daily checkpoint still vouches for


def test_the_configured_key_is_the_default_and_a_changed_checkpoint_is_refused(log_db, tmp_path):
    engine, url = log_db
    some_cases(engine, 1, 40_000)
    signed = checkpoint(engine)
    kept = kept_by_bkppd(tmp_path, signed)
    configured = {"NETRA_CASEWORK_CHECKPOINT_KEY": SIGNER_SEED}
    assert netra_casework(url, "verify-log", "--checkpoint", str(kept), **configured).returncode == 0

    forged = json.loads(json.dumps(signed))
    forged["checkpoint"]["log_hash"] = "0" * 64
    refused = netra_casework(url, "verify-log", "--checkpoint", str(kept_by_bkppd(tmp_path, forged, "forged.json")),
                             **configured)
    assert refused.returncode == 1
    assert "the checkpoint's signature is not good" in refused.stdout

    other_key = CheckpointSigner(new_seed_b64()).public_keys()["public_key"]
    wrong = netra_casework(url, "verify-log", "--checkpoint", str(kept), "--public-key", other_key)
    assert wrong.returncode == 1 and "signature is not good" in wrong.stdout


def test_a_checkpoint_whose_position_was_removed_is_named(log_db, tmp_path):
    engine, url = log_db
    some_cases(engine, 2, 50_000)
    signed = checkpoint(engine)
    position = signed["checkpoint"]["global_position"]
    with engine.begin() as conn:  # the last case removed whole, the heads put back to before it
        stream = conn.execute(text("SELECT stream_id FROM casework.events WHERE global_position = :p"),
                              {"p": position}).scalar_one()
        conn.execute(text("DELETE FROM casework.events WHERE stream_id = :s"), {"s": stream})
        conn.execute(text("DELETE FROM casework.streams WHERE stream_id = :s"), {"s": stream})
        conn.execute(text("UPDATE casework.log_head SET (global_position, log_hash) = "
                          "(SELECT global_position, log_hash FROM casework.events ORDER BY global_position DESC "
                          "LIMIT 1) WHERE id = 1"))
    assert netra_casework(url, "verify-log").returncode == 0
    found = netra_casework(url, "verify-log", "--checkpoint", str(kept_by_bkppd(tmp_path, signed)),
                           "--public-key", PUBLIC)
    assert found.returncode == 1
    assert f"position {position}, which the checkpoint of" in found.stdout
    assert f"is no longer in the log (up to there it now holds position {position - 5})" in found.stdout


def test_the_mail_bkppd_received_saved_whole_serves_as_the_checkpoint_file(log_db, tmp_path):
    engine, url = log_db
    some_cases(engine, 1, 60_000)
    signed = checkpoint(engine)
    text_part = messages.bkppd_forwarded({**FORWARDED, "checkpoint": signed}, "http://tim/#/kasus", TEMPLATE_DIR)
    mail = EmailMessage()  # as notify sends it: its long lines travel quoted-printable
    mail["Subject"] = text_part.subject
    mail.set_content(text_part.text, charset="utf-8")
    mail.add_alternative(text_part.html, subtype="html", charset="utf-8")
    saved = tmp_path / "surat.eml"
    saved.write_bytes(bytes(mail))
    assert messages.checkpoint_line(signed) in text_part.text
    assert messages.checkpoint_line(signed) not in saved.read_text()  # found only by decoding the mail
    checked = netra_casework(url, "verify-log", "--checkpoint", str(saved), "--public-key", PUBLIC)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "the log extends it" in checked.stdout


def test_one_daily_checkpoint_in_24_hours_however_often_the_timer_asks(log_db):
    engine, _ = log_db
    with engine.begin() as conn:
        assert checkpoints.take_daily_if_due(conn, SIGNER) is None  # an empty log: nothing to vouch for
    some_cases(engine, 1, 70_000)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        first = checkpoints.take_daily_if_due(conn, SIGNER, now)
    with engine.begin() as conn:
        again = checkpoints.take_daily_if_due(conn, SIGNER, now + timedelta(hours=23))
    with engine.begin() as conn:
        next_day = checkpoints.take_daily_if_due(conn, SIGNER, now + timedelta(hours=24, minutes=1))
    assert first and first["checkpoint"]["global_position"] == 5
    assert again is None
    assert next_day and next_day["checkpoint"]["signed_at"] > first["checkpoint"]["signed_at"]
