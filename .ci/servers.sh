#!/usr/bin/env bash
# Start or stop the two SPARQL servers the remote-backend tests run against, on loopback only:
#   Oxigraph server (PyPI package `oxigraph`), the light one, in memory;
#   Virtuoso Open Source 7 (Debian package `virtuoso-opensource`), the production-grade one.
#
# Usage:  .ci/servers.sh start     install if missing, start both, wait until they answer,
#                                  print `export ...` lines (also written to $STATE/env)
#         .ci/servers.sh stop      stop both and remove their private folders
#         .ci/servers.sh status    print the env file if the servers are up
#
#   eval "$(.ci/servers.sh start)"; pytest tests/test_remote.py; .ci/servers.sh stop
#
# Environment: TKG_SERVERS_DIR (state folder, default $TMPDIR/tkg-servers), TKG_PYTHON (a Python
# whose scripts folder may already hold `oxigraph`; otherwise it is installed into a private
# virtual environment in the state folder; default python3 on PATH), TKG_SERVERS=both|oxigraph|
# virtuoso (which to start, default both). Each server gets free ports and its own folder;
# nothing outside $TKG_SERVERS_DIR is written, apart from installing the packages.
set -euo pipefail

STATE="${TKG_SERVERS_DIR:-${TMPDIR:-/tmp}/tkg-servers}"
PY="${TKG_PYTHON:-python3}"
WHICH="${TKG_SERVERS:-both}"
log() { echo "servers.sh: $*" >&2; }

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_http() {  # URL SECONDS NAME: poll until the URL answers 200
  local url="$1" limit="$2" name="$3" i
  for ((i = 0; i < limit * 4; i++)); do
    if "$PY" - "$url" <<'EOF' 2>/dev/null; then return 0; fi
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
    sleep 0.25
  done
  log "$name did not answer at $url within ${limit}s"
  return 1
}

start_oxigraph() {
  local scripts bin port
  scripts="$("$PY" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
  bin="$scripts/oxigraph"
  if [[ ! -x "$bin" ]]; then
    bin="$(command -v oxigraph || true)"
  fi
  if [[ -z "$bin" || ! -x "$bin" ]]; then
    # Into a private virtual environment: works where the system Python is externally managed.
    log "installing the Oxigraph server (pip install oxigraph) into $STATE/venv"
    "$PY" -m venv "$STATE/venv" >&2
    "$STATE/venv/bin/pip" install --quiet oxigraph >&2
    bin="$STATE/venv/bin/oxigraph"
  fi
  port="$(free_port)"
  mkdir -p "$STATE/oxigraph"
  # In memory; --union-default-graph makes queries see every named graph, as Virtuoso does.
  nohup "$bin" serve --bind "127.0.0.1:$port" --union-default-graph \
    >"$STATE/oxigraph/server.log" 2>&1 &
  echo $! >"$STATE/oxigraph/pid"
  wait_http "http://127.0.0.1:$port/query?query=ASK%7B%7D" 30 "Oxigraph server"
  echo "export TKG_TEST_OXIGRAPH_URL=http://127.0.0.1:$port" >>"$STATE/env"
  log "Oxigraph server on http://127.0.0.1:$port (pid $(cat "$STATE/oxigraph/pid"))"
}

start_virtuoso() {
  local ini dir sqlport httpport
  if ! command -v virtuoso-t >/dev/null; then
    log "installing Virtuoso (apt-get install virtuoso-opensource)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq virtuoso-opensource >&2 \
      || { apt-get update -qq >&2 && apt-get install -y -qq virtuoso-opensource >&2; }
  fi
  ini="$(dpkg -L virtuoso-opensource-7 2>/dev/null | grep '/virtuoso.ini$' | head -n 1)"
  [[ -n "$ini" ]] || { log "cannot find the packaged virtuoso.ini"; return 1; }
  dir="$STATE/virtuoso"
  mkdir -p "$dir/db" "$dir/load"
  sqlport="$(free_port)"
  httpport="$(free_port)"
  # The packaged ini with a private database folder, loopback ports, the load folder allowed
  # for the bulk loader, no 10,000-row cap on results and a moderate buffer pool (~800 MB).
  sed -e "s#/var/lib/virtuoso-opensource-7/db#$dir/db#g" \
      -e "/^\[Parameters\]/,/^\[/ s#^ServerPort[[:space:]]*=.*#ServerPort = 127.0.0.1:$sqlport#" \
      -e "/^\[HTTPServer\]/,/^\[/ s#^ServerPort[[:space:]]*=.*#ServerPort = 127.0.0.1:$httpport#" \
      -e "s#^DefaultHost[[:space:]]*=.*#DefaultHost = 127.0.0.1:$httpport#" \
      -e "s#^DirsAllowed[[:space:]]*=.*#DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, $dir/load#" \
      -e "s#^NumberOfBuffers[[:space:]]*=.*#NumberOfBuffers = 100000#" \
      -e "s#^MaxDirtyBuffers[[:space:]]*=.*#MaxDirtyBuffers = 75000#" \
      -e "s#^ResultSetMaxRows[[:space:]]*=.*#ResultSetMaxRows = 100000000#" \
      -e "s#^MaxQueryExecutionTime[[:space:]]*=.*#MaxQueryExecutionTime = 600#" \
      -e "/^Load[0-9][[:space:]]*=/d" \
      "$ini" >"$dir/virtuoso.ini"
  nohup virtuoso-t -f -c "$dir/virtuoso.ini" >"$dir/server.log" 2>&1 &
  echo $! >"$dir/pid"
  wait_http "http://127.0.0.1:$httpport/sparql?query=ASK%7B%7D" 90 "Virtuoso"
  # Let anonymous SPARQL clients on loopback update (SPARQL Update and Graph Store Protocol).
  isql-vt "127.0.0.1:$sqlport" dba dba \
    exec='GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('"'"'nobody'"'"', 7);' \
    >"$dir/grant.log" 2>&1 || { log "granting SPARQL_UPDATE failed (see $dir/grant.log)"; return 1; }
  {
    echo "export TKG_TEST_VIRTUOSO_URL=http://127.0.0.1:$httpport/sparql"
    echo "export TKG_TEST_VIRTUOSO_ISQL=127.0.0.1:$sqlport"
    echo "export TKG_TEST_VIRTUOSO_LOAD_DIR=$dir/load"
  } >>"$STATE/env"
  log "Virtuoso on http://127.0.0.1:$httpport/sparql, SQL port $sqlport (pid $(cat "$dir/pid"))"
}

stop_one() {  # NAME: stop the server whose pid file is in $STATE/NAME
  local pidfile="$STATE/$1/pid" pid i
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop() {
  stop_one oxigraph
  stop_one virtuoso
  rm -rf "$STATE"
}

case "${1:-}" in
  start)
    if [[ -f "$STATE/env" ]]; then stop; fi
    mkdir -p "$STATE"
    : >"$STATE/env"
    trap 'log "start failed; stopping what was started"; stop' ERR
    case "$WHICH" in
      both) start_oxigraph; start_virtuoso ;;
      oxigraph) start_oxigraph ;;
      virtuoso) start_virtuoso ;;
      *) log "TKG_SERVERS must be both, oxigraph or virtuoso, not '$WHICH'"; exit 2 ;;
    esac
    trap - ERR
    echo "export TKG_SERVERS_DIR=$STATE" >>"$STATE/env"
    cat "$STATE/env"
    ;;
  stop) stop ;;
  status) if [[ -f "$STATE/env" ]]; then cat "$STATE/env"; else log "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
