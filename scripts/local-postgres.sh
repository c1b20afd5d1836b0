#!/usr/bin/env bash
# Installs (from Debian packages) and starts a local PostgreSQL 15 with pgvector 0.8 and pg_cron,
# then prints a DATABASE_URL as its last line. Idempotent: safe to run twice.
#
#   bash scripts/local-postgres.sh            # install if needed, start, print the URL
#   bash scripts/local-postgres.sh --replica  # also a streaming replica (DATABASE_READ_URL, on stderr)
#   MESH_PG_PORT=54322 MESH_PG_DB=mesh ...    # defaults shown
set -euo pipefail

REPLICA=0
for arg in "$@"; do
  case "$arg" in
    --replica) REPLICA=1 ;;
    *) echo "unknown argument: $arg (only --replica)" >&2; exit 2 ;;
  esac
done

PG_MAJOR=15
PORT="${MESH_PG_PORT:-54322}"
DB="${MESH_PG_DB:-mesh}"
CLUSTER="mesh"
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
EXT_DIR="/usr/share/postgresql/${PG_MAJOR}/extension"

log() { printf '[local-postgres] %s\n' "$*" >&2; }
need_root() {
  if [ "$(id -u)" != 0 ]; then
    log "this step needs root (apt-get, make install): run it with sudo"
    exit 1
  fi
}

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    apt-get update -qq >&2
    apt_updated=1
  fi
}

# 1. Server, headers for building pgvector, pg_cron.
missing=()
[ -x "/usr/lib/postgresql/${PG_MAJOR}/bin/postgres" ] || missing+=("postgresql-${PG_MAJOR}")
[ -f "/usr/include/postgresql/${PG_MAJOR}/server/postgres.h" ] || missing+=("postgresql-server-dev-${PG_MAJOR}")
[ -f "${EXT_DIR}/pg_cron.control" ] || missing+=("postgresql-${PG_MAJOR}-cron")
command -v dpkg-source >/dev/null || missing+=("dpkg-dev")
command -v make >/dev/null || missing+=("make")
command -v gcc >/dev/null || missing+=("gcc")
if [ "${#missing[@]}" -gt 0 ]; then
  need_root
  apt_update_once
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

# 2. pgvector >= 0.8 built from Debian's trixie source package against PostgreSQL 15.
vector_version() {
  sed -n "s/^default_version = '\(.*\)'/\1/p" "${EXT_DIR}/vector.control" 2>/dev/null || true
}
have="$(vector_version)"
if [ -z "$have" ] || [ "$(printf '%s\n0.8.0\n' "$have" | sort -V | head -1)" != "0.8.0" ]; then
  need_root
  # The mirror comes from the machine's own apt configuration; no host is written here.
  mirror="$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  if [ -z "$mirror" ]; then
    log "no URIs: line in /etc/apt/sources.list.d/debian.sources; cannot find a Debian mirror"
    exit 1
  fi
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/archives/partial"
  cat > "$work/trixie-src.sources" <<SRC
Types: deb-src
URIs: ${mirror}
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  aptopts=(-o "Dir::Etc::sourcelist=$work/trixie-src.sources" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::lists=$work/lists" -o "Dir::Cache::archives=$work/archives"
    -o "APT::Get::List-Cleanup=0")
  log "fetching pgvector source (trixie)"
  apt-get "${aptopts[@]}" update -qq >&2
  (cd "$work" && apt-get "${aptopts[@]}" source -qq --download-only pgvector >&2)
  (cd "$work" && dpkg-source -x --no-check ./pgvector_*.dsc src >/dev/null)
  log "building pgvector against PostgreSQL ${PG_MAJOR}"
  make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" >&2
  make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" install >&2
  log "pgvector $(vector_version) installed"
fi

# 3. A cluster of our own, with pg_cron preloaded.
if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "${PG_MAJOR}/${CLUSTER}"; then
  need_root
  log "creating cluster ${PG_MAJOR}/${CLUSTER} on port ${PORT}"
  pg_createcluster "$PG_MAJOR" "$CLUSTER" -p "$PORT" >&2
fi
# Rewritten on every run, so a cluster made by an older version of this script gets the current
# settings (and a restart when they changed). shared_buffers: the default 128 MB holds neither
# HNSW index at 100k users, and every buffer read from the OS cache showed in ANN latency. A
# server for a million users holds ~11 GB of hot data (vectors, their indexes, favorites):
# MESH_PG_SHARED_BUFFERS=10GB sizes this one for that benchmark, as such a server would be.
shared_buffers="${MESH_PG_SHARED_BUFFERS:-1GB}"
case "$shared_buffers" in
  *[!0-9A-Za-z]* | "") echo "MESH_PG_SHARED_BUFFERS must look like 1GB or 512MB" >&2; exit 2 ;;
