package ingest

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// PrivateAddressError says that the dial guard refused an address. It is returned (inside a
// *FetchError) before any packet is sent to that address.
type PrivateAddressError struct {
	IP     netip.Addr
	Reason string // "loopback address", "private address", …
}

func (e *PrivateAddressError) Error() string {
	return fmt.Sprintf("refusing to connect to %s: %s (use --allow-private-sources for intranet feeds)", e.IP, e.Reason)
}

// blockedNet is a range the guard refuses, with the words a user reads.
type blockedNet struct {
	prefix netip.Prefix
	reason string
}

// blockedNets are the ranges that do not reach the public internet, or that reach the machine
// Docket runs on or its neighbours. Order matters only for the reason shown: the first match
// names the address.
var blockedNets = func() []blockedNet {
	list := []struct{ cidr, reason string }{
		{"0.0.0.0/8", "\"this network\" address"},
		{"127.0.0.0/8", "loopback address"},
		{"10.0.0.0/8", "private address"},
		{"172.16.0.0/12", "private address"},
		{"192.168.0.0/16", "private address"},
		{"100.64.0.0/10", "carrier-grade NAT address"},
		{"169.254.0.0/16", "link-local address"},
		{"192.0.0.0/24", "IETF protocol address"},
		{"192.0.2.0/24", "documentation address"},
		{"198.51.100.0/24", "documentation address"},
		{"203.0.113.0/24", "documentation address"},
		{"198.18.0.0/15", "benchmarking address"},
		{"224.0.0.0/4", "multicast address"},
		{"240.0.0.0/4", "reserved address"},
		{"::/128", "unspecified address"},
		{"::1/128", "loopback address"},
		{"fc00::/7", "private address"},
		{"fe80::/10", "link-local address"},
		{"fec0::/10", "site-local address"},
		{"ff00::/8", "multicast address"},
		{"100::/64", "discard-only address"},
		{"2001:db8::/32", "documentation address"},
		{"2001::/32", "Teredo tunnel address"},
	}
	out := make([]blockedNet, len(list))
	for i, l := range list {
		out[i] = blockedNet{netip.MustParsePrefix(l.cidr), l.reason}
	}
	return out
}()

// Prefixes whose addresses carry an IPv4 address in them: the embedded address is what a
// packet finally reaches, so it is checked too.
var (
	nat64Prefix     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFourPrefix = netip.MustParsePrefix("2002::/16")
	v4CompatPrefix  = netip.MustParsePrefix("::/96")
)

// refusedReason returns why ip must not be dialled, or "" when it may be.
func refusedReason(ip netip.Addr) string {
	ip = ip.Unmap().WithZone("")
	for _, b := range blockedNets {
		if b.prefix.Contains(ip) {
			return b.reason
		}
	}
	if !ip.Is6() {
		return ""
	}
	a := ip.As16()
	var embedded netip.Addr
	switch {
	case nat64Prefix.Contains(ip), v4CompatPrefix.Contains(ip):
		embedded = netip.AddrFrom4([4]byte{a[12], a[13], a[14], a[15]})
	case sixToFourPrefix.Contains(ip):
		embedded = netip.AddrFrom4([4]byte{a[2], a[3], a[4], a[5]})
	default:
		return ""
	}
	if r := refusedReason(embedded); r != "" {
		return r + " embedded in an IPv6 address"
	}
	return ""
}

// dialGuard dials TCP connections for the HTTP transport, refusing private addresses after
// name resolution and again in the socket's Control hook, just before connect(2), so that
// neither a redirect nor a DNS answer can lead the client to an address it must not reach.
type dialGuard struct {
	allowPrivate bool
	allowNets    []netip.Prefix
	resolve      func(ctx context.Context, host string) ([]netip.Addr, error)
	dialer       net.Dialer
}

func newDialGuard(o ClientOptions) *dialGuard {
	g := &dialGuard{
		allowPrivate: o.AllowPrivate,
		allowNets:    o.AllowPrivateNets,
		resolve:      o.Resolve,
	}
	if g.resolve == nil {
		g.resolve = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	g.dialer = net.Dialer{
		Timeout:   o.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		Control:   g.control,
	}
	return g
}

// check returns a *PrivateAddressError when ip is refused.
func (g *dialGuard) check(ip netip.Addr) error {
	if g.allowPrivate {
		return nil
	}
	reason := refusedReason(ip)
	if reason == "" {
		return nil
	}
	for _, p := range g.allowNets {
		if p.Contains(ip.Unmap()) {
			return nil
		}
	}
	return &PrivateAddressError{IP: ip.Unmap().WithZone(""), Reason: reason}
}

// control runs on the socket after it is created and before it connects: the address here is
// the one the kernel will use, whatever path led to it.
func (g *dialGuard) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial guard: cannot read address %q: %w", address, err)
	}
	return g.check(ap.Addr())
}

// DialContext resolves addr's host, drops the addresses the guard refuses and connects to the
// first remaining one that answers.
func (g *dialGuard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else {
		ips, err = g.resolve(ctx, host)
		if err != nil {
			return nil, err
		}
		if len(ips) == 0 {
			return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
		}
	}
	// Refused addresses are skipped: the refusal is the error only when no address was left
	// to try, otherwise the last connection failure says more.
	var refused, dialErr error
	for _, ip := range ips {
		if err := g.check(ip); err != nil {
			if refused == nil {
				refused = err
			}
			continue
		}
		conn, err := g.dialer.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return conn, nil
		}
		dialErr = err
		if ctx.Err() != nil {
			break
		}
	}
	if dialErr != nil {
		return nil, dialErr
	}
	return nil, refused
}
