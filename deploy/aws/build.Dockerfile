# The image `sam build --use-container` builds in: SAM's own image for provided.al2023 (Amazon Linux
# 2023, the glibc the functions run on), which has no .NET SDK, plus the .NET 10 SDK and the C
# toolchain Native AOT links with. Build it once, from the repository root:
#   docker build -t mlfunctions-sam-build -f deploy/aws/build.Dockerfile deploy/aws
#   sam build --use-container --build-image mlfunctions-sam-build
# (For arm64, build the image on arm64 or with --platform linux/arm64, and set LAMBDA_ARCH=arm64.)
FROM public.ecr.aws/sam/build-provided.al2023
RUN dnf install -y clang zlib-devel tar gzip libicu && dnf clean all
RUN curl -sSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh \
    && bash /tmp/dotnet-install.sh --channel 10.0 --install-dir /usr/share/dotnet \
    && ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && rm /tmp/dotnet-install.sh
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
