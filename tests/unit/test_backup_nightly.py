"""The nightly backup's pruning rule (netra_common/backup_nightly.py, docs/decisions/0037): which
files go and which stay, by the stamp in their names, and that a failed night prunes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from netra_common import backup_nightly
from netra_common.backup_cli import backup_main
from netra_common.backup_nightly import NightlyFailed, Policy, run, to_prune

NOW = datetime(2026, 12, 7, 2, 0, 5, tzinfo=UTC)


def named(kind: str, when: datetime) -> str:
    return f"{kind}-{backup_nightly.stamp(when)}.backup"


def days_ago(days: int, hour: int = 2) -> datetime:
    return (NOW - timedelta(days=days)).replace(hour=hour, minute=0, second=0)


def test_a_key_backup_is_pruned_on_the_35th_day_and_never_kept_longer():
    kept = [named("keys", days_ago(d)) for d in (0, 1, 34)]
    gone = [named("keys", days_ago(35)), named("keys", days_ago(35, hour=23)), named("keys", days_ago(400))]
    assert sorted(to_prune(kept + gone, NOW, Policy())) == sorted(gone)


def test_a_key_backup_made_on_the_first_of_a_month_is_not_a_monthly_copy():
    first = named("keys", datetime(2026, 10, 1, 2, 0, 0, tzinfo=UTC))
    assert to_prune([first, named("data", datetime(2026, 10, 1, 2, 0, 0, tzinfo=UTC))], NOW, Policy()) == [first]


def test_data_backups_are_kept_30_days_except_the_first_of_each_month():
    recent = [named("data", days_ago(d)) for d in (0, 1, 29)]
    first_of_november = named("data", datetime(2026, 11, 1, 2, 0, 0, tzinfo=UTC))
    rest_of_november = [named("data", datetime(2026, 11, d, 2, 0, 0, tzinfo=UTC)) for d in (2, 3, 6)]
    assert (NOW.date() - datetime(2026, 11, 6).date()).days == 31
    pruned = to_prune([*recent, first_of_november, *rest_of_november], NOW, Policy())
    assert sorted(pruned) == sorted(rest_of_november)


def test_the_monthly_copy_is_the_earliest_of_its_month_when_the_first_night_failed():
    second = named("data", datetime(2026, 3, 2, 2, 0, 0, tzinfo=UTC))
    third = named("data", datetime(2026, 3, 3, 2, 0, 0, tzinfo=UTC))
    assert to_prune([third, second], NOW, Policy()) == [third]


def test_monthly_copies_are_kept_five_years_and_no_longer():
    def month_copy(day: datetime) -> list[str]:
        return to_prune([named("data", day)], NOW, Policy())  # alone in its month: its monthly copy

    assert month_copy(datetime(2021, 12, 8, 2, 0, 0, tzinfo=UTC)) == []
    assert month_copy(datetime(2021, 12, 7, 2, 0, 0, tzinfo=UTC)) != [], "five years to the day"
    assert month_copy(datetime(2019, 4, 1, 2, 0, 0, tzinfo=UTC)) != []


def test_a_name_that_does_not_match_the_pattern_is_never_pruned():
    old = backup_nightly.stamp(days_ago(3000))
    strangers = [f"data-{old}.backup.partial", f".data-{old}.backup.partial", "netra-2019-01-01.backup",
                 f"data-{old}.backup.gz", "keys-20191399T020000Z.backup", f"DATA-{old}.backup", "README",
                 f"x-keys-{old}.backup"]
    assert to_prune(strangers, NOW, Policy()) == []


def test_the_settings_change_the_periods_but_keys_may_not_be_kept_beyond_35_days():
    policy = Policy.from_env({"NETRA_BACKUP_DATA_DAYS": "7", "NETRA_BACKUP_MONTHLY_YEARS": "1",
                              "NETRA_BACKUP_KEYS_DAYS": "10"})
    assert policy == Policy(data_days=7, monthly_years=1, keys_days=10)
    assert to_prune([named("keys", days_ago(10)), named("keys", days_ago(9))], NOW, policy) == [
        named("keys", days_ago(10))]
    with pytest.raises(ValueError, match="1..35"):
        Policy.from_env({"NETRA_BACKUP_KEYS_DAYS": "36"})
    with pytest.raises(ValueError, match="whole number"):
        Policy.from_env({"NETRA_BACKUP_DATA_DAYS": "tiga puluh"})


def plant(folder: Path, names: list[str]) -> None:
    for name in names:
        (folder / name).write_bytes(b"old")


def writes(content: bytes):
    def write(out: Path) -> None:
        out.write_bytes(content)
    return write


def failing(out: Path) -> None:
    out.write_bytes(b"half a backup")
    raise OSError("No space left on device")


def test_a_night_writes_both_files_apart_and_prunes_each_folder(tmp_path):
    data_dir, keys_dir = tmp_path / "data", tmp_path / "keys"
    data_dir.mkdir()
    keys_dir.mkdir()
    first_of_november = named("data", datetime(2026, 11, 1, 2, 0, 0, tzinfo=UTC))
    plant(data_dir, [first_of_november, named("data", days_ago(31)), named("data", days_ago(5)), "notes.txt"])
    plant(keys_dir, [named("keys", days_ago(35)), named("keys", days_ago(34))])
    report = run(writes(b"data"), writes(b"keys"), data_dir, keys_dir, NOW, Policy())
    assert report.written == [data_dir / named("data", NOW), keys_dir / named("keys", NOW)]
    assert (data_dir / named("data", NOW)).read_bytes() == b"data"
    assert (keys_dir / named("keys", NOW)).read_bytes() == b"keys"
    assert sorted(report.pruned) == sorted([data_dir / named("data", days_ago(31)),
                                            keys_dir / named("keys", days_ago(35))])
    assert sorted(os.listdir(data_dir)) == sorted([first_of_november, named("data", days_ago(5)), "notes.txt",
                                                   named("data", NOW)])
    assert sorted(os.listdir(keys_dir)) == sorted([named("keys", days_ago(34)), named("keys", NOW)])


@pytest.mark.parametrize("which", ["data", "keys"])
def test_a_failed_night_prunes_nothing_and_leaves_no_file_that_looks_like_a_backup(tmp_path, which):
    plant(tmp_path, [named("keys", days_ago(200)), named("data", days_ago(45))])
    before = sorted(os.listdir(tmp_path))
    write_data = failing if which == "data" else writes(b"data")
    write_keys = failing if which == "keys" else writes(b"keys")
    with pytest.raises(NightlyFailed, match="No space left on device"):
        run(write_data, write_keys, tmp_path, tmp_path, NOW, Policy())
    after = sorted(os.listdir(tmp_path))
    assert set(before) <= set(after), "nothing pruned"
    assert not any(name.endswith(".partial") for name in after)
    assert (named("keys", NOW) in after) is False
    assert (named("data", NOW) in after) is (which == "keys"), "a complete data backup stays"


def test_a_dry_run_writes_and_deletes_nothing(tmp_path):
    plant(tmp_path, [named("keys", days_ago(40))])
    report = run(failing, failing, tmp_path, tmp_path, NOW, Policy(), dry_run=True)
    assert [p.name for p in report.pruned] == [named("keys", days_ago(40))]
    assert os.listdir(tmp_path) == [named("keys", days_ago(40))]


def test_a_missing_folder_fails_before_anything_is_written(tmp_path):
    plant(tmp_path, [named("keys", days_ago(40))])
    with pytest.raises(NightlyFailed, match="does not exist"):
        run(writes(b"d"), writes(b"k"), tmp_path, tmp_path / "absent", NOW, Policy())
    assert os.listdir(tmp_path) == [named("keys", days_ago(40))]


def test_the_command_says_in_one_line_why_it_failed_and_exits_non_zero(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRA_BACKUP_KEYS_DAYS", "90")
    monkeypatch.setenv("NETRA_DB_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    done = CliRunner().invoke(backup_main, ["nightly", "--to", str(tmp_path), "--dry-run"])
    assert done.exit_code == 1
    assert done.output.strip().splitlines() == [
        "pencadangan malam gagal, tidak ada berkas yang dihapus: NETRA_BACKUP_KEYS_DAYS must be 1..35 (decision 0037), "
        "not 90"]


def test_the_command_dry_run_lists_what_it_would_write_and_prune_in_indonesian(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRA_DB_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    plant(tmp_path, [named("keys", datetime(2000, 1, 1, tzinfo=UTC))])
    done = CliRunner().invoke(backup_main, ["nightly", "--to", str(tmp_path), "--dry-run"])
    assert done.exit_code == 0, done.output
    assert f"akan dihapus: {tmp_path / named('keys', datetime(2000, 1, 1, tzinfo=UTC))}" in done.output
    assert "akan ditulis: " in done.output and "tidak ada yang diubah" in done.output
    assert os.listdir(tmp_path) == [named("keys", datetime(2000, 1, 1, tzinfo=UTC))]


def test_an_old_file_that_cannot_be_deleted_is_reported_and_the_others_still_go(tmp_path, monkeypatch):
    stuck, old = named("keys", days_ago(50)), named("keys", days_ago(60))
    plant(tmp_path, [stuck, old])
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name == stuck:
            raise PermissionError(13, "Permission denied")
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    report = run(writes(b"d"), writes(b"k"), tmp_path, tmp_path, NOW, Policy())
    assert report.pruned == [tmp_path / old]
    assert report.not_pruned == [f"{tmp_path / stuck}: Permission denied"]
    assert stuck in os.listdir(tmp_path) and old not in os.listdir(tmp_path)


def test_a_missing_backup_key_is_one_line_and_nothing_is_deleted(tmp_path, monkeypatch):
    monkeypatch.delenv("NETRA_BACKUP_KEY", raising=False)
    monkeypatch.setenv("NETRA_DB_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    plant(tmp_path, [named("keys", days_ago(40))])
    done = CliRunner().invoke(backup_main, ["nightly", "--to", str(tmp_path)])
    assert done.exit_code == 1
    assert done.output.strip().splitlines() == [
        "pencadangan malam gagal, tidak ada berkas yang dihapus: kunci cadangan tidak ada: isi NETRA_BACKUP_KEY "
        "atau beri --key-file"]
    assert os.listdir(tmp_path) == [named("keys", days_ago(40))]


def test_the_help_is_in_indonesian():
    done = subprocess.run([str(Path(sys.executable).parent / "netra-backup"), "nightly", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.startswith("Pemakaian: netra-backup nightly")
    for words in ("Pencadangan malam", "--keys-to", "--dry-run", "Tampilkan bantuan ini lalu keluar."):
        assert words in done.stdout
    assert "Usage" not in done.stdout and "Show this message" not in done.stdout
