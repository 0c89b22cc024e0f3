#!/bin/sh
# One login role per service, owning only its own schema: services never read each
# other's tables, and a leaked credential opens one schema, not four. The passwords are read
# from the secret files (docker-compose.yml) into psql variables: never on a command line.
set -eu
for service in intake evidence casework notify; do
  upper=$(echo "$service" | tr a-z A-Z)
  password=$(cat "/run/secrets/NETRA_${upper}_DB_PASSWORD")
  psql -v ON_ERROR_STOP=1 -v password="$password" --username postgres --dbname netra <<SQL
CREATE ROLE netra_${service} LOGIN PASSWORD :'password';
CREATE SCHEMA ${service} AUTHORIZATION netra_${service};
REVOKE ALL ON SCHEMA public FROM netra_${service};
SQL
done
