# Sourced by the scripts that compare with ccusage: sets $ccusage to ccusage 20.0.24, installing it
# into $CCUSAGE_PREFIX (default ~/.cache/catsyphon/ccusage-20.0.24) on first use.
prefix="${CCUSAGE_PREFIX:-$HOME/.cache/catsyphon/ccusage-20.0.24}"
ccusage="$prefix/node_modules/.bin/ccusage"
if [[ ! -x "$ccusage" ]]; then
  echo "installing ccusage@20.0.24 into $prefix" >&2
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund ccusage@20.0.24 >/dev/null
fi
