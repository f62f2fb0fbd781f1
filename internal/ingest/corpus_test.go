package ingest

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// corpusFiles is how many feed files the corpora hold (/work/shared/corpus/README.md): with
// DOCKET_CORPUS set, finding fewer is a failure, not a pass over nothing.
const corpusFiles = 2670

// corpusFeed is one file of the corpora, with what gofeed alone makes of its bytes.
type corpusFeed struct {
	rel         string // path below the corpus folder, with slashes
	body        []byte
	contentType string // what feedparser's harness sends for it
	gofeedOK    bool   // gofeed.NewParser().Parse accepts it
	gofeedItems int    // items gofeed finds
	distinct    int    // distinct items gofeed finds (see gofeedDistinct)
}

// headerCTRE finds the Content-Type that feedparser's harness sends for a file.
var headerCTRE = regexp.MustCompile(`(?mi)^\s*Header:\s*Content-type:\s*(.+?)\s*$`)

// loadCorpus reads the feed test corpora of feedparser and gofeed, from DOCKET_CORPUS or the
// shared folder beside the repository. It skips when DOCKET_CORPUS is unset and the folder is
// absent; with DOCKET_CORPUS set, a missing folder or a file count other than corpusFiles
// fails the test.
func loadCorpus(t *testing.T) []corpusFeed {
	t.Helper()
	dir, required := os.LookupEnv("DOCKET_CORPUS")
	if !required || dir == "" {
		required = false
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("feed corpus not found at %s (set DOCKET_CORPUS): %v", dir, err)
		}
	}
	var feeds []corpusFeed
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".xml") || strings.HasSuffix(path, ".json")) {
			return nil
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		f := corpusFeed{rel: filepath.ToSlash(rel), body: body, contentType: "application/xml"}
		if strings.HasSuffix(path, ".json") {
			f.contentType = "application/json"
		}
		if m := headerCTRE.FindSubmatch(body); m != nil {
			f.contentType = string(m[1])
		}
		f.gofeedItems, f.distinct, f.gofeedOK = gofeedDistinct(body)
		feeds = append(feeds, f)
		return nil
	})
	if err != nil {
		t.Fatalf("read the corpus at %s: %v", dir, err)
	}
	if required && len(feeds) != corpusFiles {
		t.Fatalf("found %d feed files under DOCKET_CORPUS=%s, want the corpus's %d", len(feeds), dir, corpusFiles)
	}
	if len(feeds) == 0 {
		t.Skipf("no feed files under %s", dir)
	}
	return feeds
}

// gofeedDistinct runs gofeed alone on body and counts its items and its distinct items,
// keyed as the corpus README says: guid, else link, else title+published; items with none of
// those do not count as distinct.
func gofeedDistinct(body []byte) (items, distinct int, ok bool) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return 0, 0, false
	}
	keys := map[string]bool{}
	for _, it := range f.Items {
		switch {
		case it.GUID != "":
			keys["g:"+it.GUID] = true
		case it.Link != "":
			keys["l:"+it.Link] = true
		case it.Title != "" || it.Published != "":
			keys["t:"+it.Title+"\x00"+it.Published] = true
		}
	}
	return len(f.Items), len(keys), true
}

type corpusResult struct {
	feed  *Feed
	items []docket.Item
	err   error
}

// TestCorpus runs Parse and Normalize on every feed of the corpora: none may panic or hang,
// each parses or is refused with a clear message, and Docket finds at least the distinct
// items gofeed alone finds.
func TestCorpus(t *testing.T) {
	feeds := loadCorpus(t)
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	var parsed, refused, items, gofeedOK, gofeedDistinctItems int
	for _, cf := range feeds {
		if cf.gofeedOK {
			gofeedOK++
			gofeedDistinctItems += cf.distinct
		}
		done := make(chan corpusResult, 1)
		go func() {
			f, err := Parse(cf.body, cf.contentType, "http://example.com/feed")
			var its []docket.Item
			if err == nil {
				its = Normalize(f, "http://example.com/feed", now, 0)
			}
			done <- corpusResult{f, its, err}
		}()
		var res corpusResult
		select {
		case res = <-done:
		case <-time.After(5 * time.Second):
			t.Errorf("%s: Parse+Normalize still running after 5s", cf.rel)
			continue
		}
		if res.err != nil {
			refused++
			var de *docket.Error
			var pe *PanicError
			switch {
			case errors.As(res.err, &pe):
				t.Errorf("%s: parser panicked: %v", cf.rel, res.err)
			case !errors.As(res.err, &de) || !strings.HasPrefix(de.Message, "not a feed: "):
				t.Errorf("%s: got error %q, want a *docket.Error starting \"not a feed: \"", cf.rel, res.err)
			case cf.gofeedOK:
				t.Errorf("%s: gofeed parses it (%d distinct items) but Docket refuses: %v", cf.rel, cf.distinct, res.err)
			}
			if testing.Verbose() {
				t.Logf("refused %s: %v", cf.rel, res.err)
			}
			continue
		}
		parsed++
		items += len(res.items)
		for _, it := range res.items {
			// Odd texts for the story signature, which must be what it was before its
			// rewrite (signatureBefore): the plain excerpt, the sanitized summary and the text.
			for _, summary := range []string{docket.Excerpt(it.Text, it.Title, 400), it.Summary, it.Text} {
				if d := sameSig(Signature(it.Title, summary), signatureBefore(it.Title, summary)); d != "" {
					t.Errorf("%s: Signature(%q, %q): %s from signatureBefore", cf.rel, it.Title, summary, d)
				}
			}
		}
		if cf.gofeedOK && len(res.items) < cf.distinct {
			t.Errorf("%s: got %d items, want at least gofeed's %d distinct", cf.rel, len(res.items), cf.distinct)
		}
	}
	t.Logf("corpus: %d files; Docket parsed %d, refused %d, %d items; gofeed alone parsed %d, %d distinct items",
		len(feeds), parsed, refused, items, gofeedOK, gofeedDistinctItems)
}

