package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// refuseAudit makes every insert into audit_log fail until the returned function is called.
func refuseAudit(t *testing.T, db *store.DB) (allow func()) {
	t.Helper()
	ctx := context.Background()
	create := []string{`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END`}
	drop := []string{`DROP TRIGGER refuse_audit`}
	if db.Dialect == store.Postgres {
		create = []string{
			`CREATE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
		}
		drop = []string{`DROP TRIGGER refuse_audit ON audit_log`, `DROP FUNCTION refuse_audit()`}
	}
	for _, q := range create {
		if _, err := db.W.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return func() {
		t.Helper()
		for _, q := range drop {
			if _, err := db.W.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
}

// TestOfficeActionsAuditInTheirTransaction: an office action and its audit row commit
// together. When the row cannot be written, the action is not done and the user is told;
// when it can, the action writes exactly one row.
func TestOfficeActionsAuditInTheirTransaction(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newOfficeWorld(t, db, 3)
		admin := w.browsers[docket.RoleAdmin]
		news, err := db.SourceByURL(ctx, "https://news.example.org/feed")
		if err != nil {
			t.Fatal(err)
		}
		members, err := db.ListMembers(ctx)
		if err != nil || len(members) == 0 {
			t.Fatalf("members %v (%v)", members, err)
		}
		member := members[0]
		countStatements := func() int {
			rows, err := db.ListStatements(ctx, store.StatementFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return len(rows)
		}
		statementsBefore := countStatements()

		cases := []struct {
			action string
			target string // "" when it is only known after the action
			do     func(t *testing.T) *http.Response
			done   func(t *testing.T) bool
		}{
			{"topic.add", "topic:yemen", func(t *testing.T) *http.Response {
				resp, _ := admin.do("POST", "/office/topics", url.Values{"title": {"Yemen"}, "rule": {"Yemen"}, "visibility": {"private"}})
				return resp
			}, func(t *testing.T) bool {
				_, err := db.TopicBySlug(ctx, "yemen")
				return err == nil
			}},
			{"topic.update", "topic:syria", func(t *testing.T) *http.Response {
				resp, _ := admin.do("POST", "/office/topics/syria/settings", url.Values{"title": {"Syria"}, "rule": {"Syria OR Damascus"},
					"visibility": {"public"}, "revision": {settingsRevision(t, w, docket.RoleAdmin, "syria")}})
				return resp
			}, func(t *testing.T) bool {
				topic, err := db.TopicBySlug(ctx, "syria")
				return err == nil && topic.Rule == "Syria OR Damascus"
			}},
			{"source.add", "source:https://feeds.example.org/new", func(t *testing.T) *http.Response {
				resp, _ := admin.do("POST", "/office/sources", url.Values{"url": {"https://feeds.example.org/new"}, "kind": {"news"}})
				return resp
			}, func(t *testing.T) bool {
				_, err := db.SourceByURL(ctx, "https://feeds.example.org/new")
				return err == nil
			}},
			{"source.disabled", fmt.Sprintf("source:%d", news.ID), func(t *testing.T) *http.Response {
				resp, _ := admin.do("POST", fmt.Sprintf("/office/sources/%d/disabled", news.ID), url.Values{"disabled": {"true"}})
				return resp
			}, func(t *testing.T) bool {
				src, err := db.SourceByID(ctx, news.ID)
				return err == nil && src.Disabled
			}},
			{"member.add", "member:Ann Example", func(t *testing.T) *http.Response {
				resp, _ := admin.do("POST", "/office/members", url.Values{"name": {"Ann Example"}, "constituency": {"Westby"}})
				return resp
			}, func(t *testing.T) bool {
				ms, _ := db.ListMembers(ctx)
				for _, m := range ms {
					if m.Name == "Ann Example" {
						return true
					}
				}
				return false
			}},
			{"member.update", "member:Sarah Whitfield-Jones", func(t *testing.T) *http.Response {
				resp, _ := admin.do("POST", fmt.Sprintf("/office/members/%d", member.ID), url.Values{"name": {"Sarah Whitfield-Jones"},
					"constituency": {member.Constituency}, "party": {member.Party}})
				return resp
			}, func(t *testing.T) bool {
				m, err := db.MemberByID(ctx, member.ID)
				return err == nil && m.Name == "Sarah Whitfield-Jones"
			}},
			{"statement.import_published", "", func(t *testing.T) *http.Response {
				form := url.Values{"text": {"Aleppo: my statement\n\nI welcome the evacuation of civilians from Aleppo.\n\nSarah Whitfield"},
					"kind": {"press_release"}, "status": {"published"}, "published_at": {"2016-12-20"}}
				resp, page := admin.do("POST", "/office/statements/import", form)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("preview: %d %.400s", resp.StatusCode, page)
				}
				resp, _ = admin.do("POST", "/office/statements/import", formValues(parseHTML(t, page), `[data-testid=import-preview]`, `button[value=import]`))
				return resp
			}, func(t *testing.T) bool {
				return countStatements() > statementsBefore
			}},
		}
		allow := refuseAudit(t, db)
		for _, c := range cases {
			t.Run(c.action+" unrecorded is not done", func(t *testing.T) {
				if resp := c.do(t); resp.StatusCode != http.StatusInternalServerError {
					t.Errorf("got %d, want 500", resp.StatusCode)
				}
				if c.done(t) {
					t.Error("the action was done without its audit row")
				}
			})
		}
		allow()
		for _, c := range cases {
			t.Run(c.action+" writes one row", func(t *testing.T) {
				if resp := c.do(t); resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusOK {
					t.Fatalf("got %d", resp.StatusCode)
				}
				if !c.done(t) {
					t.Fatal("the action was not done")
				}
				trail, err := db.AuditTrail(ctx, 500, time.Time{})
				if err != nil {
					t.Fatal(err)
				}
				var rows []store.AuditEntry
				for _, e := range trail {
					if e.Action == c.action {
						rows = append(rows, e)
					}
				}
				if len(rows) != 1 {
					t.Fatalf("%d %s rows, want 1: %+v", len(rows), c.action, rows)
				}
				target := c.target
				if c.action == "statement.import_published" {
					latest, err := db.ListStatements(ctx, store.StatementFilter{})
					if err != nil {
						t.Fatal(err)
					}
					target = fmt.Sprintf("statement:%d", latest[0].ID)
				}
				if rows[0].Target != target || rows[0].UserID == nil || *rows[0].UserID != w.users[docket.RoleAdmin].ID {
					t.Errorf("row %+v, want target %q by the admin", rows[0], target)
				}
			})
		}
	})
}
