#!/usr/bin/env bash
# Developer helper: adds every symbol the PublicApiAnalyzers reports as undeclared (RS0016) to
# src/PROJECT/PublicAPI.Unshipped.txt, and drops declared symbols that no longer exist (RS0017).
# Usage: eng/update-public-api.sh [PROJECT]   (PROJECT: LinuxNet, the default, or LinuxNet.Testing)
# Review the diff before committing: the file is the record of the public surface.
set -euo pipefail
cd "$(dirname "$0")/.."
project=${1:-LinuxNet}
api=src/$project/PublicAPI.Unshipped.txt
log=$(mktemp)
dotnet build "src/$project/$project.csproj" -c Release --no-incremental -p:TreatWarningsAsErrors=false > "$log" 2>&1 || true
grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared)" "$log" | sort -u > "$log.add" || true
grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared)" "$log" | sort -u > "$log.del" || true
{ head -n 1 "$api"; { tail -n +2 "$api" | grep -vxF -f "$log.del" || true; cat "$log.add"; } | sed '/^$/d' | LC_ALL=C sort -u; } > "$log.new"
mv "$log.new" "$api"
echo "added $(wc -l < "$log.add"), removed $(wc -l < "$log.del")"
rm -f "$log" "$log.add" "$log.del"
