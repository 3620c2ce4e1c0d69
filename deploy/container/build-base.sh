#!/usr/bin/env bash
# A minimal Debian bookworm image with Python 3.11 (python3, python3-venv, ca-certificates), built from Debian's
# packages with debootstrap and imported into podman as `kneeassess-base`: for machines that reach Debian's
# mirror but no container registry (the Dockerfile's default base is python:3.11-slim from Docker Hub).
#
#   deploy/container/build-base.sh            # builds once: skipped when the image is already there
#   podman build --build-arg BASE=localhost/kneeassess-base -t kneeassess .
#
# Needs root, debootstrap and podman. BASE_IMAGE names the image; MIRROR the Debian mirror; REBUILD=1 rebuilds.
set -euo pipefail
IMAGE="${BASE_IMAGE:-localhost/kneeassess-base}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
if [ "${REBUILD:-0}" != 1 ] && podman image exists "$IMAGE"; then
  echo "[base] $IMAGE present: skipped (REBUILD=1 to rebuild)"
  exit 0
fi
ROOTFS="$(mktemp -d /var/tmp/kneeassess-base.XXXXXX)"
trap 'rm -rf "$ROOTFS"' EXIT
echo "[base] debootstrap bookworm into $ROOTFS"
# minbase: essential packages + apt only; the host's apt cache (if any) saves downloads.
CACHE=()
[ -d /var/cache/apt/archives ] && CACHE=(--cache-dir=/var/cache/apt/archives)
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates "${CACHE[@]}" \
  bookworm "$ROOTFS" "$MIRROR" >/dev/null
# Keep it small: no package lists, no apt/deb caches, no docs or man pages.
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/* "$ROOTFS"/usr/share/doc/* \
       "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/var/log/*.log
echo "[base] importing as $IMAGE"
tar --numeric-owner -C "$ROOTFS" -c . | podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["/bin/bash"]' - "$IMAGE" >/dev/null
podman image ls "$IMAGE"
