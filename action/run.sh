#!/usr/bin/env bash
# Runs `adlint check` for the GitHub Action (action.yml), taking its inputs without a shell's
# word splitting: each line of ADLINT_ARGS is one argument, kept as written (`Lumen Home` stays
# one argument, `drafts/**` keeps no quotes and is not expanded), except that a line holding a
# flag and its value (`--brand Lumen Home`) is split after the flag; each line of ADLINT_PATHS is
# one path, and a line with `*`, `?` or `[` is a glob this script expands (with `**`), never the
# runner's shell. With no paths, the working folder is checked for the file kinds adlint reads
# as exports (see ADLINT_DEFAULT_INCLUDE).
#
#   run.sh gate            annotations (--format github) and the job summary; exit as adlint
#   run.sh sarif FILE      SARIF to FILE with --exit-zero; exit 0 unless adlint could not run
#
# Environment: ADLINT (the binary, default `adlint`), ADLINT_ARGS, ADLINT_PATHS, and for the
# gate ADLINT_SARIF (a link to the SARIF results or the file's name, for the job summary).
set -uo pipefail

mode=${1:-gate}
adlint=${ADLINT:-adlint}

# Export kinds checked when no paths are given: not package.json, README.md or other files
# that happen to have an extension adlint reads.
default_include=(
  '**/*.csv' '**/*.tsv' '**/*.tab' '**/*.jsonl' '**/*.ndjson'
  '**/*.xlsx' '**/*.xlsm' '**/*.xls' '**/*.ods'
  '**/captions/**/*.txt' '**/captions/**/*.md'
)
default_exclude=('**/node_modules/**' '**/target/**' '**/vendor/**')

# The non-empty lines of $1, trimmed, without comment lines.
lines() {
  local text=$1 line
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    [ -z "$line" ] && continue
    case $line in '#'*) continue ;; esac
    printf '%s\n' "$line"
  done <<<"$text"
}

args=()
while IFS= read -r line; do
  case $line in
    # `--brand Lumen Home`: the flag, then the rest of the line as its one value.
    -*' '*)
      flag=${line%% *}
      case $flag in
        *=*) args+=("$line") ;;
        *)
          value=${line#* }
          value=${value#"${value%%[![:space:]]*}"}
          args+=("$flag" "$value")
          ;;
      esac
      ;;
    *) args+=("$line") ;;
  esac
done < <(lines "${ADLINT_ARGS:-}")

paths=()
shopt -s globstar nullglob
while IFS= read -r line; do
  case $line in
    *[*?[]*)
      if [ -e "$line" ]; then
        paths+=("$line")
      else
        # Expanded here, not split: IFS is empty, so only the glob applies.
        saved_ifs=$IFS
        IFS=
        matches=($line)
        IFS=$saved_ifs
        if [ ${#matches[@]} -eq 0 ]; then
          echo "adlint action: no file matches \`$line\`" >&2
          paths+=("$line")
        else
          paths+=("${matches[@]}")
        fi
      fi
      ;;
    *) paths+=("$line") ;;
  esac
done < <(lines "${ADLINT_PATHS:-}")
shopt -u globstar nullglob

if [ ${#paths[@]} -eq 0 ]; then
  paths=(.)
  has_include=false
  for a in "${args[@]}"; do
    case $a in --include|--include=*) has_include=true ;; esac
  done
  if [ "$has_include" = false ]; then
    for g in "${default_include[@]}"; do args+=(--include "$g"); done
    for g in "${default_exclude[@]}"; do args+=(--exclude "$g"); done
  fi
fi

case $mode in
  sarif)
    out=${2:?run.sh sarif FILE}
    status=0
    "$adlint" check --format sarif --exit-zero --no-progress "${args[@]}" -- "${paths[@]}" >"$out" || status=$?
    # Exit 2 (something could not be linted) is reported by the gate.
    if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then exit "$status"; fi
    exit 0
    ;;
  gate)
    exec "$adlint" check --format github --no-progress "${args[@]}" -- "${paths[@]}"
    ;;
  *)
    echo "adlint action: unknown mode \`$mode\` (gate or sarif)" >&2
    exit 2
    ;;
esac
