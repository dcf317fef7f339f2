#!/usr/bin/env bash
# Builds a folder ready for `func azure functionapp publish <app> --no-build`: the isolated worker
# (dotnet-isolated, ReadyToRun for linux-x64) with host.json, worker.config.json, functions.metadata and
# the blob extension the host loads (.azurefunctions/), and an example local.settings.json.
# Usage: scripts/azure-publish-worker.sh [OUT=out/azure-worker]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/azure-worker}"
rm -rf "$out"
dotnet publish functions/MlFunctions.Azure.Worker -c Release -r linux-x64 -o "$out" -nologo
rm -f "$out"/*.pdb "$out"/MlFunctions.*.xml "$out"/*.staticwebassets.endpoints.json
cat > "$out/local.settings.json" <<'JSON'
{
  "IsEncrypted": false,
  "Values": {
    "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated",
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "MLF_BUCKET": "mlfunctions"
  }
}
JSON
echo "Ready: cd $out && func azure functionapp publish <app> --no-build"
