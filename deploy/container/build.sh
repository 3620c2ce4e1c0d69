#!/usr/bin/env bash
# Build the app image with podman from this checkout (the Dockerfile), on a base built from Debian's packages
# where no container registry is reachable (deploy/container/build-base.sh, built once and kept).
#
#   deploy/container/build.sh                         # -> localhost/kneeassess on localhost/kneeassess-base
#   BASE=python:3.11-slim deploy/container/build.sh   # on Docker Hub's image, where a registry is reachable
#
# Layers are kept (podman's cache): a rebuild after a code change reinstalls nothing; the host's pip cache is
# mounted into the build, so a dependency change downloads only what is new.
# Chroot isolation: the build's RUN steps need no OCI runtime (crun cannot set rlimits on these machines).
set -euo pipefail
cd "$(dirname "$0")/../.."
# One build at a time on a machine: a second call (e.g. the container test while .ci/run's early build still runs)
# waits, then finds every layer cached.
exec 9>"${TMPDIR:-/tmp}/kneeassess-image-build.lock"
flock 9
IMAGE="${IMAGE:-localhost/kneeassess}"
BASE="${BASE:-localhost/kneeassess-base}"
if [ "$BASE" = localhost/kneeassess-base ]; then
  deploy/container/build-base.sh
fi
PIP_CACHE_DIR="${PIP_CACHE_DIR:-$HOME/.cache/pip}"
mkdir -p "$PIP_CACHE_DIR"
MOUNTS=(--volume "$PIP_CACHE_DIR:/root/.cache/pip")
# Where HTTPS leaves through a proxy with its own certificate authority (the host's PIP_CERT, or CAs added in
# /usr/local/share/ca-certificates), pip in the build trusts the host's bundle: a pip.conf and the bundle are
# mounted for the build only (as root's ~/.config/pip), never copied into the image.
HOST_CA="${PIP_CERT:-}"
if [ -z "$HOST_CA" ] && compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  HOST_CA=/etc/ssl/certs/ca-certificates.crt
fi
if [ -n "$HOST_CA" ]; then
  CONF="$(mktemp -d)"
  trap 'rm -rf "$CONF"' EXIT
  cp "$HOST_CA" "$CONF/host-ca.crt"
  printf '[global]\ncert = /root/.config/pip/host-ca.crt\n' >"$CONF/pip.conf"
  chmod -R a+rX "$CONF"
  MOUNTS+=(--volume "$CONF:/root/.config/pip:ro")
fi
OLD="$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
podman build --isolation chroot --format docker --layers \
  --build-arg BASE="$BASE" --build-arg PIP_CACHE=on "${MOUNTS[@]}" \
  -t "$IMAGE" .
# The image this tag pointed to before goes (unless a container still uses it); the layers of the new one stay
# as the next build's cache.
NEW="$(podman image inspect --format '{{.Id}}' "$IMAGE")"
if [ -n "$OLD" ] && [ "$OLD" != "$NEW" ]; then
  podman rmi "$OLD" >/dev/null 2>&1 || true
fi
