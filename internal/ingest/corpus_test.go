package ingest

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/docket-dev/docket/internal/docket"
)

// corpusDir is where the feed test corpora of feedparser and gofeed live: outside the
// repository, so the test skips when they are absent.
func corpusDir(t testing.TB) string {
	dir := os.Getenv("DOCKET_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("feed corpus not found at %s (set DOCKET_CORPUS): %v", dir, err)
	}
	return dir
}

// headerCTRE finds the Content-Type that feedparser's harness sends for a file.
var headerCTRE = regexp.MustCompile(`(?mi)^\s*Header:\s*Content-type:\s*(.+?)\s*$`)

// gofeedDistinct counts the distinct items gofeed alone finds, keyed as the corpus README
// says: guid, else link, else title+published; items with none of those do not count.
func gofeedDistinct(body []byte) (int, bool) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return 0, false
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
	return len(keys), true
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
	dir := corpusDir(t)
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	var files, parsed, refused, items, gofeedOK, gofeedItems int
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
		files++
		rel, _ := filepath.Rel(dir, path)
		contentType := "application/xml"
		if strings.HasSuffix(path, ".json") {
			contentType = "application/json"
		}
		if m := headerCTRE.FindSubmatch(body); m != nil {
			contentType = string(m[1])
		}
		want, gofeedParsed := gofeedDistinct(body)
		if gofeedParsed {
			gofeedOK++
			gofeedItems += want
		}

		done := make(chan corpusResult, 1)
		go func() {
			f, err := Parse(body, contentType, "http://example.com/feed")
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
			t.Errorf("%s: Parse+Normalize still running after 5s", rel)
			return nil
		}
		if res.err != nil {
			refused++
			var de *docket.Error
			var pe *PanicError
			switch {
			case errors.As(res.err, &pe):
				t.Errorf("%s: parser panicked: %v", rel, res.err)
			case !errors.As(res.err, &de) || !strings.HasPrefix(de.Message, "not a feed: "):
				t.Errorf("%s: got error %q, want a *docket.Error starting \"not a feed: \"", rel, res.err)
			case gofeedParsed:
				t.Errorf("%s: gofeed parses it (%d distinct items) but Docket refuses: %v", rel, want, res.err)
			}
			if testing.Verbose() {
				t.Logf("refused %s: %v", rel, res.err)
			}
			return nil
		}
		parsed++
		items += len(res.items)
		if gofeedParsed && len(res.items) < want {
			t.Errorf("%s: got %d items, want at least gofeed's %d distinct", rel, len(res.items), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Skipf("no feed files under %s", dir)
	}
	t.Logf("corpus: %d files; Docket parsed %d, refused %d, %d items; gofeed alone parsed %d, %d distinct items",
		files, parsed, refused, items, gofeedOK, gofeedItems)
	_ = context.Background
}
