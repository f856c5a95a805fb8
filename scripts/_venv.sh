# Shared by scripts/run and scripts/test: make .venv with Python >= 3.11 and install the project.
# Usage: source scripts/_venv.sh [extras]
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
if [ ! -x .venv/bin/python ]; then
  PY="$(find_python)"
  echo "Creating .venv with $PY" >&2
  "$PY" -m venv .venv
fi
EXTRAS="${1:-}"
SPEC="."
[ -n "$EXTRAS" ] && SPEC=".[$EXTRAS]"
# Reinstall only when pyproject.toml changed since the last install.
STAMP=".venv/.cso-network-installed${EXTRAS:+-$EXTRAS}"
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "Installing cso-network ($SPEC) into .venv" >&2
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$SPEC" 2> >(grep -v "is ignored: it is neither" >&2)
  touch "$STAMP"
fi
