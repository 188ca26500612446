# crashlab on real kind (see test/kind/README.md). Included by the root Makefile.
KIND_SCRIPTS := test/kind

.PHONY: kind-build kind-engine-start kind-engine-stop test-kind

kind-build:
	bash $(KIND_SCRIPTS)/build.sh apt && bash $(KIND_SCRIPTS)/build.sh kind && bash $(KIND_SCRIPTS)/build.sh k8s \
	  && bash $(KIND_SCRIPTS)/build.sh tools && bash $(KIND_SCRIPTS)/build.sh rootfs && bash $(KIND_SCRIPTS)/build.sh images

kind-engine-start:
	bash $(KIND_SCRIPTS)/engine.sh start

kind-engine-stop:
	bash $(KIND_SCRIPTS)/engine.sh stop

# build (cached) -> engine -> node image -> kind contract -> crashlab up -> suite -> down -> engine stop
test-kind:
	bash $(KIND_SCRIPTS)/run.sh
