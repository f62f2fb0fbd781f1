package web

import "net/http"

// routes lists every route Docket serves.
func (s *Server) routes(mux *http.ServeMux) {
	// Public pages: public topics and published statements only.
	mux.Handle("GET /{$}", s.handleHome())
	mux.Handle("GET /topics/{slug}", s.handleTopic())
	mux.Handle("GET /statements/{id}", s.handleStatement())

	// Public JSON API.
	mux.Handle("GET /api/v1/topics", s.handleAPITopics())
	mux.Handle("GET /api/v1/topics/{slug}", s.handleAPITopic())
	mux.Handle("GET /api/v1/topics/{slug}/timeline", s.handleAPITimeline())
	mux.Handle("GET /api/v1/statements/{id}", s.handleAPIStatement())

	// Operations.
	mux.Handle("GET /healthz", s.handleHealthz())
	mux.Handle("GET /readyz", s.handleReadyz())
	mux.Handle("GET /metrics", s.handleMetrics())
	mux.Handle("GET /static/", s.handleStatic())

	mux.Handle("/", s.handleNotFound())
}
