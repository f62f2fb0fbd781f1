package cli_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
)

func mustRun(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	r := run(t, env, args...)
	if r.code != 0 {
		t.Fatalf("docket %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

func TestMemberCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "docket.db")
	r := mustRun(t, nil, "member", "add", "--db", db, "--name", "Jane Doe", "--constituency", "Exampleton", "--party", "Labour")
	if !strings.Contains(r.stdout, "Jane Doe, MP for Exampleton (Labour)") {
		t.Errorf("stdout %q", r.stdout)
	}
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no name", []string{"member", "add", "--db", db}, 2, "name must not be empty"},
		{"same name again", []string{"member", "add", "--db", db, "--name", "JANE DOE"}, 1, "already called Jane Doe"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, nil, c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, c.code, c.want)
			}
		})
	}
	var ms []docket.Member
	if err := json.Unmarshal([]byte(mustRun(t, nil, "member", "list", "--db", db, "--json").stdout), &ms); err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Name != "Jane Doe" || ms[0].Party != "Labour" {
		t.Fatalf("members %+v", ms)
	}
}

// TestStatementImportShowList imports the scraped page fixture (a constituent response
// written for these tests in the shape of a page saved from a party website, boilerplate
// and all), shows it as JSON, and lists it as stale once a UN item arrives on its topic.
func TestStatementImportShowList(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "docket.db")
	mustRun(t, nil, "topic", "add", "--db", db, "--title", "Syria", "--rule", "Syria OR Idlib", "--public")
	// A report from before the statement, in its words: the import suggests it as evidence.
	const report = "Nearly 900,000 people have fled Idlib; children die of cold in the camps"
	addItem(t, db, "https://news.example.org/feed", docket.KindNews, report, time.Date(2020, 2, 15, 9, 0, 0, 0, time.UTC))
	r := mustRun(t, nil, "statement", "import", "--db", db, "--topic", "syria", "--status", "published", "--published-at", "2020-02-20",
		"testdata/mp-page-scraped.txt")
	for _, want := range []string{`imported statement 1: "Idlib: my reply to constituents" (published, 6 sentences) by Omar Haddad, MP for Northbridge`,
		"added member 1, Omar Haddad, MP for Northbridge, from the signature", "  - Do you like this post?", "  - Share this post"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}

	// Flags after the id count as much as flags before it.
	show := mustRun(t, nil, "statement", "show", "1", "--json", "--db", db).stdout
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(show), &raw); err != nil {
		t.Fatal(err)
	}
	if keys, want := slices.Sorted(maps.Keys(raw)), []string{"id", "member", "published_at", "sentences", "stale", "status", "title", "topics", "version"}; !slices.Equal(keys, want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	var got struct {
		ID          int64     `json:"id"`
		Title       string    `json:"title"`
		Status      string    `json:"status"`
		Version     int       `json:"version"`
		Member      string    `json:"member"`
		Topics      []string  `json:"topics"`
		PublishedAt time.Time `json:"published_at"`
		Sentences   []struct {
			Index    int              `json:"index"`
			Text     string           `json:"text"`
			Evidence []map[string]any `json:"evidence"`
		} `json:"sentences"`
		Stale struct {
			NewItems int               `json:"new_items"`
			Items    []json.RawMessage `json:"items"`
		} `json:"stale"`
	}
	if err := json.Unmarshal([]byte(show), &got); err != nil {
		t.Fatal(err)
	}
	if got.Title != "Idlib: my reply to constituents" || got.Status != "published" || got.Version != 1 || got.Member != "Omar Haddad" ||
		!reflect.DeepEqual(got.Topics, []string{"syria"}) || !got.PublishedAt.Equal(time.Date(2020, 2, 20, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("statement %+v", got)
	}
	if len(got.Sentences) != 6 || got.Sentences[0].Index != 0 || !strings.HasPrefix(got.Sentences[0].Text, "Thank you for writing") {
		t.Fatalf("sentences %+v", got.Sentences)
	}
	for _, s := range got.Sentences {
		for _, junk := range []string{"cookie", "Do you like", "Share this", "MP for", "Yours sincerely", "Tags:"} {
			if strings.Contains(s.Text, junk) {
				t.Errorf("boilerplate %q left in sentence %q", junk, s.Text)
			}
		}
		if s.Evidence == nil {
			t.Errorf("sentence %d: evidence is null, want a list", s.Index)
		}
	}
	// The sentence about the people who fled Idlib has the report as its evidence, with
	// every field a reader of the JSON needs.
	fled := got.Sentences[2]
	if !strings.Contains(fled.Text, "900,000 people have fled") {
		t.Fatalf("sentence 2 is %q, want the one about the people who fled", fled.Text)
	}
	ev := fled.Evidence
	if len(ev) != 1 {
		t.Fatalf("sentence 2 (%q) has %d pieces of evidence, want 1 (the report)", fled.Text, len(ev))
	}
	if evKeys, want := slices.Sorted(maps.Keys(ev[0])), []string{"item_id", "published_at", "score", "source", "state", "title", "url"}; !slices.Equal(evKeys, want) {
		t.Fatalf("evidence keys %v, want %v", evKeys, want)
	}
	want := map[string]any{"item_id": 1.0, "title": report, "url": "https://news.example.org/feed/1",
		"source": "https://news.example.org/feed", "published_at": "2020-02-15T09:00:00Z", "state": "suggested"}
	for k, w := range want {
		if ev[0][k] != w {
			t.Errorf("evidence %s = %v, want %v", k, ev[0][k], w)
		}
	}
	if score, _ := ev[0]["score"].(float64); score <= 0 {
		t.Errorf("evidence score %v, want a positive number", ev[0]["score"])
	}

	if got.Stale.NewItems != 0 || got.Stale.Items == nil {
		t.Errorf("stale %+v, want none, as an empty list", got.Stale)
	}

	// A UN report on the topic after the statement makes it stale.
	addItem(t, db, "https://un.example.org/feed", docket.KindUN, "OCHA: displacement continues in north-west Syria", time.Date(2020, 3, 1, 9, 0, 0, 0, time.UTC))
	var stale []struct {
		ID       int64 `json:"id"`
		NewItems int   `json:"new_items"`
		Items    []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, nil, "statement", "list", "--db", db, "--stale", "--json").stdout), &stale); err != nil {
		t.Fatal(err)
	}
	if len(stale) != 1 || stale[0].ID != 1 || stale[0].NewItems != 1 || stale[0].Items[0].Title != "OCHA: displacement continues in north-west Syria" {
		t.Fatalf("stale %+v", stale)
	}
	if err := json.Unmarshal([]byte(mustRun(t, map[string]string{"DOCKET_STALE_THRESHOLD": "2"}, "statement", "list", "--db", db, "--stale", "--json").stdout), &stale); err != nil {
		t.Fatal(err)
	}
	if len(stale) != 0 {
		t.Errorf("with a threshold of 2: %+v, want none", stale)
	}
	var rows []struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
		Member string `json:"member"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, nil, "statement", "list", "--db", db, "--status", "published", "--json").stdout), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Member != "Omar Haddad" {
		t.Errorf("list %+v", rows)
	}
}

func addItem(t *testing.T, dbPath, feed, kind, title string, published time.Time) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	topic, err := db.TopicBySlug(ctx, "syria")
	if err != nil {
		t.Fatal(err)
	}
	src := &docket.Source{URL: feed, Kind: kind}
	if err := db.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		res, err := tx.SaveItems(ctx, src.ID, []docket.Item{{GUID: title, URL: feed + "/1", Title: title, Text: title, PublishedAt: published, ContentHash: title}})
		if err != nil {
			return err
		}
		return tx.LinkRuleMatches(ctx, res.New[0], published, []store.TopicMatch{{TopicID: topic.ID}})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestStatementImportErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "docket.db")
	page, err := os.ReadFile("testdata/mp-page-scraped.txt")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(page)
	}))
	defer srv.Close()
	mustRun(t, nil, "member", "add", "--db", db, "--name", "Jane Doe")

	t.Run("from a web address, with the member chosen", func(t *testing.T) {
		r := mustRun(t, nil, "statement", "import", "--db", db, "--allow-private-sources", "--member", "jane doe", srv.URL+"/idlib")
		if !strings.Contains(r.stdout, "by Jane Doe") || strings.Contains(r.stdout, "added member") {
			t.Errorf("stdout %q, want Jane Doe chosen and nobody added", r.stdout)
		}
	})
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"private address refused by default", []string{srv.URL + "/idlib"}, 1, "could not fetch"},
		{"page not found", []string{"--allow-private-sources", srv.URL + "/missing"}, 1, "could not fetch"},
		{"unknown member", []string{"--member", "Nobody", "testdata/mp-page-scraped.txt"}, 1, "no member named"},
		{"unknown topic", []string{"--topic", "nowhere", "testdata/mp-page-scraped.txt"}, 1, `topic "nowhere" not found`},
		{"bad status", []string{"--status", "approved", "testdata/mp-page-scraped.txt"}, 2, "must be draft or published"},
		{"date without published", []string{"--published-at", "2020-01-01", "testdata/mp-page-scraped.txt"}, 2, "goes with --status published"},
		{"bad date", []string{"--status", "published", "--published-at", "yesterday", "testdata/mp-page-scraped.txt"}, 2, "not a date"},
		{"a date to come", []string{"--status", "published", "--published-at", "2030-01-01", "testdata/mp-page-scraped.txt"}, 2,
			`--published-at "2030-01-01" is in the future`},
		{"a time to come", []string{"--status", "published", "--published-at", time.Now().Add(time.Hour).UTC().Format(time.RFC3339), "testdata/mp-page-scraped.txt"}, 2,
			"is in the future"},
		{"missing file", []string{"testdata/none.txt"}, 2, "no such file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, nil, append([]string{"statement", "import", "--db", db}, c.args...)...)
			if r.code != c.code || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, c.code, c.want)
			}
		})
	}
	t.Run("today's date is not in the future", func(t *testing.T) {
		today := docket.LondonDay(time.Now())
		r := run(t, nil, "statement", "import", "--db", db, "--status", "published", "--published-at", today, "--title", "Published today", "testdata/mp-page-scraped.txt")
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q; want --published-at %s taken", r.code, r.stderr, today)
		}
	})
	t.Run("show an unknown statement", func(t *testing.T) {
		r := run(t, nil, "statement", "show", "--db", db, "99")
		if r.code != 1 || !strings.Contains(r.stderr, "statement 99 not found") {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		r = run(t, nil, "statement", "show", "--db", db, "abc")
		if r.code != 2 {
			t.Fatalf("exit %d for a bad id, want 2", r.code)
		}
	})
}
