#!/usr/bin/env bash
# The main job, end to end, on this machine: install what is missing, build
# idc, start the bundled IAM Identity Center simulator (HTTPS, throw-away CA)
# and sign in against it as a person would, in a throw-away HOME so that
# your own ~/.aws is never touched.
#
#   scripts/demo.sh              the demo, then stop the simulator
#   scripts/demo.sh --shell      the demo, then a shell with the simulator
#                                running and the environment set; leaving
#                                the shell stops the simulator
#   --idc PATH                   use this binary; install and build nothing
#
# The commands are shown as you would type them: paste any of them into the
# shell to run it again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

shell=0
idc_bin=
while [ $# -gt 0 ]; do
  case $1 in
  --shell) shell=1 ;;
  --idc) idc_bin=$(realpath "$2"); shift ;;
  -h|--help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) echo "demo.sh: unknown option '$1' (see 'scripts/demo.sh --help')" >&2; exit 2 ;;
  esac
  shift
done

if [ -z "$idc_bin" ]; then
  bash scripts/install-deps.sh
  bash scripts/build.sh
  idc_bin=$root/build/idc
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/idc-demo-XXXXXX")
sim_pid=
cleanup() {
  if [ -n "$sim_pid" ]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

python3 tests/sim/idc_sim.py --tls --port 0 --accounts 12 --roles-per-account 3 \
  --cert-dir "$work/pki" --ready-file "$work/ready.json" >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 100); do [ -s "$work/ready.json" ] && break; sleep 0.1; done
if [ ! -s "$work/ready.json" ]; then
  echo "demo.sh: the simulator did not start:" >&2
  cat "$work/sim.err" >&2
  exit 1
fi
url=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$work/ready.json")
ca=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ca"])' "$work/ready.json")

# `idc` on PATH, so that what is shown is what you would type.
mkdir -p "$work/bin" "$work/home"
ln -s "$idc_bin" "$work/bin/idc"
export PATH=$work/bin:$PATH
export HOME=$work/home XDG_CACHE_HOME=$work/cache XDG_CONFIG_HOME=$work/xdg-config
export AWS_CA_BUNDLE=$ca AWS_ENDPOINT_URL_SSO_OIDC=$url AWS_ENDPOINT_URL_SSO=$url
# The "person": a browser that opens the page and approves the code.
export BROWSER="python3 $root/tests/sim/fake_browser.py"

# One word as a shell would need it: as is when that is safe, else quoted.
quote() {
  case $1 in
  '' | *[!A-Za-z0-9_@%+=:,./-]*) printf "'%s'" "${1//\'/\'\\\'\'}" ;;
  *) printf '%s' "$1" ;;
  esac
}
step() {
  local line= a
  for a in "$@"; do line+="${line:+ }$(quote "$a")"; done
  printf '\n\033[1m$ %s\033[0m\n' "$line"
  "$@"
}

echo "Simulator at $url (certificate authority $ca); HOME=$HOME"
step idc --version
step idc configure session --sso-session demo \
  --start-url https://d-1234567890.awsapps.com/start --sso-region us-east-1 \
  --non-interactive
step idc login --sso-session demo --browser
step idc status --output table
step idc list-accounts --sso-session demo --output table
step idc list-roles --sso-session demo --account-id 100000000001 --output table
step idc populate --sso-session demo --template '{account_name|kebab}.{role_name}' --region eu-west-1
profile=$(awk -F'[][ ]' '/^\[profile /{print $3; exit}' "$HOME/.aws/config")
step idc credential-process --profile "$profile"
step idc exec --profile "$profile" -- sh -c 'echo "a child process sees AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID"'
step idc status --output table

if [ "$shell" = 0 ]; then
  step idc logout --sso-session demo
  exit 0
fi

# The shell: its own rc file (your ~/.bashrc is not read: HOME is the demo's),
# completion loaded, a prompt that says where you are.
cat >"$work/bashrc" <<EOF
PS1='(idc demo) \\$ '
source <(idc completion bash)
echo
echo "You are in the demo's shell: HOME=\$HOME, signed in to the sso-session 'demo',"
echo "the simulator at \$AWS_ENDPOINT_URL_SSO.  Try 'idc status', 'idc list-roles',"
echo "'idc export --profile $(quote "$profile")', 'idc logout', 'idc login', 'man idc'."
echo "Leave with 'exit' (or Ctrl-D): the simulator stops and the demo's files go."
EOF
if [ -f "$root/man/idc.1" ]; then
  export MANPATH="$work/man:"
  mkdir -p "$work/man/man1"
  ln -s "$root/man/idc.1" "$work/man/man1/idc.1"
fi
status=0
bash --rcfile "$work/bashrc" -i || status=$?
exit "$status"
