"""Pieces every Netra service shares: contracts, outbox, idempotent consumer, DB, config, logging."""

import warnings

# eventlet announces its maintenance mode on import; nameko 2.14 needs it regardless,
# and the notice would otherwise open every log and command's output.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

# Every Netra process (a service, a netra-* command) imports this package first: secrets given as
# files (NETRA_SECRETS_DIR, NAME_FILE) are settings before anything reads one.
from netra_common.config import load_secret_files  # noqa: E402

load_secret_files()
