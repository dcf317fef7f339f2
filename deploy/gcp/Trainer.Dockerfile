# Google Cloud Run: the retrain function, the Trainer (ML.NET needs the JIT) as a CloudEvent service,
# built with Google's store only (MlfCloud=gcp). Build from the repository root:
#   docker build -f deploy/gcp/Trainer.Dockerfile -t REGION-docker.pkg.dev/PROJECT/mlfunctions/trainer .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish functions/MlFunctions.Trainer -c Release -r linux-x64 --self-contained -p:MlfCloud=gcp -o /out \
    && rm -f /out/*.pdb /out/*.xml

# runtime-deps: the Trainer is self-contained, so it needs the native libraries only.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
WORKDIR /app
COPY --from=build /out/ ./
ENV PORT=8080 FUNCTION_TARGET=retrain
USER app
ENTRYPOINT ["/app/MlFunctions.Trainer"]
