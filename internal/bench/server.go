package bench

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
)

// FeedServer serves generated feeds on loopback. It listens on several loopback addresses
// (127.0.0.2, 127.0.0.3, …) because Docket's client allows two requests at a time per host:
// on one address the cap, not Docket's work, would set the pace.
type FeedServer struct {
	servers []*httptest.Server
	feeds   []Feed
	index   map[string]int
	// validators, when set, makes the server send ETags and answer a matching If-None-Match
	// with 304; unset, it sends every body in full, as many feed servers do.
	validators atomic.Bool
	requests   atomic.Int64
	notMod     atomic.Int64
}

// ServeFeeds starts serving feeds on up to hosts loopback addresses. Where the system has
// only 127.0.0.1 (macOS), every feed is on it.
func ServeFeeds(feeds []Feed, hosts int) (*FeedServer, error) {
	s := &FeedServer{feeds: feeds, index: make(map[string]int, len(feeds))}
	for i, f := range feeds {
		s.index["/feeds/"+f.Name] = i
	}
	s.validators.Store(true)
	for h := range max(hosts, 1) {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h+2))
		if err != nil {
			if h > 0 {
				break
			}
			if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
				return nil, fmt.Errorf("listen on loopback: %w", err)
			}
		}
		srv := httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		s.servers = append(s.servers, srv)
	}
	return s, nil
}

func (s *FeedServer) serve(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	i, ok := s.index[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	f := &s.feeds[i]
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Cache-Control", "max-age=300")
	if s.validators.Load() {
		h.Set("ETag", f.ETag)
		if r.Header.Get("If-None-Match") == f.ETag {
			s.notMod.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	body := f.Body
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = f.Gzip
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.Write(body)
}

// URL returns the address of feed i.
func (s *FeedServer) URL(i int) string {
	return s.servers[i%len(s.servers)].URL + "/feeds/" + s.feeds[i].Name
}

// Hosts reports on how many loopback addresses the feeds are served.
func (s *FeedServer) Hosts() int { return len(s.servers) }

// SetValidators turns ETags and 304 answers on or off.
func (s *FeedServer) SetValidators(on bool) { s.validators.Store(on) }

// Requests returns how many requests were answered, and how many of them with 304.
func (s *FeedServer) Requests() (all, notModified int64) { return s.requests.Load(), s.notMod.Load() }

// Close stops every listener.
func (s *FeedServer) Close() {
	for _, srv := range s.servers {
		srv.Close()
	}
}
