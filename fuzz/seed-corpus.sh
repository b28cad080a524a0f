#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with starting inputs: the repository's own .qml programs for the
# frontend and engine targets, the hand-written files of fuzz/seeds/ and the repository's JSON and
# CSV files for the params and csv targets, and every saved regression. Run it once before the
# first `cargo fuzz run`; running it again only adds files. The corpus is not committed.
set -euo pipefail
fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
repo_dir="$(dirname "$fuzz_dir")"
corpus="$fuzz_dir/corpus"
mkdir -p "$corpus"/{frontend,engine,params,csv}

# Copies each file to the target's corpus under a name that keeps where it came from.
copy_into() {
    local target="$1"
    shift
    for file in "$@"; do
        [ -f "$file" ] || continue
        local relative="${file#"$repo_dir"/}"
        cp "$file" "$corpus/$target/${relative//\//_}"
    done
}

shopt -s nullglob
programs=("$repo_dir"/examples/*.qml "$repo_dir"/tests/ui/*.qml "$repo_dir"/tests/lower/*.qml "$repo_dir"/tests/conformance/*.qml)
copy_into frontend "${programs[@]}"
copy_into engine "${programs[@]}"

# The engine target reads the bytes after a program's first NUL as input and param values, and a
# leading NUL asks it to generate a valid program from the bytes that follow.
for file in "$repo_dir"/tests/conformance/*.qml; do
    name="$(basename "$file" .qml)"
    { cat "$file"; printf '\000\002\377\100\200\371\001\000\060\220'; } > "$corpus/engine/values_$name"
done
for pattern in '\000' '\000\004\001\011\022\033\044\055\066\077\010\021\032\043\054\065\076' \
    '\000\003\002\014\014\014\014\015\015\017\017\012\012\013\013\013\011\011\011\010\010'; do
    printf "$pattern" > "$corpus/engine/generated_$(printf "$pattern" | od -An -tx1 | tr -d ' \n' | cut -c1-24)"
done

copy_into params "$fuzz_dir"/seeds/params/* "$repo_dir"/tests/conformance/*.json
copy_into csv "$fuzz_dir"/seeds/csv/* "$repo_dir"/examples/data/*.csv

for target in frontend engine params csv; do
    copy_into "$target" "$fuzz_dir"/regressions/"$target"/*
done

for target in frontend engine params csv; do
    echo "$target: $(find "$corpus/$target" -type f | wc -l) files in fuzz/corpus/$target"
done
