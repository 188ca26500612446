# crashlab hermetic test cluster (see test/cluster/README.md). Included by the root Makefile.
CLUSTER_SCRIPTS := test/cluster

.PHONY: cluster-build cluster-up cluster-down cluster-smoke test-cluster

cluster-build:
	bash $(CLUSTER_SCRIPTS)/build.sh all

cluster-up: cluster-build
	bash $(CLUSTER_SCRIPTS)/up.sh

cluster-down:
	bash $(CLUSTER_SCRIPTS)/down.sh

cluster-smoke:
	bash $(CLUSTER_SCRIPTS)/smoke.sh

# build (cached) -> up -> smoke -> suite -> down (always), timings per phase.
test-cluster:
	bash $(CLUSTER_SCRIPTS)/run.sh
