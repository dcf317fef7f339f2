#!/usr/bin/env bash
# Creates everything MlFunctions needs on Azure and deploys both apps, with the Azure CLI (az) and the
# Functions Core Tools (func), logged in (az login). Usage:
#   scripts/azure-deploy.sh NAME [REGION=westeurope] [APP=handler|worker]
# NAME (3 to 20 lowercase letters and digits) names the resource group, the storage account, the
# container and the two function apps: NAME-fn (every function) and NAME-retrain (the Trainer, ML.NET on
# the JIT, custom runtime), both on Flex Consumption. APP picks NAME-fn: handler, the Native AOT custom
# handler (custom runtime; the faster cold start), or worker, the isolated worker (dotnet-isolated 10.0,
# ReadyToRun; the conventional .NET app).
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/azure-deploy.sh NAME [REGION] [handler|worker]}"
region="${2:-westeurope}"
option="${3:-handler}"
[[ "$option" == handler || "$option" == worker ]] || { echo "azure-deploy: APP is handler or worker, not '$option'." >&2; exit 2; }
[[ "$name" =~ ^[a-z0-9]{3,20}$ ]] || { echo "azure-deploy: NAME is 3 to 20 lowercase letters and digits, not '$name'." >&2; exit 2; }
group="$name" account="${name}store" container="mlfunctions"

az group create --name "$group" --location "$region" --output none
az storage account create --name "$account" --resource-group "$group" --location "$region" --sku Standard_LRS \
  --kind StorageV2 --allow-blob-public-access false --output none
connection=$(az storage account show-connection-string --name "$account" --resource-group "$group" --query connectionString --output tsv)
az storage container create --name "$container" --connection-string "$connection" --output none

for app in "$name-fn" "$name-retrain"; do
  runtime=(--runtime custom)
  [[ "$app" == "$name-fn" && "$option" == worker ]] && runtime=(--runtime dotnet-isolated --runtime-version 10.0)
  az functionapp create --name "$app" --resource-group "$group" --storage-account "$account" \
    --flexconsumption-location "$region" "${runtime[@]}" --output none
  az functionapp config appsettings set --name "$app" --resource-group "$group" --output none \
    --settings "MLF_BUCKET=$container" "AzureWebJobsStorage=$connection"
done

if [[ "$option" == worker ]]; then
  # The worker's on-upload is a blob trigger whose source is Event Grid: events go to the blobs extension's webhook.
  scripts/azure-publish-worker.sh out/azure-worker
  (cd out/azure-worker && func azure functionapp publish "$name-fn" --no-build)
  filters=$(dotnet out/azure-worker/MlFunctions.Azure.Worker.dll event-grid-filters "$container" | tr '\n' ' ')
  keyname=blobs_extension
  key=$(az functionapp keys list --name "$name-fn" --resource-group "$group" --query systemKeys.blobs_extension --output tsv)
  endpoint="https://$name-fn.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.on-upload&code=$key"
else
  scripts/azure-publish.sh out/azure
  (cd out/azure && func azure functionapp publish "$name-fn")
  filters=$(out/azure/MlFunctions.Azure event-grid-filters "$container" | tr '\n' ' ')
  keyname=eventgrid_extension
  key=$(az functionapp keys list --name "$name-fn" --resource-group "$group" --query systemKeys.eventgrid_extension --output tsv)
  endpoint="https://$name-fn.azurewebsites.net/runtime/webhooks/eventgrid?functionName=on-upload&code=$key"
fi
scripts/azure-publish-trainer.sh out/azure-trainer
(cd out/azure-trainer && func azure functionapp publish "$name-retrain")

# on-upload: BlobCreated events for its input prefixes only (generated from the catalog), so that what
# it writes (processed/, jobs/, predictions/, models/) never starts it again. Retrain's blob trigger is
# on jobs/{name}.job.json in its own function.json.
# A Flex Consumption app has its extension's system key once it has started after the publish.
for _ in $(seq 30); do
  [[ -n "$key" ]] && break
  sleep 10
  key=$(az functionapp keys list --name "$name-fn" --resource-group "$group" --query "systemKeys.${keyname}" --output tsv)
  endpoint="${endpoint%code=*}code=$key"
done
[[ -n "$key" ]] || { echo "azure-deploy: $name-fn has no ${keyname} system key after 5 minutes; subscribe on-upload by hand once it has." >&2; exit 1; }
# shellcheck disable=SC2086 # one filter value a word
az eventgrid event-subscription create --name "$name-on-upload" \
  --source-resource-id "$(az storage account show --name "$account" --resource-group "$group" --query id --output tsv)" \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --advanced-filter subject StringBeginsWith $filters --output none
echo "Deployed: https://$name-fn.azurewebsites.net/api/... (function keys: az functionapp keys list --name $name-fn --resource-group $group)"
