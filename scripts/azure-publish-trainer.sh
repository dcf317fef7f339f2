#!/usr/bin/env bash
# Builds a second function app folder for the retrain function: the Trainer (ML.NET needs the JIT, so
# it cannot live in the AOT handler's app) published self-contained for linux-x64 as a custom handler,
# with deploy/azure-trainer/host.json and its retrain/function.json (a blob trigger on jobs/*.json).
# Usage: scripts/azure-publish-trainer.sh [OUT=out/azure-trainer]; then func azure functionapp publish <app>.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/azure-trainer}"
rm -rf "$out"
dotnet publish functions/MlFunctions.Trainer -c Release -r linux-x64 --self-contained -p:MlfCloud=azure -o "$out" -nologo
rm -f "$out"/*.pdb "$out"/*.xml
cp -r deploy/azure-trainer/. "$out/"
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
echo "Ready: cd $out && func azure functionapp publish <trainer-app>"
