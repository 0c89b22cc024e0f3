"""Secrets reach a process as files (docker secrets, NETRA_..._FILE), never on a command line:
netra_common.config.load_secret_files turns them into settings before anything reads one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netra_common.config import PATH_SETTINGS, SecretFileError, load_secret_files

ROOT = Path(__file__).resolve().parents[2]


def test_a_folder_of_secrets_gives_each_netra_setting_its_file_without_the_final_newline(tmp_path):
    (tmp_path / "NETRA_GRANT_SIGNING_KEY").write_text("c2lnbg==\n")
    (tmp_path / "README").write_text("not a setting")
    env = {"NETRA_SECRETS_DIR": str(tmp_path)}
    load_secret_files(env)
    assert env == {"NETRA_SECRETS_DIR": str(tmp_path), "NETRA_GRANT_SIGNING_KEY": "c2lnbg=="}


def test_a_file_variable_gives_its_setting_but_a_path_setting_stays_a_path(tmp_path):
    (tmp_path / "smtp").write_text("rahasia\n")
    env = {"NETRA_SMTP_PASSWORD_FILE": str(tmp_path / "smtp"),
           "NETRA_DOSSIER_SIGNING_KEY_FILE": "/netra-signing/dossier-signing.key"}
    load_secret_files(env)
    assert env["NETRA_SMTP_PASSWORD"] == "rahasia"
    assert "NETRA_DOSSIER_SIGNING_KEY" not in env


def test_passwords_go_into_the_urls_that_name_only_the_user_and_host(tmp_path):
    (tmp_path / "NETRA_DB_PASSWORD").write_text("p@ss/word")
    (tmp_path / "NETRA_AMQP_PASSWORD").write_text("kelinci")
    env = {"NETRA_SECRETS_DIR": str(tmp_path),
           "NETRA_DB_URL": "postgresql+psycopg2://netra_intake@/netra?host=db1:5432&host=db2:5432&target_session_attrs=read-write",
           "NETRA_AMQP_URI": "amqp://netra@mq1:5672/netra;amqp://netra@mq2:5672/netra"}
    load_secret_files(env)
    assert env["NETRA_DB_URL"] == ("postgresql+psycopg2://netra_intake:p%40ss%2Fword@/netra?host=db1:5432&host=db2:5432"
                                   "&target_session_attrs=read-write")
    assert env["NETRA_AMQP_URI"] == "amqp://netra:kelinci@mq1:5672/netra;amqp://netra:kelinci@mq2:5672/netra"


def test_a_secret_given_twice_differently_or_a_missing_file_refuses_to_start(tmp_path):
    (tmp_path / "NETRA_BACKUP_KEY").write_text("dari-berkas")
    with pytest.raises(SecretFileError, match="NETRA_BACKUP_KEY is set both"):
        load_secret_files({"NETRA_SECRETS_DIR": str(tmp_path), "NETRA_BACKUP_KEY": "dari-env"})
    with pytest.raises(SecretFileError, match="cannot read the secret file"):
        load_secret_files({"NETRA_SMTP_PASSWORD_FILE": str(tmp_path / "absent")})
    with pytest.raises(SecretFileError, match="not a folder"):
        load_secret_files({"NETRA_SECRETS_DIR": str(tmp_path / "absent")})


def test_every_netra_setting_that_is_a_path_is_known_as_one():
    read = {p for f in [ROOT / "netra_common" / "base_config.yaml", *ROOT.glob("services/*/config.yaml")]
            for p in re.findall(r"\b(NETRA_[A-Z0-9_]+_FILE)\b", f.read_text())}
    assert read and read <= PATH_SETTINGS
