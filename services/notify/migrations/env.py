from alembic import context

from netra_common.migrate import run_env
from services.notify.adapters.tables import metadata

run_env(context, "notify", metadata)
