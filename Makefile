# sam build (BuildMethod: makefile) runs build-<LogicalId> here with ARTIFACTS_DIR set;
# every function is the same Native AOT bootstrap. Build inside the SAM build container
# (sam build --use-container) so that the binary needs no newer glibc than Amazon Linux 2023's.
RID := linux-x64
ifeq ($(LAMBDA_ARCH),arm64)
RID := linux-arm64
endif

FUNCTIONS := ResizeFunction TensorFunction FeaturesFunction FormatFunction PredictFunction

$(addprefix build-,$(FUNCTIONS)):
	dotnet publish functions/MlFunctions.Aws -c Release -r $(RID) -o "$(ARTIFACTS_DIR)"
	rm -f "$(ARTIFACTS_DIR)"/*.dbg "$(ARTIFACTS_DIR)"/*.pdb "$(ARTIFACTS_DIR)"/*.xml

.PHONY: $(addprefix build-,$(FUNCTIONS))
