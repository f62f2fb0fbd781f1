package ingest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

func TestRefusedReason(t *testing.T) {
	tests := []struct {
		ip   string
		want string
	}{
		{"127.0.0.1", "loopback address"},
		{"127.255.0.9", "loopback address"},
		{"::1", "loopback address"},
		{"::ffff:127.0.0.1", "loopback address"},
		{"10.1.2.3", "private address"},
		{"172.16.0.1", "private address"},
		{"172.31.255.255", "private address"},
		{"192.168.1.1", "private address"},
		{"::ffff:192.168.1.1", "private address"},
		{"fd12:3456::1", "private address"},
		{"fc00::1", "private address"},
		{"169.254.169.254", "link-local address"},
		{"fe80::1%eth0", "link-local address"},
		{"100.64.0.1", "carrier-grade NAT address"},
		{"100.127.255.254", "carrier-grade NAT address"},
		{"0.0.0.0", "\"this network\" address"},
		{"0.1.2.3", "\"this network\" address"},
		{"::", "unspecified address"},
		{"224.0.0.1", "multicast address"},
		{"ff02::1", "multicast address"},
		{"255.255.255.255", "reserved address"},
		{"192.0.2.10", "documentation address"},
		{"64:ff9b::a00:1", "private address embedded in an IPv6 address"},
		{"2002:c0a8:0101::1", "private address embedded in an IPv6 address"},
		{"::7f00:1", "loopback address embedded in an IPv6 address"},
		// Public addresses pass.
		{"93.184.215.14", ""},
		{"8.8.8.8", ""},
		{"172.32.0.1", ""},
		{"100.128.0.1", ""},
		{"2606:4700::1111", ""},
		{"::ffff:8.8.8.8", ""},
		{"64:ff9b::808:808", ""},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			if got := refusedReason(netip.MustParseAddr(tt.ip)); got != tt.want {
				t.Errorf("refusedReason(%s): got %q, want %q", tt.ip, got, tt.want)
			}
		})
	}
}

// TestDialGuardLoopback fetches an httptest server with the guard on: the request must not
// reach it.
func TestDialGuardLoopback(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()

	_, err := NewClient(ClientOptions{}).Fetch(context.Background(), Request{URL: srv.URL})
	fe := fetchErrorOf(t, err)
	want := "refusing to connect to 127.0.0.1: loopback address (use --allow-private-sources for intranet feeds)"
	if fe.Kind != KindPrivateAddress || err.Error() != want {
		t.Errorf("got %q (%s), want %q (%s)", err, fe.Kind, want, KindPrivateAddress)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server got %d requests, want 0", n)
	}
}

// TestDialGuardRedirects lets the client reach only the test server (127.0.0.1) and has it
// redirect elsewhere: every private target is refused before a packet is sent to it, whether
// named by address or by a host name that resolves to one.
func TestDialGuardRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		io.WriteString(w, smallFeed)
	}))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port

	names := map[string][]netip.Addr{
		"intranet.example": {netip.MustParseAddr("192.168.10.20")},
		"metadata.example": {netip.MustParseAddr("169.254.169.254")},
		"rebind.example":   {netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("fd00::5")},
	}
	c := NewClient(ClientOptions{
		AllowPrivateNets: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
		Resolve: func(ctx context.Context, host string) ([]netip.Addr, error) {
			if ips, ok := names[host]; ok {
				return ips, nil
			}
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		},
	})

	tests := []struct {
		to   string
		want string
	}{
		{fmt.Sprintf("http://127.0.0.2:%d/feed", port), "refusing to connect to 127.0.0.2: loopback address"},
		{fmt.Sprintf("http://[::1]:%d/feed", port), "refusing to connect to ::1: loopback address"},
		{"http://10.0.0.1/feed", "refusing to connect to 10.0.0.1: private address"},
		{"http://[::ffff:10.0.0.1]/feed", "refusing to connect to 10.0.0.1: private address"},
		{"http://169.254.169.254/latest/meta-data/", "refusing to connect to 169.254.169.254: link-local address"},
		{"http://0.0.0.0/", "refusing to connect to 0.0.0.0: \"this network\" address"},
		{"http://100.100.100.200/", "refusing to connect to 100.100.100.200: carrier-grade NAT address"},
		{"http://intranet.example/feed", "refusing to connect to 192.168.10.20: private address"},
		{"http://metadata.example/", "refusing to connect to 169.254.169.254: link-local address"},
		{"http://rebind.example/", "refusing to connect to 10.0.0.5: private address"},
	}
	for _, tt := range tests {
		t.Run(tt.to, func(t *testing.T) {
			_, err := c.Fetch(context.Background(), Request{URL: srv.URL + "/?to=" + url.QueryEscape(tt.to)})
			fe := fetchErrorOf(t, err)
			want := tt.want + " (use --allow-private-sources for intranet feeds)"
			if fe.Kind != KindPrivateAddress || err.Error() != want {
				t.Errorf("got %q (%s), want %q (%s)", err, fe.Kind, want, KindPrivateAddress)
			}
		})
	}

	t.Run("allowed network still works", func(t *testing.T) {
		resp, err := c.Fetch(context.Background(), Request{URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		if string(resp.Body) != smallFeed {
			t.Errorf("got body %q, want the feed", resp.Body)
		}
	})
	t.Run("unknown host", func(t *testing.T) {
		_, err := c.Fetch(context.Background(), Request{URL: "http://nosuch.example/feed"})
		fe := fetchErrorOf(t, err)
		want := "cannot find the address of nosuch.example: no such host"
		if fe.Kind != KindDNS || err.Error() != want {
			t.Errorf("got %q (%s), want %q (%s)", err, fe.Kind, want, KindDNS)
		}
	})
}

// TestDialGuardResolverName reaches a test server through a host name that the resolver
// hook maps to loopback, with private addresses allowed: the hook is what the dialer uses.
func TestDialGuardResolverName(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Host)
	}))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	c := NewClient(ClientOptions{
		AllowPrivate: true,
		Resolve: func(ctx context.Context, host string) ([]netip.Addr, error) {
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		},
	})
	resp, err := c.Fetch(context.Background(), Request{URL: fmt.Sprintf("http://feeds.example:%d/", port)})
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("feeds.example:%d", port); string(resp.Body) != want {
		t.Errorf("server saw Host %q, want %q", resp.Body, want)
	}
}

// TestDialGuardControl checks the last line of defence, the socket's Control hook.
func TestDialGuardControl(t *testing.T) {
	g := newDialGuard(ClientOptions{}.withDefaults())
	for _, addr := range []string{"127.0.0.1:80", "[::1]:443", "10.9.8.7:8080", "[fe80::1%lo]:80"} {
		if err := g.control("tcp", addr, nil); err == nil || !strings.HasPrefix(err.Error(), "refusing to connect to ") {
			t.Errorf("control(%s): got %v, want a refusal", addr, err)
		}
	}
	if err := g.control("tcp", "93.184.215.14:443", nil); err != nil {
		t.Errorf("control(public address): got %v, want nil", err)
	}
}
