#!/bin/sh
# Before any service starts (docker-compose.yml's `setup` job; the Ansible layout runs the same
# commands): each service's migrations as its own database role, the bus topology, the buckets
# (evidence with object lock). Idempotent. Every password comes from a file under /run/secrets,
# named in a NETRA_..._FILE variable: none is on a command line (docs/decisions/0029).
set -eu
secrets=${NETRA_SECRETS_ROOT:-/run/secrets}
for service in intake evidence casework notify; do
  upper=$(echo "$service" | tr a-z A-Z)
  NETRA_DB_URL="postgresql+psycopg2://netra_${service}@${NETRA_DB_LOCATION:-postgres/netra}" \
  NETRA_DB_PASSWORD_FILE="$secrets/NETRA_${upper}_DB_PASSWORD" \
    netra-migrate "$service"
done
NETRA_AMQP_PASSWORD_FILE=$secrets/RABBITMQ_PASSWORD netra-bus declare
NETRA_BACKUP_S3_ACCESS_KEY_FILE=$secrets/NETRA_ADMIN_S3_ACCESS_KEY \
NETRA_BACKUP_S3_SECRET_KEY_FILE=$secrets/NETRA_ADMIN_S3_SECRET_KEY \
  python -m netra_common.s3_deploy buckets
