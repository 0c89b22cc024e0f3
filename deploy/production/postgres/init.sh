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

# The case key store (docs/decisions/0037): a schema no service owns, made here with its table (the
# columns of intake_0012, which finds it and does nothing), owned by a role nobody logs in as. Each
# service gets only what it needs: intake makes a complaint's key, casework reads it (the vault)
# and destroys it (the purge), notify reads it to open a reporter's contact as it sends.
psql -v ON_ERROR_STOP=1 --username postgres --dbname netra <<SQL
CREATE ROLE netra_keystore NOLOGIN;
CREATE SCHEMA keystore AUTHORIZATION netra_keystore;
CREATE TABLE keystore.case_keys (key_id uuid PRIMARY KEY, key bytea NOT NULL, created_at timestamptz NOT NULL);
ALTER TABLE keystore.case_keys OWNER TO netra_keystore;
REVOKE ALL ON SCHEMA keystore FROM PUBLIC;
REVOKE ALL ON keystore.case_keys FROM PUBLIC;
GRANT USAGE ON SCHEMA keystore TO netra_intake, netra_casework, netra_notify;
GRANT INSERT ON keystore.case_keys TO netra_intake;
GRANT SELECT, DELETE ON keystore.case_keys TO netra_casework;
GRANT SELECT ON keystore.case_keys TO netra_notify;
SQL
