#!/usr/bin/env bash
# The README's demo command: installs dependencies, builds, runs a demo
# election in the terminal (key ceremony, votes, count, checks), then starts
# the voter portal on http://127.0.0.1:8080 with a fresh demo election on the
# embedded store (SQLite). Ctrl+C stops the portal.
#   --no-serve   prepare everything but do not start the portal
#   other arguments go to `isoloir demo` (e.g. --voters 500)
set -euo pipefail
cd "$(dirname "$0")/.."
serve=1
args=()
for a in "$@"; do
  if [[ $a == --no-serve ]]; then serve=0; else args+=("$a"); fi
done
bash scripts/setup.sh
bash scripts/web-build.sh
bash scripts/build.sh release
isoloir=./build/release/src/cli/isoloir
"$isoloir" demo "${args[@]}"

data=data/demo-portal
rm -rf "$data"
echo
echo "== Voter portal: a demo election with 20 voters, prepared with the organiser's CLI"
ISOLOIR_PORTAL_URL=http://127.0.0.1:8080 bash scripts/portal-fixture.sh "$isoloir" "$data" 20
cat <<INFO
Demo credentials, as the voters received them:
  passwords (e-mails):     $data/maildir/new/
  security keys (letters): $data/letters/*.pdf
  the same, gathered for the demo only: $data/identifiants.csv
  (matricule;nom;prenom;naissance;cle;mot_de_passe;reassort;scrutins)
First voters:
INFO
if command -v column > /dev/null; then
  head -4 "$data/identifiants.csv" | column -t -s ';'
else
  head -4 "$data/identifiants.csv"
fi
if ((serve)); then
  echo
  exec "$isoloir" serve --data "$data" --address 127.0.0.1 --port 8080
fi
