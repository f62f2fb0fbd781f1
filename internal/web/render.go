package web

import (
	"bytes"
	"net/http"
	"strings"
	"sync"

	"github.com/a-h/templ"

	"github.com/docket-dev/docket/views"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a component with a status. It renders into a buffer first, so a failure
// half-way becomes an error page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := c.Render(r.Context(), buf); err != nil {
		if status >= 500 {
			// Rendering the error page itself failed: say it plainly.
			http.Error(w, "Internal error", http.StatusInternalServerError)
			s.log.Error("render error page", "err", err)
			return
		}
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// meta starts a page's Meta with what every page shares.
func (s *Server) meta(r *http.Request, title string) views.Meta {
	m := views.Meta{Title: title, Section: "public", Canonical: s.absURL(r, r.URL.RequestURI()), AssetVersion: staticVersion()}
	if u := currentUser(r.Context()); u != nil {
		m.User = &views.UserInfo{ID: u.ID, Name: u.Name, Role: u.Role}
	}
	if f, ok := views.Flashes[r.URL.Query().Get("done")]; ok {
		m.Flash = f
	}
	return m
}

// officeMeta starts an office page's Meta.
func (s *Server) officeMeta(r *http.Request, title string) views.Meta {
	m := s.meta(r, title)
	m.Section, m.Office, m.Path = "office", true, r.URL.Path
	return m
}

// redirectDone sends the browser on after an action, with the code of the message to show
// there (a code, not text, so a link cannot make Docket say anything it would not).
func redirectDone(w http.ResponseWriter, r *http.Request, path, done string) {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	http.Redirect(w, r, path+sep+"done="+done, http.StatusSeeOther)
}

// baseURL is the site's public address, without a trailing slash.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimRight(s.cfg.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) absURL(r *http.Request, path string) string { return s.baseURL(r) + path }

// isHTMX reports whether htmx asked for a partial.
func isHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" || r.URL.Query().Get("partial") == "1"
}
