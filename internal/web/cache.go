package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"
)

// bufferedWriter holds a response until the handler is done, so its ETag can be computed
// from the bytes and a 304 sent instead.
type bufferedWriter struct {
	header http.Header
	status int
	buf    *bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }
func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.buf.Write(p)
}

// cacheable gives a public GET response an ETag made from its bytes and answers a matching
// If-None-Match with 304. The tag depends only on what the database holds, so every instance
// behind a load balancer gives the same one. Pages for a signed-in user are private.
//
// A dated page also gets a Last-Modified: since when it has had these bytes, recorded in the
// database (store.PageVersion), so it moves forward whenever the page changes, whatever
// changed, and a client that sends only If-Modified-Since gets 304 only for what it has.
// Other pages have no Last-Modified: a time read from what they show (the newest item) can
// move backwards (that item rejected) or stay still while they change (an older one removed).
func (s *Server) cacheable(maxAge time.Duration, dated bool, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A reader who is not signed in gets the page as rendered for the database as it
		// is (pageCache); a signed-in one, whose header names them, always a fresh one.
		var version string
		var key pageKey
		if s.pages != nil && currentUser(r.Context()) == nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			v, err := s.db.DataVersion(r.Context())
			if err != nil {
				s.fail(w, r, err)
				return
			}
			version, key = v, keyOf(r)
			if p := s.pages.get(version, key); p != nil {
				s.metrics.pageCache.WithLabelValues("hit").Inc()
				for k, v := range p.header {
					w.Header()[k] = v
				}
				s.respond(w, r, maxAge, dated, p.etag, p.body)
				return
			}
		}
		// The buffer comes from render's pool: growing a new one to a page's size, every
		// request, was a quarter of a topic page's allocations.
		buf := bufPool.Get().(*bytes.Buffer)
		buf.Reset()
		defer bufPool.Put(buf)
		var before http.Header
		if version != "" {
			before = w.Header().Clone()
		}
		bw := &bufferedWriter{header: w.Header(), buf: buf}
		h.ServeHTTP(bw, r)
		if bw.status == 0 {
			bw.status = http.StatusOK
		}
		if bw.status != http.StatusOK {
			w.WriteHeader(bw.status)
			w.Write(bw.buf.Bytes())
			return
		}
		sum := sha256.Sum256(bw.buf.Bytes())
		etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
		if version != "" {
			// What the handler set (its content type), not what the middleware had.
			set := http.Header{}
			for k, v := range w.Header() {
				if !slices.Equal(before[k], v) {
					set[k] = slices.Clone(v)
				}
			}
			s.pages.put(version, key, &cachedPage{header: set, body: bytes.Clone(bw.buf.Bytes()), etag: etag})
			s.metrics.pageCache.WithLabelValues("miss").Inc()
		}
		s.respond(w, r, maxAge, dated, etag, bw.buf.Bytes())
	})
}

// respond sends a public page's body, or 304 when the client has it.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, maxAge time.Duration, dated bool, etag string, body []byte) {
	hdr := w.Header()
	hdr.Del("Last-Modified")
	if dated {
		since, err := s.db.PageVersion(r.Context(), r.URL.Path, etag)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		hdr.Set("Last-Modified", since.UTC().Format(http.TimeFormat))
	}
	hdr.Set("ETag", etag)
	hdr.Add("Vary", "Cookie")
	hdr.Add("Vary", "HX-Request")
	if currentUser(r.Context()) != nil {
		hdr.Set("Cache-Control", "private, no-cache")
	} else {
		hdr.Set("Cache-Control", "public, max-age="+itoa(int64(maxAge/time.Second)))
	}
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		hdr.Del("Content-Type")
		hdr.Del("Last-Modified")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if lm := hdr.Get("Last-Modified"); lm != "" && r.Header.Get("If-None-Match") == "" {
		if since, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil {
			if t, err := http.ParseTime(lm); err == nil && !t.After(since) {
				hdr.Del("Content-Type")
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// etagMatch reports whether an If-None-Match header names etag (weak comparison).
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	if strings.TrimSpace(header) == "*" {
		return true
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag {
			return true
		}
	}
	return false
}
