package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestPublicExports downloads a public topic's timeline as CSV and JSON: what the public
// timeline shows (no rejected item, every member of a story), with the public page's filters,
// no notes, formula cells defused; linked from the topic page; private topics not found.
func TestPublicExports(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := clustered(t, db)
		newFixtureItem(t, f, "=HYPERLINK(\"https://evil.example\")")
		if err := db.SetLinkState(ctx, f.public.ID, f.items[2], docket.StateRejected); err != nil {
			t.Fatal(err)
		}
		users := addUsers(t, db)
		if err := db.AddItemNote(ctx, &store.ItemNote{ItemID: f.items[3], TopicID: f.public.ID, UserID: &users[docket.RoleResearcher].ID, Body: "Internal: source unsure"}); err != nil {
			t.Fatal(err)
		}

		doc := f.doc(t, "/topics/syria?kind=un&q=report", http.StatusOK)
		if got := doc.Find(`[data-testid=export-csv]`).AttrOr("href", ""); got != "/topics/syria/timeline.csv?kind=un&q=report" {
			t.Errorf("CSV link %q, want the page's filters", got)
		}

		resp, body := f.get(t, "/topics/syria/timeline.csv")
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(rows[0], "notes") || strings.Contains(body, "Internal") {
			t.Errorf("the public CSV carries notes: %v", rows[0])
		}
		var titles []string
		for _, r := range rows[1:] {
			titles = append(titles, r[2])
		}
		want := []string{"'=HYPERLINK(\"https://evil.example\")", "Syria report number 11", "Syria report number 10", "Syria report number 9",
			"Syria report number 8", "Syria report number 5", "Syria report number 7", "Syria report number 6", "Syria report number 4",
			"Syria report number 3", "Syria report number 1", "Syria report number 0"}
		if !slices.Equal(titles, want) {
			t.Errorf("CSV titles:\n got %q\nwant %q", titles, want)
		}

		var out struct {
			Topic string           `json:"topic"`
			Items []map[string]any `json:"items"`
		}
		resp, body = f.get(t, "/topics/syria/timeline.json?kind=un")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("JSON: %d", resp.StatusCode)
		}
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("JSON: %v\n%s", err, body)
		}
		for _, it := range out.Items {
			if it["source_kind"] != docket.KindUN {
				t.Errorf("kind=un exported %v", it)
			}
			if _, ok := it["notes"]; ok {
				t.Errorf("the public JSON carries notes: %v", it)
			}
		}
		if len(out.Items) != 4 { // reports 9, 6, 3 and 0 come from the UN
			t.Errorf("kind=un: got %d items, want 4", len(out.Items))
		}

		for _, p := range []string{"/topics/office-only/timeline.csv", "/topics/office-only/timeline.json"} {
			if resp, _ := f.get(t, p); resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, resp.StatusCode)
			}
		}
	})
}
