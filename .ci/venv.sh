# Shared set-up for .ci/app and .ci/test. Source it; do not run it.
#
# Everything here is idempotent: a second run with unchanged requirement files only checks
# and returns in about a second. The virtual environment lives in .venv at the repo root.
#
#   section TITLE                        print a clear header
#   ensure_venv                          create .venv (installs Debian's python3-venv if needed)
#   ensure_requirements FILE...          pip install -r FILE...; skipped when a stamp in .venv
#                                        shows the same files were installed before
#   ensure_chromium                      install Debian's chromium if /usr/bin/chromium is missing
#   ensure_nginx                         install Debian's nginx (for tests/bench/cluster) if there is none
#
# Variables: PYTHON (interpreter used to create .venv, default python3),
#            CHROMIUM_PATH (browser for the browser tests, default /usr/bin/chromium).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
VPY="$VENV/bin/python"
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export CHROMIUM_PATH
_APT_UPDATED=""

section() {
    printf '\n==== %s ====\n' "$*"
}

die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# Run apt-get as root: directly when we are root, else through sudo (non-interactive when
# there is no terminal to type a password into, e.g. in CI).
_apt_get() {
    local prefix=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            if [ -t 0 ]; then prefix=(sudo); else prefix=(sudo -n); fi
        else
            die "need root (or sudo) to run: apt-get $*"
        fi
    fi
    "${prefix[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; please install: $*"
    if [ -z "$_APT_UPDATED" ]; then
        echo "apt-get update"
        _apt_get update -qq
        _APT_UPDATED=1
    fi
    echo "apt-get install $*"
    _apt_get install -y -qq "$@"
}

# True when .venv holds a working Python 3.11+ with pip.
_venv_ok() {
    [ -x "$VPY" ] && "$VPY" -c 'import sys, pip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

ensure_venv() {
    _venv_ok && return 0
    local py="${PYTHON:-python3}"
    command -v "$py" >/dev/null 2>&1 || die "$py not found; install Python 3.11 or newer"
    "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "$py is $("$py" -c 'import sys; print(sys.version.split()[0])'); Python 3.11 or newer is needed"
    echo "creating .venv with $("$py" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
    rm -rf "$VENV"
    if ! "$py" -m venv "$VENV" >/dev/null 2>&1; then
        # Debian ships venv's ensurepip separately, as python3-venv / python3.X-venv.
        rm -rf "$VENV"
        local ver
        ver="$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
        apt_install python3-venv || apt_install "python${ver}-venv"
        "$py" -m venv "$VENV" || { rm -rf "$VENV"; die "could not create .venv"; }
    fi
    _venv_ok || die ".venv was created but has no working pip"
}

ensure_requirements() {
    local f
    for f in "$@"; do [ -f "$REPO_ROOT/$f" ] || die "missing $f"; done
    # The stamp covers the files' contents and the interpreter, so editing a requirement
    # file (or recreating .venv with another Python) triggers a reinstall.
    local hash stamp
    hash="$( { "$VPY" -c 'import sys; print(sys.version)'; for f in "$@"; do echo "== $f"; cat "$REPO_ROOT/$f"; done; } \
        | sha256sum | cut -d' ' -f1)"
    stamp="$VENV/.requirements-$(printf '%s_' "$@" | tr '/.' '--').sha256"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
        echo "requirements unchanged since the last install ($*): skipping pip"
        return 0
    fi
    local args=()
    for f in "$@"; do args+=(-r "$REPO_ROOT/$f"); done
    echo "pip install -r ${*// / -r }"
    "$VPY" -m pip install --quiet --disable-pip-version-check --no-input "${args[@]}"
    echo "$hash" >"$stamp"
}

ensure_chromium() {
    if [ -x "$CHROMIUM_PATH" ]; then
        echo "chromium: $CHROMIUM_PATH"
        return 0
    fi
    if [ "$CHROMIUM_PATH" = /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
        apt_install chromium
        [ -x "$CHROMIUM_PATH" ] && { echo "chromium: $CHROMIUM_PATH"; return 0; }
    fi
    echo "WARNING: no Chromium at $CHROMIUM_PATH; browser tests will be skipped (and fail under CI)." >&2
}

# tests/bench/cluster runs its own nginx (own config, ports and logs in a temp dir); Debian's package
# puts the binary in /usr/sbin, which a normal user's PATH may lack.
_nginx_path() {
    command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }
}

ensure_nginx() {
    local found
    found="$(_nginx_path)" || true
    if [ -z "$found" ] && command -v apt-get >/dev/null 2>&1; then
        apt_install nginx
        found="$(_nginx_path)" || true
    fi
    if [ -n "$found" ]; then
        echo "nginx: $found"
        return 0
    fi
    echo "WARNING: no nginx; tests/bench/cluster will be skipped (and fail under CI)." >&2
}