esac
# A large shared_buffers wants huge pages: each backend otherwise takes a page fault on its first
# touch of every 4 kB of the buffer pool, and on this VM that cost 50-80 us each, a 15 ms k-NN at
# a million users measured 100-300 ms on each new viewer. PostgreSQL (huge_pages = try) uses them
# when the kernel has enough reserved; this reserves them for an explicitly sized pool.
if [ -n "${MESH_PG_SHARED_BUFFERS:-}" ]; then
  mb=$(echo "$shared_buffers" | awk '/^[0-9]+GB$/ {print $0 * 1024; next} /^[0-9]+MB$/ {print $0 + 0; next} {print 0}')
  pages=$(( (mb + mb / 20 + 64) / 2 ))
  if [ "$mb" -gt 0 ] && [ -w /proc/sys/vm/nr_hugepages ] && [ "$(cat /proc/sys/vm/nr_hugepages)" -lt "$pages" ]; then
    log "reserving ${pages} huge pages for shared_buffers ${shared_buffers}"
    pg_ctlcluster "$PG_MAJOR" "$CLUSTER" stop >&2 2>/dev/null || true
    echo "$pages" > /proc/sys/vm/nr_hugepages
  fi
fi
conf="/etc/postgresql/${PG_MAJOR}/${CLUSTER}/conf.d/mesh.conf"
wanted="shared_preload_libraries = 'pg_cron'
cron.database_name = '${DB}'
listen_addresses = '127.0.0.1'
max_connections = 200
shared_buffers = '${shared_buffers}'"
conf_changed=0
if [ "$(cat "$conf" 2>/dev/null)" != "$wanted" ]; then
  need_root
  printf '%s\n' "$wanted" > "$conf"
  conf_changed=1
fi
if ! pg_lsclusters -h | awk -v c="$CLUSTER" '$2==c{print $4}' | grep -qx online; then
  log "starting cluster ${PG_MAJOR}/${CLUSTER}"
  pg_ctlcluster "$PG_MAJOR" "$CLUSTER" start >&2
elif [ "$conf_changed" = 1 ]; then
  log "restarting cluster ${PG_MAJOR}/${CLUSTER} for its new settings"
  pg_ctlcluster "$PG_MAJOR" "$CLUSTER" restart >&2
fi

psql_admin() { runuser -u postgres -- psql -p "$PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_admin -d postgres -c "ALTER USER postgres PASSWORD 'postgres'" >/dev/null
for d in "$DB" "${DB}_test"; do
  if [ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname='${d}'")" != 1 ]; then
    log "creating database ${d}"
    psql_admin -d postgres -c "CREATE DATABASE \"${d}\"" >/dev/null
  fi
done

# 4. --replica: a hot standby of this cluster, streaming from it, on the next port. Modest
# buffers (MESH_PG_REPLICA_SHARED_BUFFERS, 256MB) so primary and replica fit beside the tests.
if [ "$REPLICA" = 1 ]; then
  RPORT="${MESH_PG_REPLICA_PORT:-$((PORT + 1))}"
  RCLUSTER="${CLUSTER}_replica"
  rdata="/var/lib/postgresql/${PG_MAJOR}/${RCLUSTER}"
  if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "${PG_MAJOR}/${RCLUSTER}"; then
    need_root
    log "creating replica ${PG_MAJOR}/${RCLUSTER} on port ${RPORT} (a base backup of ${CLUSTER})"
    pg_createcluster "$PG_MAJOR" "$RCLUSTER" -p "$RPORT" >&2
    rm -rf "$rdata"
    runuser -u postgres -- env PGPASSWORD=postgres "/usr/lib/postgresql/${PG_MAJOR}/bin/pg_basebackup" \
      -h 127.0.0.1 -p "$PORT" -U postgres -D "$rdata" -R -X stream -c fast >&2
  fi
  rconf="/etc/postgresql/${PG_MAJOR}/${RCLUSTER}/conf.d/mesh.conf"
  # A hot standby needs max_connections no lower than its primary's.
  rwanted="listen_addresses = '127.0.0.1'
hot_standby = on
max_connections = 200
shared_buffers = '${MESH_PG_REPLICA_SHARED_BUFFERS:-256MB}'"
  if [ "$(cat "$rconf" 2>/dev/null)" != "$rwanted" ]; then
    need_root
    printf '%s\n' "$rwanted" > "$rconf"
    pg_ctlcluster "$PG_MAJOR" "$RCLUSTER" stop >&2 2>/dev/null || true
  fi
  if ! pg_lsclusters -h | awk -v c="$RCLUSTER" '$2==c{print $4}' | grep -q online; then
    log "starting replica ${PG_MAJOR}/${RCLUSTER}"
    pg_ctlcluster "$PG_MAJOR" "$RCLUSTER" start >&2
  fi
  log "DATABASE_READ_URL=postgres://postgres:postgres@127.0.0.1:${RPORT}/${DB}"
fi

echo "postgres://postgres:postgres@127.0.0.1:${PORT}/${DB}"
