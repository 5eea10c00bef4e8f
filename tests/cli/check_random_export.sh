#!/usr/bin/env bash
# check_random_export.sh VMSIM: a random case written with --export replays
# through `vmsim translate` (replay.sh) to exactly the answers it recorded.
set -eu
V=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$V" random --mode sv57 --seed 7 --translations 20000 --export "$dir" >/dev/null
for f in image.txt requests.txt expected.txt replay.sh; do [[ -s $dir/$f ]] || { echo "missing $f"; exit 1; }; done
grep -q '^ctl ' "$dir/requests.txt" || { echo "no control-bit changes in the requests"; exit 1; }
grep -q '^mem ' "$dir/requests.txt" || { echo "no PTE edits in the requests"; exit 1; }
sed "s|^vmsim |\"$V\" |" "$dir/replay.sh" > "$dir/replay_here.sh"
sh "$dir/replay_here.sh" > "$dir/got.txt"
if ! diff -q "$dir/expected.txt" "$dir/got.txt" >/dev/null; then
  echo "the replay differs:"; diff "$dir/expected.txt" "$dir/got.txt" | head; exit 1
fi
echo "ok: $(wc -l < "$dir/expected.txt") translations replayed to the recorded answers"
