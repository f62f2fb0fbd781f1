package ingest

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/docket-dev/docket/internal/docket"
)

// ClientOptions configures a Client. Zero fields take the defaults shown.
type ClientOptions struct {
	Timeout        time.Duration // whole fetch, body included; 30s
	ConnectTimeout time.Duration // TCP connect; 10s
	TLSTimeout     time.Duration // TLS handshake; 10s
	HeaderTimeout  time.Duration // from request sent to response headers; 20s
	MaxBody        int64         // bytes, after decompression; 10 MiB
	MaxRedirects   int           // 5; negative means redirects are not followed
	PerHost        int           // requests at a time to one host; 2
	UserAgent      string        // "Docket/<version> (+https://github.com/docket-dev/docket)"

	// AllowPrivate lets the client reach loopback, private and link-local addresses
	// (--allow-private-sources). AllowPrivateNets lets through only the listed networks,
	// for a site with one intranet feed host.
	AllowPrivate     bool
	AllowPrivateNets []netip.Prefix

	// Resolve looks up a host's addresses; nil uses the system resolver. Tests use it to
	// point a name at a private address.
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)

	// TLSConfig, when set, is cloned for the transport (tests trust httptest's certificate).
	TLSConfig *tls.Config
}

// Defaults for ClientOptions.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultConnectTimeout = 10 * time.Second
	DefaultTLSTimeout     = 10 * time.Second
	DefaultHeaderTimeout  = 20 * time.Second
	DefaultMaxBody        = 10 << 20
	DefaultMaxRedirects   = 5
	DefaultPerHost        = 2
)

