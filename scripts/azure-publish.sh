#!/usr/bin/env bash
# Builds a folder ready for `func azure functionapp publish <app>`: the Native AOT custom handler for
# linux-x64, host.json, a folder per catalog function with its generated function.json, and an example
# local.settings.json. Usage: scripts/azure-publish.sh [OUT=out/azure]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/azure}"
rm -rf "$out"
dotnet publish functions/MlFunctions.Azure -c Release -r linux-x64 -o "$out" -nologo
rm -f "$out"/*.dbg "$out"/*.pdb "$out"/*.xml "$out"/*.staticwebassets.endpoints.json
cp host.json "$out/"
"$out/MlFunctions.Azure" function-json "$out"
cat > "$out/local.settings.json" <<'JSON'
{
  "IsEncrypted": false,
  "Values": {
    "FUNCTIONS_WORKER_RUNTIME": "custom",
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    "MLF_BUCKET": "mlfunctions"
  }
}
JSON
echo "Ready: cd $out && func azure functionapp publish <app>"
