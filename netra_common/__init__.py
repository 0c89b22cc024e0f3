"""Pieces every Netra service shares: contracts, outbox, idempotent consumer, DB, config, logging."""

import warnings

# eventlet announces its maintenance mode on import; nameko 2.14 needs it regardless,
# and the notice would otherwise open every log and command's output.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
