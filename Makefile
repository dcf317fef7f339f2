# sam build (BuildMethod: makefile) runs build-<LogicalId> here with ARTIFACTS_DIR set.
# Every catalog function is the same Native AOT bootstrap; RetrainFunction is the Trainer (ML.NET
# needs the JIT), published self-contained with a bootstrap script that starts it. Build inside the
# SAM build container (sam build --use-container) so that the AOT binary needs no newer glibc than
# Amazon Linux 2023's.
RID := linux-x64
ifeq ($(LAMBDA_ARCH),arm64)
RID := linux-arm64
endif

FUNCTIONS := ResizeFunction TensorFunction FeaturesFunction FormatFunction PredictFunction JobsFunction \
	ModelsFunction ModelFunction SetAliasFunction RollbackFunction ReviewFunction DriftFunction OnUploadFunction

$(addprefix build-,$(FUNCTIONS)):
	dotnet publish functions/MlFunctions.Aws -c Release -r $(RID) -o "$(ARTIFACTS_DIR)"
	rm -f "$(ARTIFACTS_DIR)"/*.dbg "$(ARTIFACTS_DIR)"/*.pdb "$(ARTIFACTS_DIR)"/*.xml

build-RetrainFunction:
	dotnet publish functions/MlFunctions.Trainer -c Release -r $(RID) --self-contained -p:MlfCloud=aws -o "$(ARTIFACTS_DIR)"
	printf '#!/bin/sh\nexec "$$(dirname "$$0")/MlFunctions.Trainer"\n' > "$(ARTIFACTS_DIR)/bootstrap"
	chmod +x "$(ARTIFACTS_DIR)/bootstrap"

.PHONY: $(addprefix build-,$(FUNCTIONS)) build-RetrainFunction
