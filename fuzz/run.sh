#!/usr/bin/env bash
# Runs every fuzz target (each file in fuzz/src/bin/) for a bounded time.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); works on stable Rust with
# `-s none` (no sanitizer). Corpora grow in fuzz/corpus/TARGET (seeded from
# the repository's fixtures on the first run); a crash leaves its input in
# fuzz/artifacts/TARGET and makes this script exit 1. Reproduce one with
# `cargo fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-…`.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in fuzz/src/bin/*.rs; do
    t="$(basename "$f" .rs)"
    targets+=("$t")
  done
fi

# Seed corpora: definitions for the whole-file targets, paths for the path
# parsers. libFuzzer keeps what it finds next to them.
seed() {
  local target="$1" dir="fuzz/corpus/$1"
  [ -d "$dir" ] && return
  mkdir -p "$dir"
  case "$target" in
    json|lint_json)
      find tests/fixtures examples -name '*.json' -size -64k 2>/dev/null | head -n 300 |
        while read -r f; do cp "$f" "$dir/$(echo "$f" | tr '/' '_')"; done ;;
    yaml|lint_yaml)
      find tests/fixtures examples -name '*.yaml' -o -name '*.yml' 2>/dev/null | head -n 300 |
        while read -r f; do cp "$f" "$dir/$(echo "$f" | tr '/' '_')"; done ;;
    path)
      i=0
      for p in '$' '$.a.b' '$$.Execution.Id' '$var.x[0]' "\$.abc.['def ghi']" '$.a[?(@.b > 1)]' \
               '$..x[1:2:3]' '$[*].a' "\$['x','y']" '$.a[(@.length-1)]' '$.${Foo}.b'; do
        printf '%s' "$p" > "$dir/seed$i"; i=$((i + 1))
      done ;;
    jsonata)
      i=0
      for p in '$states.input.a' '$sum($states.input.items.price)' '{"a": 1, "b": [1..3]}' \
               'function($x){ $x * 2 }(3)' '$map($, λ($v, $i) { $v & $i })' 'a.b[c > 1].%.d' \
               '$x := 1; $y := $x + 1' '"s" ~> $uppercase()' '/ab+c/i' '$partition([1,2,3], 2)' \
               'a ? b : c' '$states.context.Execution.Id' '$fn := function($a)<n:n>{ $a }'; do
        printf '%s' "$p" > "$dir/seed$i"; i=$((i + 1))
      done ;;
    intrinsic)
      i=0
      for p in "States.Format('{} {}', \$.a, \$\$.b)" 'States.Array(1, true, null, $.x)' \
               "States.StringSplit(\$.s, ',')" 'States.MathAdd(States.ArrayLength($.a), -1)' \
               'States.UUID()' "States.Hash(\$.d, 'SHA-256')" "States.JsonMerge(\$.a, \$.b, false)"; do
        printf '%s' "$p" > "$dir/seed$i"; i=$((i + 1))
      done ;;
    *) printf 'x' > "$dir/seed0" ;;
  esac
}

status=0
for t in "${targets[@]}"; do
  seed "$t"
  echo "==> fuzzing $t for ${seconds}s"
  if ! cargo fuzz run -s none "$t" "fuzz/corpus/$t" -- \
      -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=65536 \
      -print_final_stats=1 2>&1 | tail -n 25; then
    echo "!! $t found a crash: see fuzz/artifacts/$t" >&2
    status=1
  fi
done
exit "$status"
