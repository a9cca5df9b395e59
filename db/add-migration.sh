#!/usr/bin/env bash
# Adds one migration for every provider, then regenerates the SQL scripts.
# Usage: db/add-migration.sh NAME
set -euo pipefail
name="${1:?usage: db/add-migration.sh NAME}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dotnet tool restore >/dev/null
dotnet build src/Marketplace.Web -v q -nologo >/dev/null
for provider in Sqlite Postgres SqlServer; do
  dotnet ef migrations add "$name" --no-build --project src/Marketplace.Web \
    --context "${provider}MarketplaceDbContext" --output-dir "Data/Migrations/${provider}"
  # The next provider's migration must see this one compiled in, or EF numbers them against a stale assembly.
  dotnet build src/Marketplace.Web -v q -nologo >/dev/null
done
"$root/db/regenerate-scripts.sh"
