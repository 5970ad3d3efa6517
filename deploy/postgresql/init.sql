-- Paizhu's PostgreSQL database (distributed mode). Run once, as a superuser, with psql:
--
--   psql -v ON_ERROR_STOP=1 -v pg_password="$PAIZHU_PG_PASSWORD" -f deploy/postgresql/init.sql
--
-- One database; one schema per service (its event store, notification log, tracking and checkpoints);
-- the read models in the default schema `public`. The processes create their tables themselves
-- (CREATE ... IF NOT EXISTS), and a service creates its schema if missing: this file only makes the
-- role, the database and the schemas, so that nothing else on the server can reach them.
-- Optional per-process roles: deploy/README.md, "PostgreSQL".

CREATE ROLE paizhu LOGIN PASSWORD :'pg_password';
CREATE DATABASE paizhu OWNER paizhu ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE paizhu FROM PUBLIC;

\connect paizhu
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO paizhu;
-- events/topics.py SERVICES
CREATE SCHEMA IF NOT EXISTS ledgers AUTHORIZATION paizhu;
CREATE SCHEMA IF NOT EXISTS clues AUTHORIZATION paizhu;
CREATE SCHEMA IF NOT EXISTS inspections AUTHORIZATION paizhu;
CREATE SCHEMA IF NOT EXISTS units AUTHORIZATION paizhu;
