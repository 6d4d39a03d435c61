#!/usr/bin/env bash
# Start the database servers the test-suites need, if they are not running:
# MariaDB (for the mysql5/mysql8 cells) and PostgreSQL (for the postgres
# cells). Idempotent; each server is skipped where it is not installed.
set -euo pipefail

log() { printf 'start-services: %s\n' "$*" >&2; }

mariadb_client() {
    if command -v mariadb >/dev/null 2>&1; then
        mariadb "$@"
    else
        mysql "$@"
    fi
}

mariadb_up() {
    mariadb_client -uroot -h 127.0.0.1 -e 'select 1' >/dev/null 2>&1 \
        || mariadb_client -uroot -e 'select 1' >/dev/null 2>&1
}

start_mariadb() {
    if [ ! -x /usr/sbin/mariadbd ]; then
        log "MariaDB: /usr/sbin/mariadbd not installed, skipped"
        return 0
    fi
    if mariadb_up; then
        log "MariaDB: running"
        return 0
    fi
    log "MariaDB: starting"
    if [ -d /run ] && [ ! -d /run/mysqld ]; then
        mkdir -p /run/mysqld
        if id mysql >/dev/null 2>&1; then chown mysql:mysql /run/mysqld; fi
    fi
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    for _ in $(seq 1 60); do
        if mariadb_up; then
            log "MariaDB: up"
            return 0
        fi
        sleep 1
    done
    log "MariaDB: not answering after 60 s"
    return 1
}

start_postgres() {
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -d /etc/postgresql ]; then
        log "PostgreSQL: pg_ctlcluster not installed, skipped"
        return 0
    fi
    if pg_isready -q -h 127.0.0.1; then
        log "PostgreSQL: running"
        return 0
    fi
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    log "PostgreSQL $version: starting"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 60); do
        if pg_isready -q -h 127.0.0.1; then
            log "PostgreSQL: up"
            return 0
        fi
        sleep 1
    done
    log "PostgreSQL: not answering after 60 s"
    return 1
}

start_mariadb
start_postgres
