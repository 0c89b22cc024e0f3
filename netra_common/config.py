"""Loads a service's config.yaml with ${ENV_VAR:default} values, exactly as `nameko run` does."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from nameko.cli.main import setup_yaml_parser

SERVICES_DIR = Path(__file__).resolve().parent.parent / "services"
SERVICE_NAMES = ("intake", "evidence", "casework", "notify")

_parser_ready = False


def load_yaml_with_env(path: str | os.PathLike) -> dict:
    """Read a YAML file, substituting ${VAR:default} from the environment."""
    global _parser_ready
    if not _parser_ready:
        setup_yaml_parser()
        _parser_ready = True
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


BASE_CONFIG = Path(__file__).resolve().parent / "base_config.yaml"


def service_config_path(service: str) -> Path:
    return SERVICES_DIR / service / "config.yaml"


def load_service_config(service: str) -> dict:
    """What a service runs with: the shared base config, then its own config.yaml on top."""
    config = load_yaml_with_env(BASE_CONFIG)
    config.update(load_yaml_with_env(service_config_path(service)))
    config["LOGGING"]["formatters"]["event"]["service"] = service
    return config


def setting(config: dict, key: str, default=None, *, required: bool = False):
    """Read a key from a nameko config dict; a required key that is missing stops start-up."""
    if key in config and config[key] not in (None, ""):
        return config[key]
    if required:
        raise KeyError(f"configuration key {key} is required but not set")
    return default