func (o ClientOptions) withDefaults() ClientOptions {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.TLSTimeout <= 0 {
		o.TLSTimeout = DefaultTLSTimeout
	}
	if o.HeaderTimeout <= 0 {
		o.HeaderTimeout = DefaultHeaderTimeout
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxRedirects == 0 {
		o.MaxRedirects = DefaultMaxRedirects
	} else if o.MaxRedirects < 0 {
		o.MaxRedirects = 0
	}
	if o.PerHost <= 0 {
		o.PerHost = DefaultPerHost
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent()
	}
	return o
}

// DefaultUserAgent names Docket and its version, taken from the build, so that feed owners
// can see who fetches them and where to complain.
func DefaultUserAgent() string {
	version := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		version = strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "Docket/" + version + " (+https://github.com/docket-dev/docket)"
}

// Request is one feed fetch. ETag and LastModified are the validators kept from the last
// successful fetch; they make the request conditional.
type Request struct {
	URL          string
	ETag         string
	LastModified string
}

// Response is a fetched feed. When NotModified is set the body is empty and the feed need not
// be parsed.
type Response struct {
	Status       int
	NotModified  bool
	Body         []byte
	ContentType  string
	ETag         string
	LastModified string
	FinalURL     string
	RetryAfter   time.Duration
	Elapsed      time.Duration

	// MovedPermanently is set when the request was redirected and every redirect was
	// permanent (301 or 308): the source's address should become FinalURL.
	MovedPermanently bool
}

// Kinds of FetchError.
const (
	KindInvalidURL     = "invalid_url"
	KindDNS            = "dns"
	KindConnect        = "connect"
	KindTLS            = "tls"
	KindPrivateAddress = "private_address"
	KindTimeout        = "timeout"
	KindRedirects      = "redirects"
	KindHTTP           = "http"
	KindTooLarge       = "too_large"
	KindBody           = "body"
	KindCanceled       = "canceled"
)

// FetchError is why a fetch failed. Its message is one line meant for the person who looks
// at the source's health; Kind, Status and RetryAfter are for the code that schedules the
// next attempt.
type FetchError struct {
	Kind       string
	Status     int           // the HTTP status, for KindHTTP
	RetryAfter time.Duration // from Retry-After on 429 and 503
	Err        error         // the underlying error, if any
	msg        string
}

func (e *FetchError) Error() string { return e.msg }

func (e *FetchError) Unwrap() error { return e.Err }

// As lets docket.ErrorMessage show the message: a failed fetch is something the user should
// read, not an internal error. A canceled fetch stays a plain error.
func (e *FetchError) As(target any) bool {
	t, ok := target.(**docket.Error)
	if !ok || e.Kind == KindCanceled {
		return false
	}
	*t = &docket.Error{Code: docket.EINVALID, Message: e.msg}
	return true
}

func fetchErr(kind string, err error, format string, args ...any) *FetchError {
	return &FetchError{Kind: kind, Err: err, msg: fmt.Sprintf(format, args...)}
}

// Client fetches feeds. It is safe for concurrent use; share one per process so that the
// per-host cap holds across sources.
type Client struct {
	opts  ClientOptions
	http  *http.Client
	hosts hostLimiter
}

// NewClient returns a Client with o's settings, defaults filled in.
func NewClient(o ClientOptions) *Client {
	o = o.withDefaults()
	guard := newDialGuard(o)
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.TLSConfig != nil {
		tlsConfig = o.TLSConfig.Clone()
	}
	transport := &http.Transport{
		Proxy:                  nil, // a proxy would sit between the guard and the feed
		DialContext:            guard.DialContext,
		TLSClientConfig:        tlsConfig,
		TLSHandshakeTimeout:    o.TLSTimeout,
		ResponseHeaderTimeout:  o.HeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    o.PerHost,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      true,
		// We ask for gzip, deflate and br ourselves so that every decoder runs under the
		// same cap; the transport's own gzip would hide Content-Encoding from us.
		DisableCompression: true,
	}
	c := &Client{opts: o, hosts: hostLimiter{per: o.PerHost}}
	c.http = &http.Client{
		Transport:     transport,
		CheckRedirect: c.checkRedirect,
	}
	return c
}

// redirects records, per request, whether every redirect followed was permanent, and the
// per-host slot the request holds: that of the host it is at now.
type redirects struct {
	count     int
	permanent bool
	host      string
	release   func()
}

type redirectsKey struct{}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	r, _ := req.Context().Value(redirectsKey{}).(*redirects)
	if r != nil && req.Response != nil {
		r.count++
		code := req.Response.StatusCode
		r.permanent = r.permanent && (code == http.StatusMovedPermanently || code == http.StatusPermanentRedirect)
	}
	for _, prev := range via {
		if prev.URL.String() == req.URL.String() {
			chain := make([]string, 0, len(via)+1)
			for _, v := range via {
				chain = append(chain, v.URL.String())
			}
			chain = append(chain, req.URL.String())
			return fetchErr(KindRedirects, nil, "redirect loop: %s", strings.Join(chain, " → "))
		}
	}
	if len(via) > c.opts.MaxRedirects {
		return fetchErr(KindRedirects, nil, "too many redirects (%d)", c.opts.MaxRedirects)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fetchErr(KindInvalidURL, nil, "redirected to %s, which is not an http or https address", req.URL.Redacted())
	}
	if r != nil {
		return c.moveSlot(req.Context(), r, strings.ToLower(req.URL.Hostname()))
	}
	return nil
}

// moveSlot hands a redirected request's per-host slot over to the host it goes to now. The
// cap is there to spare a server, and the server a redirect leads to is the one that serves
// the body: many feeds redirect to one CDN or feed host (feeds.feedburner.com), which would
// otherwise take every worker at once. The old host's slot is released before the new one is
// awaited: its answer is in, and a fetch holding one host while waiting for another could
// deadlock with one redirected the other way. The wait counts against the fetch's timeout;
// its error is the context's, which classify words as a timeout or a cancellation.
func (c *Client) moveSlot(ctx context.Context, r *redirects, host string) error {
	if host == r.host {
		return nil
	}
	r.release()
	r.release, r.host = func() {}, ""
	release, err := c.hosts.acquire(ctx, host)
	if err != nil {
		return err
	}
	r.release, r.host = release, host
	return nil
}

// acceptHeader prefers feed types but takes anything: many feeds are served as text/html or
// text/plain, and the parser decides from the bytes.
const acceptHeader = "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"

