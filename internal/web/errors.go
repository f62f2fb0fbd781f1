package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/views"
)

// statusOf maps an error code to its HTTP status.
func statusOf(code string) int {
	switch code {
	case docket.EINVALID:
		return http.StatusUnprocessableEntity
	case docket.ENOTFOUND:
		return http.StatusNotFound
	case docket.ECONFLICT:
		return http.StatusConflict
	case docket.EFORBIDDEN:
		return http.StatusForbidden
	case docket.EUNAUTH:
		return http.StatusUnauthorized
	case docket.ETHROTTLED:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// wantsJSON reports whether the client asked for JSON: the API always does; elsewhere the
// Accept header decides.
func wantsJSON(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}

// fail turns any error into a response, HTML or JSON as the client wants, and logs internal
// errors once, here.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := docket.ErrorCode(err)
	status := statusOf(code)
	msg := docket.ErrorMessage(err)
	if code == docket.EINTERNAL {
		if errors.Is(r.Context().Err(), err) || r.Context().Err() != nil {
			// The client went away; there is nobody to answer.
			return
		}
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = "Docket could not do this. The error has been logged."
	}
	if wantsJSON(r) {
		s.writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
		return
	}
	heading := map[int]string{
		http.StatusNotFound:            "Page not found",
		http.StatusForbidden:           "You cannot do this",
		http.StatusConflict:            "This changed meanwhile",
		http.StatusUnprocessableEntity: "There is a problem",
		http.StatusTooManyRequests:     "Too many attempts",
		http.StatusInternalServerError: "Something went wrong",
	}[status]
	if heading == "" {
		heading = http.StatusText(status)
	}
	if status == http.StatusNotFound {
		msg = "There is no page here. If you typed the address, check it; if you followed a link, it may be out of date."
	}
	s.errorPage(w, r, status, heading, msg)
}

// errorPage renders the error page in the site's layout.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	if wantsJSON(r) {
		s.writeJSON(w, status, map[string]any{"error": map[string]string{"code": strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_")), "message": msg}})
		return
	}
	meta := s.meta(r, heading)
	if strings.HasPrefix(r.URL.Path, "/office") && currentUser(r.Context()) != nil {
		// Inside the office, the office's navigation stays.
		meta = s.officeMeta(r, heading)
	}
	v := views.ErrorView{Meta: meta, Status: status, Heading: heading, Message: msg}
	s.render(w, r, status, views.Error(v))
}

func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		s.log.Debug("write json", "err", err)
	}
}
