#!/bin/sh
# Builds the Go original's load driver (main.go beside this script) inside a checkout of the Octopus repository,
# offline, from that repository's vendor/ directory. Nothing is downloaded.
#
#   build.sh OCTOPUS OUTPUT [REVISION]
#
# OCTOPUS  a checkout of the Octopus repository (a directory with go.mod and vendor/), or a git directory of it
#          (bare or not), from which REVISION (default HEAD) is extracted into a temporary directory.
# OUTPUT   the path of the binary to write.
#
# The checkout is not modified: main.go is laid over it as cmd/octopus-mqtt-load/main.go with `go build -overlay`.
set -eu

if [ $# -lt 2 ]; then
    echo "usage: $0 OCTOPUS-CHECKOUT-OR-GIT-DIR OUTPUT [REVISION]" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
source=$1
output=$2
revision=${3:-HEAD}
case $output in
    /*) ;;
    *) output=$(pwd)/$output ;;
esac

command -v go >/dev/null 2>&1 || { echo "$0: no Go toolchain on PATH (Debian: apt-get install golang-go)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -f "$source/go.mod" ]; then
    tree=$(cd "$source" && pwd)
elif git --git-dir="$source" rev-parse --verify --quiet "$revision^{commit}" >/dev/null 2>&1 \
    || git --git-dir="$source/.git" rev-parse --verify --quiet "$revision^{commit}" >/dev/null 2>&1; then
    gitdir=$source
    [ -d "$source/.git" ] && gitdir=$source/.git
    tree=$work/octopus
    mkdir -p "$tree"
    git --git-dir="$gitdir" archive "$revision" | tar -x -C "$tree"
    echo "extracted $(git --git-dir="$gitdir" rev-parse --short "$revision") of $source into $tree"
else
    echo "$0: $source is neither an Octopus checkout (no go.mod) nor a git directory with $revision" >&2
    exit 1
fi

[ -f "$tree/vendor/modules.txt" ] || { echo "$0: $tree has no vendor/modules.txt: the build must be offline" >&2; exit 1; }
grep -q '^module github.com/rancher/octopus$' "$tree/go.mod" || { echo "$0: $tree/go.mod is not module github.com/rancher/octopus" >&2; exit 1; }

printf '{"Replace":{"%s":"%s"}}\n' "$tree/cmd/octopus-mqtt-load/main.go" "$here/main.go" > "$work/overlay.json"

cd "$tree"
GOFLAGS=-mod=vendor GOPROXY=off GOSUMDB=off CGO_ENABLED=0 \
    go build -mod=vendor -overlay "$work/overlay.json" -trimpath -o "$output" ./cmd/octopus-mqtt-load
echo "built $output ($(go version | cut -d' ' -f3))"