// Fetch gets req.URL. A non-2xx answer, a body over the cap and every network failure is a
// *FetchError; a 304 is a Response with NotModified set. On a non-2xx answer the Response is
// returned too, without a body, so that the caller can record the status and headers.
func (c *Client) Fetch(ctx context.Context, req Request) (*Response, error) {
	u, err := url.Parse(strings.TrimSpace(req.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fetchErr(KindInvalidURL, err, "%q is not an http or https address", req.URL)
	}

	host := strings.ToLower(u.Hostname())
	release, err := c.hosts.acquire(ctx, host)
	if err != nil {
		return nil, fetchErr(KindCanceled, err, "fetch canceled while waiting for a connection to %s: %v", u.Hostname(), err)
	}
	moves := &redirects{permanent: true, host: host, release: release}
	// A redirect may move the slot to another host (moveSlot): release whichever is held.
	defer func() { moves.release() }()

	start := time.Now()
	fctx, cancel := context.WithTimeout(context.WithValue(ctx, redirectsKey{}, moves), c.opts.Timeout)
	defer cancel()

	hreq, err := http.NewRequestWithContext(fctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fetchErr(KindInvalidURL, err, "%q is not a valid address: %v", req.URL, err)
	}
	hreq.Header.Set("User-Agent", c.opts.UserAgent)
	hreq.Header.Set("Accept", acceptHeader)
	hreq.Header.Set("Accept-Encoding", "gzip, deflate, br")
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}

	resp, err := c.http.Do(hreq)
	if err != nil {
		return nil, c.classify(ctx, fctx, err)
	}
	defer resp.Body.Close()

	out := &Response{
		Status:       resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		FinalURL:     resp.Request.URL.String(),
		RetryAfter:   ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),

		MovedPermanently: moves.count > 0 && moves.permanent,
	}

	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		if out.ETag == "" {
			out.ETag = req.ETag
		}
		if out.LastModified == "" {
			out.LastModified = req.LastModified
		}
		out.Elapsed = time.Since(start)
		return out, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		retry := out.RetryAfter
		e := fetchErr(KindHTTP, nil, "%s", statusText(resp.StatusCode))
		e.Status, e.RetryAfter = resp.StatusCode, retry
		if retry > 0 {
			e.msg += " (the server asks to wait " + humanDuration(retry) + ")"
		}
		out.Elapsed = time.Since(start)
		return out, e
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		e := fetchErr(KindHTTP, nil, "%s", statusText(resp.StatusCode))
		e.Status = resp.StatusCode
		if resp.StatusCode == http.StatusForbidden && strings.EqualFold(resp.Header.Get("Cf-Mitigated"), "challenge") {
			// A bot check wants a browser; no retry will pass it.
			e.msg += " (blocked by Cloudflare's bot check)"
		}
		out.Elapsed = time.Since(start)
		return out, e
	}

	body, err := c.readBody(resp)
	if err != nil {
		var fe *FetchError
		if errors.As(err, &fe) {
			return nil, fe
		}
		return nil, c.classify(ctx, fctx, err)
	}
	out.Body = body
	out.Elapsed = time.Since(start)
	return out, nil
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("HTTP %d %s", code, t)
	}
	return fmt.Sprintf("HTTP %d", code)
}

