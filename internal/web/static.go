package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
	"sync"
)

// staticVersion is a short hash of every embedded static file. Pages link to
// /static/NAME?v=VERSION, so a browser that cached the old stylesheet fetches the new one as
// soon as a new binary serves it, and may cache each version for a long time.
var staticVersion = sync.OnceValue(func() string {
	h := sha256.New()
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(staticFS, p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
})

// handleStatic serves the embedded stylesheet and htmx: versioned links are cached for a
// year, and every answer carries an ETag so a plain link revalidates cheaply.
func (s *Server) handleStatic() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embed is part of the binary
	}
	etags := map[string]string{}
	fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(sub, p)
			sum := sha256.Sum256(b)
			etags[p] = `"` + hex.EncodeToString(sum[:8]) + `"`
		}
		return nil
	})
	files := http.FileServerFS(sub)
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") || r.URL.Path == "" {
			s.handleNotFound()(w, r)
			return
		}
		if tag, ok := etags[r.URL.Path]; ok {
			w.Header().Set("ETag", tag)
			if r.URL.Query().Get("v") == staticVersion() {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				w.Header().Set("Cache-Control", "public, no-cache")
			}
		}
		files.ServeHTTP(w, r)
	}))
}
