package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// auditPageSize is how many entries one page of the audit view shows.
const auditPageSize = 100

// handleAudit shows statement status changes and admin actions, newest first, a page at a
// time: ?before= carries the cursor of the last entry shown.
func (s *Server) handleAudit() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		after, err := parseAuditCursor(r.URL.Query().Get("before"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rows, next, err := s.db.AuditPage(r.Context(), auditPageSize, after)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v := views.AuditView{Meta: s.officeMeta(r, "Audit"), Older: !after.At.IsZero()}
		for _, a := range rows {
			row := views.AuditRow{At: a.CreatedAt, User: a.UserName, Action: a.Action, Target: a.Target, Detail: a.Detail}
			if a.StatementID != nil {
				row.StatementID = *a.StatementID
			}
			v.Rows = append(v.Rows, row)
		}
		if next != nil {
			v.NextURL = "/office/audit?before=" + formatAuditCursor(*next)
		}
		s.render(w, r, http.StatusOK, views.Audit(v))
	}
}

// formatAuditCursor writes a cursor for a link: nanoseconds, table, id.
func formatAuditCursor(c store.AuditCursor) string {
	return fmt.Sprintf("%d.%s.%d", c.At.UnixNano(), c.Kind, c.ID)
}

func parseAuditCursor(s string) (store.AuditCursor, error) {
	if s == "" {
		return store.AuditCursor{}, nil
	}
	parts := strings.Split(s, ".")
	bad := docket.FieldError("before", "before %q is not a position in the audit trail", s)
	if len(parts) != 3 || (parts[1] != "a" && parts[1] != "s") {
		return store.AuditCursor{}, bad
	}
	ns, err1 := strconv.ParseInt(parts[0], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || ns <= 0 {
		return store.AuditCursor{}, bad
	}
	return store.AuditCursor{At: time.Unix(0, ns).UTC(), Kind: parts[1], ID: id}, nil
}
