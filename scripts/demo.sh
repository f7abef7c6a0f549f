#!/usr/bin/env bash
# The main job, end to end, on this machine: install what is missing, build
# idc, start the bundled IAM Identity Center simulator (HTTPS, throw-away CA)
# and sign in against it as a person would, in a throw-away HOME so that
# your own ~/.aws is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash scripts/install-deps.sh
bash scripts/build.sh
idc=$root/build/idc

work=$(mktemp -d /tmp/idc-demo-XXXXXX)
sim_pid=
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

python3 tests/sim/idc_sim.py --tls --port 0 --accounts 12 --roles-per-account 3 \
  --ready-file "$work/ready.json" >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 100); do [ -s "$work/ready.json" ] && break; sleep 0.1; done
url=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$work/ready.json")
ca=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ca"])' "$work/ready.json")

export HOME=$work/home XDG_CACHE_HOME=$work/cache XDG_CONFIG_HOME=$work/xdg-config
export AWS_CA_BUNDLE=$ca AWS_ENDPOINT_URL_SSO_OIDC=$url AWS_ENDPOINT_URL_SSO=$url
# The "person": a browser that opens the page and approves the code.
export BROWSER="python3 $root/tests/sim/fake_browser.py"
mkdir -p "$HOME"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

echo "Simulator at $url (certificate authority $ca); HOME=$HOME"
step "$idc" --version
step "$idc" configure session --sso-session demo \
  --start-url https://d-1234567890.awsapps.com/start --sso-region us-east-1 \
  --non-interactive
step "$idc" login --sso-session demo --browser
step "$idc" status --output table
step "$idc" list-accounts --sso-session demo --output table
step "$idc" list-roles --sso-session demo --account-id 100000000001 --output table
step "$idc" populate --sso-session demo --template '{account_name|kebab}.{role_name}' --region eu-west-1
profile=$(awk -F'[][ ]' '/^\[profile /{print $3; exit}' "$HOME/.aws/config")
step "$idc" credential-process --profile "$profile"
step "$idc" exec --profile "$profile" -- sh -c 'echo "a child process sees AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID"'
step "$idc" status --output table
step "$idc" logout --sso-session demo
