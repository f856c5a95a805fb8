# Shared by scripts/run and scripts/test: make .venv with Python >= 3.11 and install the project.
# Usage: source scripts/_venv.sh [extras] [venv-folder] [floors]
# The venv folder defaults to .venv. With "floors" as third argument every dependency is pinned
# to its floor in pyproject.toml (scripts/floors.py writes the constraints), and the venv is
# made anew whenever the floors change, so that nothing from an earlier install stays in it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
find_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "cso-network needs Python 3.11 or newer; none found on PATH" >&2
  return 1
}
EXTRAS="${1:-}"
VENV="${2:-.venv}"
MODE="${3:-}"
make_venv() {
  local py
  py="$(find_python)"
  echo "Creating $VENV with $py" >&2
  "$py" -m venv "$VENV"
}
[ -x "$VENV/bin/python" ] || make_venv
SPEC="."
[ -n "$EXTRAS" ] && SPEC=".[$EXTRAS]"
pip_install() {
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$@" 2> >(grep -v "is ignored: it is neither" >&2)
}
# Reinstall only when pyproject.toml changed since the last install (the stamp keeps the floors).
STAMP="$VENV/.cso-network-installed${EXTRAS:+-$EXTRAS}"
if [ "$MODE" = floors ]; then
  FLOORS="$("$VENV/bin/python" scripts/floors.py)"
  if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" != "$FLOORS" ]; then
    echo "The dependency floors changed: making $VENV anew" >&2
    rm -rf "$VENV"
    make_venv
  fi
  if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
    echo "Installing cso-network ($SPEC) into $VENV, every dependency at its floor:" >&2
    printf '%s\n' "$FLOORS" | tee "$VENV/floors.txt" | sed 's/^/  /' >&2
    pip_install -e "$SPEC" -c "$VENV/floors.txt"
    printf '%s\n' "$FLOORS" > "$STAMP"
  fi
elif [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "Installing cso-network ($SPEC) into $VENV" >&2
  pip_install -e "$SPEC"
  touch "$STAMP"
fi
