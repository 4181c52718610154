#!/usr/bin/env bash
# Ensures the PostgreSQL 15 server that Fabric's tests use is running, idempotently:
#   - listens on 127.0.0.1:55432 (a dedicated cluster, separate from any "main" cluster),
#   - has a login role fabric/fabric that may CREATEDB,
#   - allows at least 200 connections.
# Prints the connection string on stdout. Tests read FABRIC_TEST_PG if set, else that string.
#
# Creating or starting the cluster needs root. If the server is already up and correctly set up,
# any user may run this script (it then only checks).
#
# Preferred setup: Debian's postgresql-common (pg_createcluster 15 fabric / pg_ctlcluster).
# Fallback when postgresql-common is absent: initdb into /var/tmp/fabric-pg, owned by postgres.
set -euo pipefail

PG_VERSION=15
PG_HOST=127.0.0.1
PG_PORT=55432
CLUSTER=fabric
MIN_CONNECTIONS=200
WANT_CONNECTIONS=300
FALLBACK_DIR=/var/tmp/fabric-pg
PGBIN=/usr/lib/postgresql/${PG_VERSION}/bin
CONN_STRING="Host=${PG_HOST};Port=${PG_PORT};Username=fabric;Password=fabric;Database=postgres"
WAIT_SECONDS=60

log() { echo "start-postgres.sh: $*" >&2; }
die() {
    echo "start-postgres.sh: ERROR: $*" >&2
    echo "start-postgres.sh: the tests need PostgreSQL ${PG_VERSION} on ${PG_HOST}:${PG_PORT}" \
         "(role fabric/fabric with CREATEDB), or FABRIC_TEST_PG pointing at such a server." >&2
    exit 1
}

[ -x "${PGBIN}/postgres" ] && [ -x "${PGBIN}/pg_isready" ] && [ -x "${PGBIN}/psql" ] ||
    die "PostgreSQL ${PG_VERSION} server binaries not found in ${PGBIN}." \
        "Install them (Debian 12: apt-get install -y postgresql)."

is_ready() { "${PGBIN}/pg_isready" -q -h "${PG_HOST}" -p "${PG_PORT}"; }

# Prints "ok" when the fabric role can log in over TCP, may CREATEDB and max_connections is enough.
fabric_check() {
    PGPASSWORD=fabric PGCONNECT_TIMEOUT=5 "${PGBIN}/psql" -X -q -A -t \
        -h "${PG_HOST}" -p "${PG_PORT}" -U fabric -d postgres \
        -c "select case when r.rolcreatedb and current_setting('max_connections')::int >= ${MIN_CONNECTIONS}
                        then 'ok' else 'not ok' end
              from pg_roles r where r.rolname = current_user" 2>/dev/null || true
}

finish() {
    echo "${CONN_STRING}"
    exit 0
}

# Fast path: already running and set up (works without root, e.g. on a developer machine).
if is_ready && [ "$(fabric_check)" = "ok" ]; then
    log "PostgreSQL is already running on ${PG_HOST}:${PG_PORT} and set up."
    finish
fi

[ "$(id -u)" -eq 0 ] ||
    die "PostgreSQL on ${PG_HOST}:${PG_PORT} is not running or not set up, and setting it up needs root." \
        "Run: sudo $0"

id postgres >/dev/null 2>&1 || die "the system user 'postgres' does not exist (is the postgresql package installed?)."

as_postgres() { runuser -u postgres -- "$@"; }

wait_ready() {
    local i
    for ((i = 0; i < WAIT_SECONDS; i++)); do
        if is_ready; then return 0; fi
        sleep 1
    done
    return 1
}

if command -v pg_createcluster >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null 2>&1; then
    MODE=cluster
    SOCKET_DIR=/var/run/postgresql
    LOG_FILE=/var/log/postgresql/postgresql-${PG_VERSION}-${CLUSTER}.log
    install -d -o postgres -g postgres -m 2775 "${SOCKET_DIR}"

    cluster_status() { pg_lsclusters -h | awk -v v="${PG_VERSION}" -v c="${CLUSTER}" '$1 == v && $2 == c { print $4 }'; }

    CONF_DIR=/etc/postgresql/${PG_VERSION}/${CLUSTER}
    if [ -z "$(cluster_status)" ]; then
        log "creating cluster ${PG_VERSION}/${CLUSTER} on port ${PG_PORT}"
        pg_createcluster --locale C.UTF-8 --encoding UTF8 --start-conf auto \
            "${PG_VERSION}" "${CLUSTER}" --port "${PG_PORT}" >&2 ||
            die "pg_createcluster ${PG_VERSION} ${CLUSTER} failed."
    fi

    # Our settings live in a drop-in that is rewritten on every run (idempotent). A change to it
    # means a restart, since port, listen_addresses and max_connections cannot be reloaded.
    grep -Eq "^[[:space:]]*include_dir[[:space:]]*=?[[:space:]]*'conf.d'" "${CONF_DIR}/postgresql.conf" ||
        echo "include_dir = 'conf.d'" >>"${CONF_DIR}/postgresql.conf"
    install -d -o postgres -g postgres -m 0755 "${CONF_DIR}/conf.d"
    DROP_IN=${CONF_DIR}/conf.d/50-fabric-tests.conf
    DROP_IN_NEW=$(mktemp)
    cat >"${DROP_IN_NEW}" <<EOF
