"""The `netra` CLI's pure pieces: times in WIB, tables, case references, the session file, error
wording, and that the tool needs nothing of services/ (it is an HTTP client only)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import requests
from click.testing import CliRunner

from netra_cli import casefile, client, output, session
from netra_cli.client import ApiError
from netra_cli.exports import write_output
from netra_cli.main import cli, queue_query

CASE_ID = "8e5ea3ff-4317-4c9a-8ba4-0ff6db071b96"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# --- times and cells --------------------------------------------------------------------


def test_times_are_shown_in_wib_whatever_offset_the_api_used():
    assert output.wib("2026-11-24T22:05:06.399229+00:00") == "25-11-2026 05:05 WIB"  # the next day in Bengkalis
    assert output.wib("2026-11-26T16:59:59+00:00") == "26-11-2026 23:59 WIB"
    assert output.wib("2026-11-26T23:59:59+07:00") == "26-11-2026 23:59 WIB"
    assert output.wib("2026-11-26T12:00:00") == "26-11-2026 19:00 WIB"  # naive means UTC
    assert output.wib(datetime(2026, 1, 1, 0, 0, tzinfo=UTC)) == "01-01-2026 07:00 WIB"
    assert output.wib(None) == "-" and output.wib("") == "-"
    assert output.wib("bukan waktu") == "bukan waktu"


def test_dates_and_cells_read_as_plain_indonesian_text():
    assert output.day("2026-11-30") == "30-11-2026"
    assert output.cell(None) == "-" and output.cell(True) == "ya" and output.cell(False) == "tidak"
    assert output.cell(["share", "post_support"]) == "share, post_support"
    assert output.cell("baris satu\n  baris dua") == "baris satu baris dua"
    assert output.status_text("forwarded_to_bkppd") == "Diteruskan ke BKPPD"


def test_a_table_aligns_columns_and_shortens_long_cells():
    text = output.table([{"a": "x", "b": "y" * 50}, {"a": "panjang", "b": None}], (("a", "A"), ("b", "Kolom B")),
                        width=10)
    lines = text.splitlines()
    assert lines[0] == "A        Kolom B"
    assert lines[1] == "-------  ----------"
    assert lines[2] == "x        yyyyyyyyy…"
    assert lines[3] == "panjang  -"
    assert output.table([], (("a", "A"),)) == "(kosong)"


def test_the_work_queue_says_how_many_of_how_many():
    page = {"items": [{"case_number": "NTR-2026-00001", "status": "opened", "platform": "facebook",
                       "reported_name": "Rudi", "work_unit": "Dinkes", "assignee_name": None,
                       "due_at": "2026-11-26T16:59:59+00:00", "overdue": False}],
            "total": 7, "limit": 1, "offset": 3}
    text = output.case_list(page)
    assert "NTR-2026-00001" in text and "26-11-2026 23:59 WIB" in text
    assert text.endswith("1 dari 7 kasus (mulai dari urutan ke-4)")


def test_the_case_file_view_shows_the_reporter_only_as_flags():
    # Even if the API ever put more in `reporter`, the view prints only the flags it knows.
    case = {"case_id": CASE_ID, "case_number": "NTR-2026-00012", "version": 3, "status": "under_verification",
            "reporter": {"anonymous": False, "identity_sealed": True, "name": "Siti Rahmawati",
                         "email": "siti@example.org"},
            "timeline": [{"version": 1, "type": "case_opened", "at": "2026-11-24T22:05:06+00:00",
                          "actor": {"role": "ketua"}, "status": "opened"}]}
    text = casefile.case_file(case)
    assert "Siti" not in text and "siti@example.org" not in text
    assert "anonim: tidak, identitas tersegel: ya" in text
    assert "25-11-2026 05:05 WIB  case_opened  Dibuka  seorang ketua" in text  # no server words: the code
    case["reporter"] = {"anonymous": False, "identity_sealed": True, "contact_consent": False,
                        "contact_erased_at": "2026-11-26T01:00:00+00:00"}
    assert "bersedia dihubungi: tidak, kontak dihapus pelapor: 26-11-2026 08:00 WIB" in casefile.case_file(case)


# --- what the user types ----------------------------------------------------------------


def test_a_case_is_named_by_its_id_or_its_number():
    assert client.case_ref(CASE_ID.upper()) == ("id", CASE_ID)
    assert client.case_ref(" ntr-2026-00012 ") == ("number", "NTR-2026-00012")
    assert client.case_ref("NTR-2026-123456") == ("number", "NTR-2026-123456")
    for wrong in ("NTR-2026-12", "2026-00012", "kasus 12", ""):
        with pytest.raises(ValueError, match="bukan id kasus"):
            client.case_ref(wrong)


def test_a_one_time_code_is_six_digits_spaces_allowed():
    assert client.normal_otp(" 123 456 ") == "123456"
    for wrong in ("12345", "1234567", "12a456", "١٢٣٤٥٦"):
        with pytest.raises(ValueError, match="6 digit"):
            client.normal_otp(wrong)


def test_list_options_become_the_apis_query_leaving_out_what_is_unset():
    assert queue_query() == {"limit": 50, "offset": 0}
    assert queue_query(status="opened", assignee="me", search="Mandau", overdue=False, asc=True, sort="due_at",
                       limit=10, offset=20) == {"status": "opened", "assignee": "me", "q": "Mandau",
                                                "overdue": "false", "order": "asc", "sort": "due_at",
                                                "limit": 10, "offset": 20}
    assert queue_query(overdue=True)["overdue"] == "true"


def test_the_server_url_comes_from_the_option_then_the_environment(monkeypatch):
    monkeypatch.delenv("NETRA_URL", raising=False)
    assert client.server_url() == "http://127.0.0.1:8001"
    monkeypatch.setenv("NETRA_URL", "http://casework.example:9000/")
    assert client.server_url() == "http://casework.example:9000"
    assert client.server_url("http://other:1") == "http://other:1"


# --- the session file -------------------------------------------------------------------


def stored(url="http://127.0.0.1:8001", expires_at="2099-01-01T00:00:00+00:00") -> dict:
    return {"url": url, "token": "rahasia", "expires_at": expires_at, "user": {"username": "ketua"}}


def test_the_session_file_is_private_to_its_owner(tmp_path):
    path = tmp_path / "baru" / "netra" / "session.json"
    session.save(path, stored())
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert json.loads(path.read_text())["token"] == "rahasia"
    assert [p.name for p in path.parent.iterdir()] == ["session.json"]  # no temporary left behind


def test_an_existing_looser_session_file_is_made_private_again(tmp_path):
    path = tmp_path / "session.json"
    path.write_text("{}")
    path.chmod(0o644)
    tmp_path.chmod(0o755)
    session.save(path, stored())
    assert mode(path) == 0o600
    assert mode(tmp_path) == 0o755  # a folder that already existed is the user's choice


def test_an_absent_expired_or_foreign_session_tells_the_user_to_log_in(tmp_path):
    path = tmp_path / "session.json"
    with pytest.raises(session.NotLoggedIn, match="netra login"):
        session.load(path, "http://127.0.0.1:8001")
    session.save(path, stored(expires_at="2020-01-01T00:00:00+00:00"))
    with pytest.raises(session.NotLoggedIn, match="kedaluwarsa.*netra login"):
        session.load(path, "http://127.0.0.1:8001")
    session.save(path, stored(url="http://lain:8001"))
    with pytest.raises(session.NotLoggedIn, match="http://lain:8001.*netra login"):
        session.load(path, "http://127.0.0.1:8001")
    path.write_text("bukan json")
    with pytest.raises(session.NotLoggedIn, match="tidak dapat dibaca"):
        session.load(path, "http://127.0.0.1:8001")


def test_a_live_session_is_read_back_and_can_be_deleted(tmp_path):
    path = tmp_path / "session.json"
    session.save(path, stored(url="http://127.0.0.1:8001/"))
    assert session.load(path, "http://127.0.0.1:8001")["token"] == "rahasia"
    assert session.expired({"expires_at": "2026-11-24T10:00:00+07:00"},
                           now=datetime(2026, 11, 24, 3, 0, 1, tzinfo=UTC))
    assert not session.expired({"expires_at": "2026-11-24T10:00:00+07:00"},
                               now=datetime(2026, 11, 24, 2, 59, tzinfo=UTC))
    assert session.delete(path) and not path.exists() and not session.delete(path)


def test_the_session_file_defaults_to_the_users_config_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("NETRA_SESSION_FILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert session.session_path() == tmp_path / ".config" / "netra" / "session.json"
    monkeypatch.setenv("NETRA_SESSION_FILE", str(tmp_path / "s.json"))
    assert session.session_path() == tmp_path / "s.json"


def test_a_command_without_a_session_says_to_log_in_and_exits_non_zero(tmp_path):
    env = {"NETRA_SESSION_FILE": str(tmp_path / "none.json"), "NETRA_URL": "http://127.0.0.1:9"}
    done = CliRunner().invoke(cli, ["show", "NTR-2026-00001"], env=env)
    assert done.exit_code == 3
    assert "Anda belum masuk. Jalankan `netra login`." in done.output


@pytest.mark.parametrize("wrong", [["--kecamatan", "Pekanbaru"], ["--limit", "201"], ["--offset", str(2**31)]])
def test_a_queue_filter_the_api_would_refuse_is_a_usage_error_before_any_request(tmp_path, wrong):
    env = {"NETRA_SESSION_FILE": str(tmp_path / "none.json"), "NETRA_URL": "http://127.0.0.1:9"}
    done = CliRunner().invoke(cli, ["list", *wrong], env=env)
    assert done.exit_code == 2 and wrong[0] in done.output


# --- errors and files -------------------------------------------------------------------


def test_a_stale_version_names_the_current_version_and_what_to_run():
    error = ApiError(409, "stale_version", "Kasus telah diubah orang lain. Muat ulang lalu coba lagi.",
                     {"expected_version": 2, "current_version": 5})
    text = output.api_error(error, "NTR-2026-00012")
    assert text.startswith("Galat dari server (HTTP 409, stale_version): Kasus telah diubah orang lain.")
    assert "Versi kasus saat ini: 5" in text and "`netra show NTR-2026-00012`" in text


def test_field_errors_are_listed_one_per_field():
    error = ApiError(400, "invalid_body", "Isian tidak lengkap atau salah.",
                     {"finding": ["Length must be between 10 and 5000."], "reported": {"nip": ["Bad."]}})
    lines = output.api_error(error).splitlines()
    assert lines[1:] == ["  finding: Length must be between 10 and 5000.", "  reported: nip: Bad."]


def test_a_refused_queue_query_is_listed_per_parameter_too():
    error = ApiError(400, "invalid_query", "Isian tidak lengkap atau salah.", {"limit": ["Harus antara 1 dan 200."]})
    assert output.api_error(error).splitlines()[1:] == ["  limit: Harus antara 1 dan 200."]


def test_a_rule_refusal_names_its_field():
    error = ApiError(422, "refused", "Petugas yang ditunjuk bukan anggota tim yang aktif.", {"field": "assignee_id"})
    text = output.api_error(error)
    assert text.startswith("Galat dari server (HTTP 422, refused): Petugas yang ditunjuk") and "assignee_id" in text


def test_an_answer_that_is_not_the_apis_json_error_still_gives_a_status():
    response = requests.Response()
    response.status_code, response._content = 502, b"<html>Bad gateway</html>"
    error = client.error_from(response)
    assert (error.status, error.code) == (502, "http_error") and "HTTP 502" in error.message


def test_case_data_written_to_a_file_is_private(tmp_path):
    target = tmp_path / "berkas.pdf"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_output(str(target), b"%PDF-1.4", private=True)
    assert target.read_bytes() == b"%PDF-1.4" and mode(target) == 0o600


def test_the_cli_imports_nothing_of_the_services():
    probe = ("import sys, netra_cli.main; print(sorted({m.split('.')[0] for m in sys.modules} & "
             "{'services', 'netra_common', 'netra_stack', 'nameko', 'sqlalchemy'}))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_cli_keeps_the_servers_time_zone():
    from netra_cli.output import WIB as CLI_WIB
    from netra_common.wib import WIB

    assert CLI_WIB.utcoffset(None) == WIB.utcoffset(None) and CLI_WIB.tzname(None) == WIB.tzname(None) == "WIB"


def test_statistics_draw_a_bar_per_count_against_the_largest():
    shown = output.statistics({"total_cases": 12, "counts": {"platform": [
        {"key": "facebook", "count": 10}, {"key": "tiktok", "count": 2}, {"key": "x", "count": 0}]},
        "time_in_stages": []})
    lines = {line.split()[0]: line for line in shown.splitlines() if line.strip()[:1].isalpha()}
    assert lines["facebook"].count("\u2588") == output.BAR_WIDTH
    assert lines["tiktok"].count("\u2588") == round(output.BAR_WIDTH * 2 / 10)
    assert "\u2588" not in lines["x"]
    assert output.bar(1, 1000) == "\u2588"  # a count is never drawn as nothing
