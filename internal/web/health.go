package web

import (
	"context"
	"net/http"
	"time"
)

// handleHealthz answers as long as the process serves HTTP.
func (s *Server) handleHealthz() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	}
}

// handleReadyz answers 200 when the database answers and its schema is current.
func (s *Server) handleReadyz() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := s.db.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("database not reachable\n"))
			return
		}
		if pending, err := s.db.Pending(ctx); err != nil || pending {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("database schema not migrated\n"))
			return
		}
		w.Write([]byte("ready\n"))
	}
}

func (s *Server) handleNotFound() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusNotFound, "Page not found",
			"There is no page here. If you typed the address, check it; if you followed a link, it may be out of date.")
	}
}
