package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

type auditLine struct{ who, action, target, detail string }

// auditLines reads the rows of an audit page, and its link to older entries.
func auditLines(t *testing.T, b *browser, path string) ([]auditLine, string) {
	t.Helper()
	resp, body := b.do("GET", path, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []auditLine
	doc.Find(`[data-testid=audit] tbody tr`).Each(func(_ int, tr *goquery.Selection) {
		td := tr.Find("td")
		cell := func(i int) string { return strings.TrimSpace(td.Eq(i).Text()) }
		out = append(out, auditLine{cell(1), cell(2), cell(3), cell(4)})
	})
	next, _ := doc.Find(`[data-testid=audit-older]`).Attr("href")
	return out, next
}

// TestAuditView: an approve made in the office and a role change both appear with who did
// them; what the command line did says so; the trail pages by keyset, every entry once, even
// when many share one instant.
func TestAuditView(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 1)
		users := addUsers(t, db)
		ctx := context.Background()
		admin := signedIn(t, f, users[docket.RoleAdmin])

		st, err := db.Transition(ctx, f.draft.ID, docket.ActSubmit, store.SeenOf(f.draft), users[docket.RoleEditor], "")
		if err != nil {
			t.Fatal(err)
		}
		resp, body := admin.do("POST", fmt.Sprintf("/office/statements/%d/approve", st.ID), url.Values{"revision": {fmt.Sprint(st.Revision)}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: %d %.300s", resp.StatusCode, body)
		}
		resp, body = admin.do("POST", fmt.Sprintf("/office/users/%d", users[docket.RoleResearcher].ID), url.Values{"role": {"editor"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("role change: %d %.300s", resp.StatusCode, body)
		}
		lines, _ := auditLines(t, admin, "/office/audit")
		want := []auditLine{
			{"Admin User", "user.access", "user:researcher@example.org", "role researcher → editor"},
			{"Admin User", "statement.approved", "statement:Draft on Idlib", "in_review → approved"},
			{"Editor User", "statement.in_review", "statement:Draft on Idlib", "draft → in_review"},
		}
		for i, w := range want {
			if i >= len(lines) || lines[i] != w {
				t.Fatalf("audit rows %q, want them to start with %q", lines, want)
			}
		}
		// addUsers ran without a user, as `docket user add` does.
		var cli int
		for _, l := range lines {
			if l.action == "user.create" && l.who == "command line" {
				cli++
			}
		}
		if cli != len(users) {
			t.Errorf("%d user.create rows say command line, want %d: %q", cli, len(users), lines)
		}

		// Many entries at one instant, from both tables, page without loss or repeat.
		at := time.Now().Add(time.Minute)
		db.SetClock(func() time.Time { return at })
		err = db.Update(ctx, func(tx *store.Tx) error {
			for i := range 230 {
				if err := tx.Audit(ctx, nil, "test.entry", "entry", fmt.Sprint(i)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		approved, err := db.StatementByID(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Transition(ctx, st.ID, docket.ActPublish, store.SeenOf(approved), users[docket.RoleAdmin], "at the same instant"); err != nil {
			t.Fatal(err)
		}
		total, _ := db.AuditTrail(ctx, 500, time.Time{})
		seen := map[auditLine]int{}
		pages, path := 0, "/office/audit"
		for path != "" {
			var rows []auditLine
			rows, path = auditLines(t, admin, path)
			pages++
			for _, r := range rows {
				seen[r]++
			}
			if pages > 10 {
				t.Fatal("the pager does not end")
			}
		}
		if pages != (len(total)+99)/100 {
			t.Errorf("%d pages for %d entries, want %d of 100", pages, len(total), (len(total)+99)/100)
		}
		n := 0
		for r, c := range seen {
			n += c
			if c != 1 && r.action == "test.entry" {
				t.Errorf("entry %q shown %d times", r.detail, c)
			}
		}
		if n != len(total) {
			t.Errorf("paged through %d entries, want %d", n, len(total))
		}
		if resp, _ := admin.do("GET", "/office/audit?before=nonsense", nil); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a bad cursor: %d, want 422", resp.StatusCode)
		}
	})
}
