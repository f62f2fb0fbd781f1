package web

import (
	"net/http"
	"time"

	"github.com/docket-dev/docket/views"
)

// handleAudit shows statement status changes and admin actions, newest first.
func (s *Server) handleAudit() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rows, err := s.db.AuditTrail(r.Context(), 300, time.Time{})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v := views.AuditView{Meta: s.officeMeta(r, "Audit")}
		for _, a := range rows {
			row := views.AuditRow{At: a.CreatedAt, User: a.UserName, Action: a.Action, Target: a.Target, Detail: a.Detail}
			if a.StatementID != nil {
				row.StatementID = *a.StatementID
			}
			v.Rows = append(v.Rows, row)
		}
		s.render(w, r, http.StatusOK, views.Audit(v))
	}
}
