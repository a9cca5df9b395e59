#!/usr/bin/env bash
# The one test command. On a fresh Debian machine (as root) it installs and starts what the tests need
# (PostgreSQL, Redis, Chromium, the pages' npm packages), restores tools, checks formatting, builds with
# warnings as errors, runs every test project and ends with one plain line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration="${CONFIGURATION:-Release}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

step() { printf '\n==> %s\n' "$*"; }
fail_setup() { echo "test.sh: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# Package registries fail now and then: every step that downloads gets four tries, 5, 10 and 20 s apart.
retry() {
  local delay=5
  for attempt in 1 2 3 4; do
    "$@" && return 0
    [ "$attempt" -lt 4 ] || return 1
    echo "test.sh: '$*' failed (try $attempt of 4); again in ${delay}s" >&2
    sleep "$delay"; delay=$((delay * 2))
  done
}

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null || fail_setup "apt-get is missing; install $* yourself."
  if [ "$apt_updated" = 0 ]; then retry apt-get update -qq >/dev/null || fail_setup "apt-get update failed"; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive retry apt-get install -y -qq "$@" >/dev/null || fail_setup "could not install $*"
}

# --- PostgreSQL: the server the Web tests run against. Skipped only when the caller brings their own. ---
if [ -z "${MARKETPLACE_TEST_POSTGRES:-}" ]; then
  step "PostgreSQL"
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || apt_install postgresql
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$version main$" || pg_createcluster "$version" main >/dev/null
  port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
  pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p "$port" || fail_setup "PostgreSQL $version did not start on port $port"
  su postgres -c "psql -q -p $port -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'marketplace') THEN CREATE ROLE marketplace LOGIN PASSWORD 'marketplace' CREATEDB; END IF; END \\\$\\\$; GRANT pg_signal_backend TO marketplace;\"" \
    || fail_setup "could not create the marketplace role"
  # pg_signal_backend: the tests drop their databases WITH (FORCE), which must also stop an autovacuum worker
  # that happens to be in one; without it that drop fails with 42501 now and then.
  export MARKETPLACE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=marketplace;Password=marketplace;Database=postgres"
  echo "PostgreSQL $version on 127.0.0.1:$port"
fi

# --- Redis: the SignalR backplane the scale-out test runs two nodes over. Skipped only when the caller brings their own. ---
if [ -z "${MARKETPLACE_TEST_REDIS:-}" ]; then
  step "Redis"
  command -v redis-server >/dev/null || apt_install redis-server
  redis_port=6390
  redis_dir="$(pwd)/.redis"
  mkdir -p "$redis_dir"
  if ! redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --dir "$redis_dir" --logfile "$redis_dir/redis.log" --save "" --appendonly no \
      || fail_setup "could not start redis-server"
  fi
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.5; done
  redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 || fail_setup "Redis did not start on port $redis_port"
  export MARKETPLACE_TEST_REDIS="127.0.0.1:$redis_port"
  echo "Redis $(redis-server --version | awk '{print $3}') on $MARKETPLACE_TEST_REDIS"
fi

# --- Chromium for the browser tests (Debian's build; Playwright never downloads one). ---
step "Chromium"
[ -x /usr/bin/chromium ] || apt_install chromium
/usr/bin/chromium --version 2>/dev/null || fail_setup "chromium is not runnable"

# The pages' browser libraries come from npm: the build runs `npm ci` in src/Marketplace.Web.
command -v npm >/dev/null || apt_install nodejs npm

step "Restore, format check, build ($configuration)"
retry dotnet tool restore >/dev/null || fail_setup "dotnet tool restore failed"
retry dotnet restore Marketplace.sln -v q >/dev/null || fail_setup "restore failed"
# The build would run `npm ci` itself when the packages are missing; here it gets the same retries as the rest.
(cd src/Marketplace.Web && retry npm ci --no-audit --no-fund --loglevel=error >/dev/null) || fail_setup "npm ci failed"
dotnet format Marketplace.sln --verify-no-changes --no-restore || fail_setup "dotnet format found changes: run 'dotnet format Marketplace.sln'"
dotnet build Marketplace.sln -c "$configuration" --no-restore -v q -nologo || fail_setup "build failed"

step "Tests"
status=0
for project in tests/*/*.Tests.csproj; do
  dotnet test "$project" -c "$configuration" --no-build 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

# Sum dotnet test's per-assembly summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, ...").
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- Failed: ' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
summaries=$(grep -cE '^(Passed|Failed)! +- Failed: ' "$log")
projects=$(ls tests/*/*.Tests.csproj | wc -l)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi          # a crashed test host counts as a failure
if [ "$summaries" -lt "$projects" ] && [ "$failed" -eq 0 ]; then failed=1; fi  # so does a project that reported nothing
echo
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$failed" -eq 0 ]
