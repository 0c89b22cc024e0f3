from alembic import context

from netra_common.migrate import run_env
from services.evidence.adapters.tables import metadata

run_env(context, "evidence", metadata)