// TestCorpusThroughTheIngester serves every file of the corpora over HTTP, with the
// Content-Type feedparser's harness sends for it, and ingests them all with Once into a real
// SQLite file. Each source ends with items or with a one-line "not a feed: …" error, never
// both and never a parser panic; and every feed gofeed alone parses is stored without error,
// with at least gofeed's distinct items.
func TestCorpusThroughTheIngester(t *testing.T) {
	feeds := loadCorpus(t)
	if testing.Short() {
		t.Skip("-short: the corpus takes a while")
	}
	byPath := make(map[string]*corpusFeed, len(feeds))
	for i := range feeds {
		byPath["/"+feeds[i].rel] = &feeds[i]
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cf, ok := byPath[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", cf.contentType)
		w.Write(cf.body)
	}))
	defer srv.Close()

	ctx := context.Background()
	db := storetest.OpenSQLite(t)
	err := db.Update(ctx, func(tx *store.Tx) error {
		for path := range byPath {
			if err := tx.CreateSource(ctx, &docket.Source{URL: srv.URL + path, Kind: docket.KindOther}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tm := &TopicMatchers{DB: db}
	g := &Ingester{DB: db, Client: NewClient(ClientOptions{AllowPrivate: true}), Matcher: tm.Current, Workers: 4}
	srcs, err := db.DueSources(ctx, time.Now(), true)
	if err != nil {
		t.Fatal(err)
	}
	run, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	sum, err := g.Once(run, srcs, nil)
	if err != nil {
		t.Fatalf("ingest stopped: %v", err)
	}
	all, err := db.ListSources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(feeds) {
		t.Fatalf("got %d sources, want one per file, %d", len(all), len(feeds))
	}
	var stored, refused, gofeedOK, gofeedItems, gofeedDistinctItems int
	var items, itemsOfGofeedOK int64
	for _, s := range all {
		cf := byPath[strings.TrimPrefix(s.URL, srv.URL)]
		items += s.ItemCount
		if cf.gofeedOK {
			gofeedOK++
			gofeedItems += cf.gofeedItems
			gofeedDistinctItems += cf.distinct
			itemsOfGofeedOK += s.ItemCount
		}
		switch {
		case s.LastFetchedAt == nil:
			t.Errorf("%s: never fetched", cf.rel)
			continue
		case strings.Contains(s.LastError, "feed parser panicked"):
			t.Errorf("%s: %s", cf.rel, s.LastError)
		case s.LastError != "" && s.ItemCount > 0:
			t.Errorf("%s: both %d items and an error (%s)", cf.rel, s.ItemCount, s.LastError)
		case s.LastError != "" && (!strings.HasPrefix(s.LastError, "not a feed: ") || strings.Contains(s.LastError, "\n") || len(s.LastError) > 300):
			t.Errorf("%s: got error %q, want one clear line starting \"not a feed: \"", cf.rel, s.LastError)
		}
		if s.LastError != "" {
			refused++
			if cf.gofeedOK {
				t.Errorf("%s: gofeed parses it (%d distinct items) but Docket refuses: %s", cf.rel, cf.distinct, s.LastError)
			}
			continue
		}
		stored++
		if cf.gofeedOK && int(s.ItemCount) < cf.distinct {
			t.Errorf("%s: stored %d items, gofeed alone finds %d distinct", cf.rel, s.ItemCount, cf.distinct)
		}
	}
	t.Logf("%d feeds: %d stored (%d items), %d refused with an error; gofeed alone parses %d of them "+
		"(%d items, %d distinct), where Docket stored %d items; summary %+v",
		len(all), stored, items, refused, gofeedOK, gofeedItems, gofeedDistinctItems, itemsOfGofeedOK, sum)
}
