package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestImportRefusesAFuturePublication: the office cannot import a statement as published on a
// date to come, at the preview nor at the import; today's date is taken.
func TestImportRefusesAFuturePublication(t *testing.T) {
	db := storetest.OpenSQLite(t)
	w := newOfficeWorld(t, db, 1)
	admin := w.browsers[docket.RoleAdmin]
	ctx := context.Background()
	count := func() int {
		rows, err := db.ListStatements(ctx, store.StatementFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	form := func(date string) url.Values {
		return url.Values{"text": {"Aleppo: my statement\n\nI welcome the evacuation of civilians from Aleppo."},
			"kind": {"press_release"}, "status": {"published"}, "published_at": {date}}
	}
	before := count()
	for _, step := range []string{"preview", "import"} {
		t.Run("a date to come, at the "+step, func(t *testing.T) {
			f := form("2030-01-01")
			if step == "import" {
				f.Set("step", "import")
				f.Set("title", "Aleppo: my statement")
				f.Set("body", f.Get("text"))
			}
			resp, page := admin.do("POST", "/office/statements/import", f)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422: %.300s", resp.StatusCode, page)
			}
			if msg := parseHTML(t, page).Find(`#e-published_at`).Text(); !strings.Contains(msg, "in the future") {
				t.Errorf("the date's error says %q, want that it is in the future", msg)
			}
			if count() != before {
				t.Error("the statement was stored")
			}
		})
	}
	t.Run("today", func(t *testing.T) {
		resp, page := admin.do("POST", "/office/statements/import", form(docket.LondonDay(time.Now())))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("preview: %d %.300s", resp.StatusCode, page)
		}
		resp, page = admin.do("POST", "/office/statements/import", formValues(parseHTML(t, page), `[data-testid=import-preview]`, `button[value=import]`))
		if resp.StatusCode != http.StatusOK || count() != before+1 {
			t.Fatalf("import: %d, %d statements stored; want today's date taken: %.300s", resp.StatusCode, count()-before, page)
		}
		rows, _ := db.ListStatements(ctx, store.StatementFilter{})
		for _, r := range rows {
			if r.PublishedAt != nil && r.PublishedAt.After(time.Now().Add(docket.PublishSkew)) {
				t.Errorf("statement %q published at %s, after now", r.Title, r.PublishedAt)
			}
		}
	})
}
