#!/usr/bin/env bash
# Regenerates every provider's idempotent SQL script from its migrations.
# Run after any model change (db/add-migration.sh calls it); CI fails when these files are stale.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dotnet tool restore >/dev/null
dotnet build src/Marketplace.Web -v q -nologo >/dev/null
for provider in Sqlite Postgres SqlServer; do
  lower=$(echo "$provider" | tr '[:upper:]' '[:lower:]')
  # EF cannot make an idempotent script for SQLite; the embedded default migrates itself at start-up,
  # so its script is the plain one from an empty database.
  idempotent="--idempotent"
  [ "$provider" = Sqlite ] && idempotent=""
  dotnet ef migrations script $idempotent --no-build \
    --project src/Marketplace.Web --context "${provider}MarketplaceDbContext" \
    --output "db/${lower}.sql" >/dev/null
  echo "db/${lower}.sql"
done