# Written by Fabric's tests/pg/start-postgres.sh; rewritten on every run.
listen_addresses = '${PG_HOST}'
port = ${PG_PORT}
max_connections = ${WANT_CONNECTIONS}
EOF
    CONFIG_CHANGED=no
    if ! cmp -s "${DROP_IN_NEW}" "${DROP_IN}"; then
        install -o postgres -g postgres -m 0644 "${DROP_IN_NEW}" "${DROP_IN}"
        CONFIG_CHANGED=yes
    fi
    rm -f "${DROP_IN_NEW}"

    case "$(cluster_status)" in
        online*)
            if [ "${CONFIG_CHANGED}" = yes ] || ! is_ready; then
                log "restarting cluster ${PG_VERSION}/${CLUSTER} to apply its settings"
                pg_ctlcluster "${PG_VERSION}" "${CLUSTER}" restart >&2 ||
                    die "pg_ctlcluster ${PG_VERSION} ${CLUSTER} restart failed; see ${LOG_FILE}."
            fi
            ;;
        *)
            log "starting cluster ${PG_VERSION}/${CLUSTER}"
            pg_ctlcluster "${PG_VERSION}" "${CLUSTER}" start >&2 ||
                die "pg_ctlcluster ${PG_VERSION} ${CLUSTER} start failed; see ${LOG_FILE}."
            ;;
    esac
else
    MODE=initdb
    SOCKET_DIR=${FALLBACK_DIR}/run
    LOG_FILE=${FALLBACK_DIR}/server.log
    DATA_DIR=${FALLBACK_DIR}/data
    install -d -o postgres -g postgres -m 0700 "${FALLBACK_DIR}" "${SOCKET_DIR}"
    if [ ! -s "${DATA_DIR}/PG_VERSION" ]; then
        log "initialising ${DATA_DIR}"
        as_postgres "${PGBIN}/initdb" -D "${DATA_DIR}" --locale=C.UTF-8 --encoding=UTF8 \
            --auth-local=peer --auth-host=scram-sha-256 >&2 || die "initdb into ${DATA_DIR} failed."
    fi
    if ! as_postgres "${PGBIN}/pg_ctl" -D "${DATA_DIR}" status >/dev/null 2>&1; then
        log "starting server in ${DATA_DIR}"
        as_postgres "${PGBIN}/pg_ctl" -D "${DATA_DIR}" -l "${LOG_FILE}" -w -t "${WAIT_SECONDS}" start \
            -o "-p ${PG_PORT} -c listen_addresses=${PG_HOST} -c max_connections=${WANT_CONNECTIONS} -k ${SOCKET_DIR}" >&2 ||
            die "pg_ctl start failed; see ${LOG_FILE}."
    fi
fi

wait_ready || die "the server did not accept connections on ${PG_HOST}:${PG_PORT} within ${WAIT_SECONDS} s ($MODE mode); see ${LOG_FILE}."

ROLE_SQL="DO \$\$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fabric') THEN
        CREATE ROLE fabric LOGIN CREATEDB PASSWORD 'fabric';
    ELSE
        ALTER ROLE fabric LOGIN CREATEDB PASSWORD 'fabric';
    END IF;
END
\$\$;"
as_postgres "${PGBIN}/psql" -X -q -v ON_ERROR_STOP=1 -h "${SOCKET_DIR}" -p "${PG_PORT}" -d postgres -c "${ROLE_SQL}" >&2 ||
    die "could not create or update the role 'fabric'; see ${LOG_FILE}."

[ "$(fabric_check)" = "ok" ] ||
    die "the server runs, but the role 'fabric' cannot log in over TCP on ${PG_HOST}:${PG_PORT}" \
        "with password authentication, or max_connections < ${MIN_CONNECTIONS}. Check pg_hba.conf and ${LOG_FILE}."

log "PostgreSQL ${PG_VERSION} is ready on ${PG_HOST}:${PG_PORT} (${MODE} mode)."
finish
