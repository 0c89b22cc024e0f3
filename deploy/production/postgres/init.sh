#!/bin/sh
# One login role per service, owning only its own schema: services never read each
# other's tables, and a leaked credential opens one schema, not four. psql reads each password
# from its secret file itself (\set with a backquoted cat): it is never a process's argument.
set -eu
for service in intake evidence casework notify; do
  upper=$(echo "$service" | tr a-z A-Z)
  psql -v ON_ERROR_STOP=1 --username postgres --dbname netra <<SQL
\\set password \`cat /run/secrets/NETRA_${upper}_DB_PASSWORD\`
CREATE ROLE netra_${service} LOGIN PASSWORD :'password';
CREATE SCHEMA ${service} AUTHORIZATION netra_${service};
REVOKE ALL ON SCHEMA public FROM netra_${service};
SQL
done
