#!/usr/bin/env bash
# Breaks a cluster on purpose, by hand: runs chaos scenarios' setup.sh against KUBECONFIG (or the current context).
#   chaos/break.sh list                  what each scenario breaks
#   chaos/break.sh 01 crashloop ...      set up scenarios by number or (part of) name
#   chaos/break.sh all | random          every scenario, or one picked at random
#   chaos/break.sh clean [SCENARIO...]   run cleanup.sh (of all scenarios when none is named)
# CHAOS_SCENARIOS=DIR uses another folder of scenarios in the same format.
set -uo pipefail
dir="${CHAOS_SCENARIOS:-$(cd "$(dirname "$0")" && pwd)/scenarios}"
[ -d "$dir" ] || { echo "break.sh: no scenarios folder at $dir" >&2; exit 2; }
command -v kubectl >/dev/null || { echo "break.sh: kubectl is not on PATH" >&2; exit 2; }

mapfile -t all < <(find "$dir" -mindepth 1 -maxdepth 1 -type d -exec test -f '{}/setup.sh' ';' -printf '%f\n' | sort)
[ "${#all[@]}" -gt 0 ] || { echo "break.sh: no scenario (a folder with setup.sh) in $dir" >&2; exit 2; }

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; }

# Scenarios matching a word: the exact folder name, its number (01), or a part of its name.
resolve() {
  local word=$1 s found=()
  for s in "${all[@]}"; do
    if [[ "$word" =~ ^[0-9]+$ ]]; then [[ "${s%%-*}" =~ ^[0-9]+$ ]] && ((10#${s%%-*} == 10#$word)) && found+=("$s")
    elif [ "$s" = "$word" ] || [[ "$s" == *"$word"* ]]; then found+=("$s"); fi
  done
  [ "${#found[@]}" -gt 0 ] || { echo "break.sh: no scenario matches \"$word\" (see: break.sh list)" >&2; return 1; }
  printf '%s\n' "${found[@]}"
}

run_step() { # run_step SCENARIO SCRIPT
  local s=$1 script=$2 start=$SECONDS
  echo "== $s: $script"
  if bash "$dir/$s/$script"; then echo "   ok ($((SECONDS - start)) s)"; return 0; fi
  echo "   FAILED: $s/$script (exit $?)" >&2
  return 1
}

[ $# -gt 0 ] || { usage; exit 2; }
case "$1" in
  -h | --help | help) usage; exit 0 ;;
  list)
    for s in "${all[@]}"; do
      line=$(head -n 1 "$dir/$s/README.md" 2>/dev/null || true)
      expect=$(grep -o '"expect"[^,}]*' "$dir/$s/expected.json" 2>/dev/null | sed 's/.*: *"\(.*\)"/\1/')
      printf '%-32s %-9s %s\n' "$s" "${expect:-?}" "$line"
    done
    exit 0 ;;
esac

action=setup.sh
if [ "$1" = clean ]; then action=cleanup.sh; shift; [ $# -gt 0 ] || set -- all; fi
selected=()
for word in "$@"; do
  case "$word" in
    all) selected+=("${all[@]}") ;;
    random) selected+=("${all[RANDOM % ${#all[@]}]}") ;;
    *) matches=$(resolve "$word") || exit 2; mapfile -t -O "${#selected[@]}" selected <<<"$matches" ;;
  esac
done
failed=0
for s in "${selected[@]}"; do run_step "$s" "$action" || failed=$((failed + 1)); done
[ "$action" = setup.sh ] && [ "$failed" = 0 ] && echo "broken: ${selected[*]}; undo with: $0 clean ${selected[*]}"
exit $((failed > 0))
