// CoreDNS with only the plugins kubeadm's default Corefile uses (errors, health, ready,
// kubernetes, prometheus, forward, cache, loop, reload, loadbalance) plus log.
// CoreDNS documents this way of choosing plugins at compile time; it keeps the build small
// (the stock main links every cloud DNS provider's SDK). Built by test/kind/build.sh.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
)

func init() {
	keep := map[string]bool{"cache": true, "errors": true, "forward": true, "health": true, "kubernetes": true,
		"loadbalance": true, "log": true, "loop": true, "prometheus": true, "ready": true, "reload": true}
	// dnsserver.Directives is CoreDNS's canonical plugin order; keep that order.
	var directives []string
	for _, name := range dnsserver.Directives {
		if keep[name] {
			directives = append(directives, name)
		}
	}
	dnsserver.Directives = directives
}

func main() { coremain.Run() }