// classify turns a transport error into a *FetchError with words a user understands.
func (c *Client) classify(parent, fctx context.Context, err error) *FetchError {
	var fe *FetchError
	if errors.As(err, &fe) {
		return fe
	}
	if parent.Err() != nil {
		return fetchErr(KindCanceled, parent.Err(), "fetch canceled: %v", parent.Err())
	}
	var pe *PrivateAddressError
	if errors.As(err, &pe) {
		return fetchErr(KindPrivateAddress, pe, "%s", pe.Error())
	}
	if errors.Is(fctx.Err(), context.DeadlineExceeded) {
		return fetchErr(KindTimeout, err, "timed out after %s", humanDuration(c.opts.Timeout))
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		reason := dnsErr.Err
		if dnsErr.IsNotFound {
			reason = "no such host"
		}
		return fetchErr(KindDNS, err, "cannot find the address of %s: %s", dnsErr.Name, reason)
	}
	msg := err.Error()
	var (
		certErr     *tls.CertificateVerificationError
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidErr  x509.CertificateInvalidError
		recordErr   tls.RecordHeaderError
		alertErr    tls.AlertError
	)
	switch {
	case strings.Contains(msg, "TLS handshake timeout"):
		return fetchErr(KindTimeout, err, "TLS handshake timed out after %s", humanDuration(c.opts.TLSTimeout))
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr), errors.As(err, &invalidErr):
		return fetchErr(KindTLS, err, "the server's TLS certificate is not valid: %s", tlsReason(err))
	case errors.As(err, &recordErr), errors.As(err, &alertErr), strings.Contains(msg, "tls: "):
		return fetchErr(KindTLS, err, "TLS handshake failed: %s", tlsReason(err))
	case strings.Contains(msg, "timeout awaiting response headers"):
		return fetchErr(KindTimeout, err, "no response within %s", humanDuration(c.opts.HeaderTimeout))
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		if opErr.Timeout() {
			return fetchErr(KindConnect, err, "connection timed out after %s", humanDuration(c.opts.ConnectTimeout))
		}
		return fetchErr(KindConnect, err, "cannot connect to %s: %s", addrText(opErr.Addr), innermost(opErr.Err))
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return fetchErr(KindTimeout, err, "timed out after %s", humanDuration(c.opts.Timeout))
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fetchErr(KindConnect, err, "the server closed the connection before the feed was complete")
	}
	return fetchErr(KindConnect, err, "network error: %s", innermost(err))
}

func tlsReason(err error) string {
	s := innermost(err)
	s = strings.TrimPrefix(s, "tls: ")
	s = strings.TrimPrefix(s, "x509: ")
	return s
}

// innermost is the text of the last error in a chain of single wraps: "connection refused"
// rather than "dial tcp 1.2.3.4:443: connect: connection refused".
func innermost(err error) string {
	for {
		var next error
		switch e := err.(type) {
		case *url.Error:
			next = e.Err
		case *net.OpError:
			next = e.Err
		case interface{ Unwrap() error }:
			next = e.Unwrap()
		}
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

func addrText(a net.Addr) string {
	if a == nil {
		return "the server"
	}
	return a.String()
}

// errTooLarge marks a body that went over the cap, compressed or not.
var errTooLarge = errors.New("body over the cap")

func (c *Client) tooLarge() *FetchError {
	return fetchErr(KindTooLarge, errTooLarge, "feed is larger than the %s limit", byteSize(c.opts.MaxBody))
}

// readBody reads and decodes the body. Both the bytes on the wire and the decoded bytes are
// capped at MaxBody: a gzip bomb stops at the cap instead of filling memory.
func (c *Client) readBody(resp *http.Response) ([]byte, error) {
	max := c.opts.MaxBody
	encoding := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if (encoding == "" || encoding == "identity") && resp.ContentLength > max {
		return nil, c.tooLarge()
	}
	wire := &capReader{r: resp.Body, left: max}
	br := bufio.NewReader(wire)
	var r io.Reader = br
	switch encoding {
	case "", "identity":
	case "gzip", "x-gzip":
		// Some servers label a plain body as gzip; read it as it is rather than fail.
		if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			gz, err := gzip.NewReader(br)
			if err != nil {
				return nil, fetchErr(KindBody, err, "the gzip-compressed body is corrupt: %v", err)
			}
			defer gz.Close()
			r = gz
		}
	case "deflate":
		// HTTP's "deflate" is zlib-wrapped, but some servers send raw deflate.
		if head, _ := br.Peek(2); len(head) == 2 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 && head[0]&0x0f == 8 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, fetchErr(KindBody, err, "the deflate-compressed body is corrupt: %v", err)
			}
			defer zr.Close()
			r = zr
		} else {
			fr := flate.NewReader(br)
			defer fr.Close()
			r = fr
		}
	case "br":
		r = brotli.NewReader(br)
	default:
		return nil, fetchErr(KindBody, nil, "the server compressed the feed with %q, which Docket does not read", encoding)
	}
	hint := resp.ContentLength
	if encoding != "" && encoding != "identity" {
		hint = -1
	}
	body, err := readCapped(r, max, hint)
	switch {
	case errors.Is(err, errTooLarge):
		return nil, c.tooLarge()
	case err != nil && wire.err != nil && !errors.Is(wire.err, errTooLarge):
		// The connection failed under the decoder: report the network, not the codec.
		return nil, wire.err
	case err != nil && encoding != "" && encoding != "identity" && !isNetErr(err):
		return nil, fetchErr(KindBody, err, "the %s-compressed body is corrupt: %v", encoding, err)
	}
	return body, err
}

func isNetErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// capReader fails with errTooLarge once more than left bytes have been read.
type capReader struct {
	r    io.Reader
	left int64
	err  error
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		c.err = errTooLarge
		return n, c.err
	}
	if err != nil && err != io.EOF {
		c.err = err
	}
	return n, err
}

// readCapped reads r to the end, failing with errTooLarge past max bytes. With a length hint
// it reads into one buffer of that size; otherwise into 64 KiB chunks joined at the end, so a
// body costs at most twice its size in allocations and a refused one about once the cap.
func readCapped(r io.Reader, max, hint int64) ([]byte, error) {
	if hint >= 0 && hint <= max {
		// +1 so that a body longer than announced shows without growing.
		buf := make([]byte, 0, hint+1)
		for {
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err == io.EOF {
				return buf, nil
			}
			if err != nil {
				return nil, err
			}
			if len(buf) == cap(buf) {
				// Longer than Content-Length said: carry on in chunks.
				return readChunks(r, max, buf)
			}
		}
	}
	return readChunks(r, max, nil)
}

const chunkSize = 64 << 10

func readChunks(r io.Reader, max int64, first []byte) ([]byte, error) {
	var chunks [][]byte
	total := int64(len(first))
	if len(first) > 0 {
		chunks = append(chunks, first)
	}
	for eof := false; !eof; {
		chunk := make([]byte, chunkSize)
		n := 0
		for n < len(chunk) {
			m, err := r.Read(chunk[n:])
			n += m
			if err == io.EOF {
				eof = true
				break
			}
			if err != nil {
				return nil, err
			}
		}
		if n > 0 {
			chunks = append(chunks, chunk[:n])
			total += int64(n)
			if total > max {
				return nil, errTooLarge
			}
		}
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out, nil
}

// ParseRetryAfter reads a Retry-After value, either seconds or an HTTP date, as a wait from
// now. Unreadable or past values are 0.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		// Beyond a year the value is nonsense; Backoff caps what it honours anyway.
		return time.Duration(min(secs, 365*24*3600)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d.Round(time.Second), 365*24*time.Hour)
		}
	}
	return 0
}

// hostLimiter holds one semaphore per host, dropped when nobody uses it, so that the map does
// not grow with every host ever fetched.
type hostLimiter struct {
	per   int
	mu    sync.Mutex
	hosts map[string]*hostSlot
}

type hostSlot struct {
	sem   chan struct{}
	users int
}

func (l *hostLimiter) acquire(ctx context.Context, host string) (func(), error) {
	l.mu.Lock()
	if l.hosts == nil {
		l.hosts = make(map[string]*hostSlot)
	}
	s := l.hosts[host]
	if s == nil {
		s = &hostSlot{sem: make(chan struct{}, l.per)}
		l.hosts[host] = s
	}
	s.users++
	l.mu.Unlock()

	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		l.leave(host, s)
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-s.sem
			l.leave(host, s)
		})
	}, nil
}

func (l *hostLimiter) leave(host string, s *hostSlot) {
	l.mu.Lock()
	s.users--
	if s.users == 0 {
		delete(l.hosts, host)
	}
	l.mu.Unlock()
}

// humanDuration writes d the way a person would: "30s", "2 min", "1 h 30 min".
func humanDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
		if s == 0 {
			return fmt.Sprintf("%d min", m)
		}
		return fmt.Sprintf("%d min %ds", m, s)
	default:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
}

// byteSize writes n as "10 MiB", "512 KiB" or "300 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// UserAgent is the User-Agent the client sends.
func (c *Client) UserAgent() string { return c.opts.UserAgent }
