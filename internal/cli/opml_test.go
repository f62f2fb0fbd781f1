package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// listedSource is what a round trip through OPML must keep of a source.
type listedSource struct {
	URL   string `json:"url"`
	Title string `json:"title"`
	Kind  string `json:"kind"`
}

func listSources(t *testing.T, env map[string]string) []listedSource {
	t.Helper()
	var out []listedSource
	if err := json.Unmarshal([]byte(mustRun(t, env, "source", "list", "--json").stdout), &out); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, func(a, b listedSource) int { return strings.Compare(a.URL, b.URL) })
	return out
}

// TestSourceImportExport imports an OPML list (folders named like kinds, a category
// attribute, an untitled feed, a duplicate, an invalid feed), exports it, and imports the
// export into a new database: the same sources come back, the untitled one still untitled,
// so that its first fetch gives it the feed's own title.
func TestSourceImportExport(t *testing.T) {
	feeds := newFeedServer(t, map[string]string{"/untitled": rss("Aleppo evacuation resumes")})
	dir := t.TempDir()
	opml := `<?xml version="1.0"?>
<opml version="2.0"><head><title>A researcher's feeds</title></head><body>
  <outline text="UN">
    <outline text="UN News" title="UN News: Middle East" type="rss" xmlUrl="https://news.un.org/feed/rss.xml"/>
    <outline text="ReliefWeb" type="rss" xmlUrl="https://reliefweb.int/updates/rss.xml" htmlUrl="https://reliefweb.int/"/>
  </outline>
  <outline text="Middle East">
    <outline text="` + feeds.URL + `/untitled" type="rss" xmlUrl="` + feeds.URL + `/untitled"/>
    <outline text="Syria Relief" type="rss" category="ngo" xmlUrl="https://syriarelief.example.org/feed"/>
    <outline text="UN News again" type="rss" xmlUrl="https://news.un.org/feed/rss.xml"/>
  </outline>
  <outline text="Old gopher" type="rss" xmlUrl="gopher://example.org/feed"/>
</body></opml>`
	file := filepath.Join(dir, "feeds.opml")
	if err := os.WriteFile(file, []byte(opml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DOCKET_DB": filepath.Join(dir, "first.db"), "DOCKET_ALLOW_PRIVATE_SOURCES": "1"}

	r := run(t, env, "source", "import", file)
	if r.code != 1 || !strings.Contains(r.stderr, "1 of 5 feeds are invalid, nothing was added (use --skip-invalid to add the rest): gopher://example.org/feed: ") {
		t.Fatalf("import with an invalid feed: %+v, want exit 1 adding nothing", r)
	}
	r = mustRun(t, env, "source", "import", file, "--skip-invalid", "--kind", "other")
	if want := "4 sources added, 0 already present, 1 invalid skipped:\n  gopher://example.org/feed: "; !strings.HasPrefix(r.stdout, want) {
		t.Errorf("import printed %q, want it to begin %q", r.stdout, want)
	}
	want := []listedSource{ // by address, as listSources gives them
		{feeds.URL + "/untitled", "", "other"},
		{"https://news.un.org/feed/rss.xml", "UN News: Middle East", "un"},
		{"https://reliefweb.int/updates/rss.xml", "ReliefWeb", "un"},
		{"https://syriarelief.example.org/feed", "Syria Relief", "ngo"},
	}
	if got := listSources(t, env); !reflect.DeepEqual(got, want) {
		t.Fatalf("sources after import:\n got %+v\nwant %+v", got, want)
	}
	if r := mustRun(t, env, "source", "import", "--skip-invalid", file); !strings.HasPrefix(r.stdout, "0 sources added, 4 already present") {
		t.Errorf("importing again printed %q, want every feed already present", r.stdout)
	}

	exported := mustRun(t, env, "source", "export").stdout
	for _, w := range []string{`<outline text="` + feeds.URL + `/untitled" type="rss" xmlUrl="` + feeds.URL + `/untitled">`,
		`<outline text="ReliefWeb" title="ReliefWeb" type="rss" xmlUrl="https://reliefweb.int/updates/rss.xml" htmlUrl="https://reliefweb.int/">`} {
		if !strings.Contains(exported, w) {
			t.Errorf("the export lacks %s:\n%s", w, exported)
		}
	}

	// The export, read from standard input, makes the same sources in a new database.
	env2 := map[string]string{"DOCKET_DB": filepath.Join(dir, "second.db"), "DOCKET_ALLOW_PRIVATE_SOURCES": "1"}
	if r := runWithInput(t, env2, exported, "source", "import", "-"); r.code != 0 || r.stdout != "4 sources added, 0 already present\n" {
		t.Fatalf("import of the export: %+v", r)
	}
	if got := listSources(t, env2); !reflect.DeepEqual(got, want) {
		t.Fatalf("sources after the round trip:\n got %+v\nwant %+v", got, want)
	}
	// The untitled source takes the feed's title at its first fetch.
	mustRun(t, env2, "ingest", "--all")
	for _, s := range listSources(t, env2) {
		if s.URL == feeds.URL+"/untitled" && s.Title != "Test feed" {
			t.Errorf("the untitled source is called %q after its fetch, want the feed's title %q", s.Title, "Test feed")
		}
	}
}
