#!/bin/sh
# Runs once, when the PostgreSQL volume is created: one database and one login role per agency
# (and one for the gateway's audit). Each role owns its database and nothing else; no other role
# may even connect to it. Passwords come from the environment (docker-compose.yml, .env). Each sorts
# text under the C collation: the same order for UTF-8 text, faster sorts (DATABASE_COLLATION, lib/database.ts).
set -eu
for agency in immigration manpower police oversight audit; do
  password_var=$(echo "${agency}_DB_PASSWORD" | tr '[:lower:]' '[:upper:]')
  eval password=\${$password_var:?$password_var must be set}
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE ${agency} LOGIN PASSWORD '${password}' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE ${agency} OWNER ${agency} LC_COLLATE 'C' TEMPLATE template0;
REVOKE ALL ON DATABASE ${agency} FROM PUBLIC;
SQL
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$agency" -c "REVOKE ALL ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO ${agency};"
done
