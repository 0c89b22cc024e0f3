from alembic import context

from netra_common.migrate import run_env
from services.casework.adapters.tables import metadata

run_env(context, "casework", metadata)
