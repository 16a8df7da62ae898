#!/usr/bin/env sh
# Refresh the locks (requirements/*.txt) from pyproject.toml, with uv (pip install uv).
#   sh requirements/refresh.sh            after changing a dependency in pyproject.toml: the
#                                         other versions stay as they are
#   sh requirements/refresh.sh --upgrade  to take the newest releases pyproject.toml allows, when
#                                         the drift run of .ci/run passes with them
# Every version for every platform, with hashes: pip installs only what the lock names.
set -eu
cd "$(dirname "$0")/.."
uv=$(command -v uv || echo .venv/bin/uv)
# publish (the workflow's: print and zim together) last, held to the versions print and zim just got.
for name in base print zim test publish; do
  extra=""
  case $name in
    base) ;;
    publish) extra="--extra print --extra zim -c requirements/print.txt -c requirements/zim.txt" ;;
    *) extra="--extra $name" ;;
  esac
  # shellcheck disable=SC2086
  "$uv" pip compile --quiet --universal --python-version 3.11 --generate-hashes \
    --custom-compile-command "sh requirements/refresh.sh" "$@" \
    pyproject.toml requirements/build.in $extra -o "requirements/$name.txt"
done
