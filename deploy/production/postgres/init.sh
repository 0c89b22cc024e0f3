#!/bin/sh
# One login role per service, owning only its own schema: services never read each
# other's tables, and a leaked credential opens one schema, not four.
set -eu
for service in intake evidence casework notify; do
  password_var="NETRA_$(echo "$service" | tr a-z A-Z)_DB_PASSWORD"
  password=$(eval echo "\$$password_var")
  psql -v ON_ERROR_STOP=1 --username postgres --dbname netra <<SQL
CREATE ROLE netra_${service} LOGIN PASSWORD '${password}';
CREATE SCHEMA ${service} AUTHORIZATION netra_${service};
REVOKE ALL ON SCHEMA public FROM netra_${service};
SQL
done
