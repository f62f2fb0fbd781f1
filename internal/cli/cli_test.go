package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/cli"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// result is what one run of the command line printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	return runWithInput(t, env, "", args...)
}

// runWithInput runs the command line with stdin as its standard input.
func runWithInput(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code := cli.Run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func TestBadDatabasesGiveOneLineAndChangeNothing(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("shopping list\n"), 0o600)

	// A database whose schema is newer than this binary.
	newer := filepath.Join(dir, "newer.db")
	if r := run(t, nil, "migrate", "--db", newer); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	db, err := store.Open(context.Background(), newer, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.W.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, 1)`, store.Latest()+1)
	db.Close()

	// Another application's SQLite file, in the rollback journal mode SQLite starts in.
	other := filepath.Join(dir, "bookmarks.db")
	odb, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := odb.Exec(`CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO bookmarks (url) VALUES ('https://example.org/')`); err != nil {
		t.Fatal(err)
	}
	odb.Close()

	cases := []struct {
		name string
		db   string
		want string
	}{
		{"unknown scheme", "mysql://localhost/docket", "unsupported scheme"},
		{"refused postgres", "postgres://postgres@127.0.0.1:1/test?connect_timeout=2", "cannot reach PostgreSQL at 127.0.0.1:1/test: dial tcp 127.0.0.1:1: connect: connection refused"},
		{"unknown postgres host", "postgres://x@nohost.invalid/db?connect_timeout=2", "cannot reach PostgreSQL at nohost.invalid:5432/db: lookup nohost.invalid"},
		{"not an sqlite file", notDB, "is not an SQLite database"},
		{"schema newer than the binary", newer, "newer than this docket binary"},
		{"another application's database", other, "is not a Docket database: it holds tables (bookmarks) but no goose_db_version; give Docket a file of its own"},
		{"missing folder", filepath.Join(dir, "no", "such", "docket.db"), "does not exist"},
	}
	for _, c := range cases {
		for _, cmd := range [][]string{{"migrate"}, {"migrate", "--check"}, {"topic", "list"}, {"source", "list", "--json"}} {
			t.Run(c.name+"/"+strings.Join(cmd, " "), func(t *testing.T) {
				before := snapshot(t, dir)
				r := run(t, nil, append(cmd, "--db", c.db)...)
				if r.code == 0 {
					t.Fatalf("exit 0, want non-zero; stdout %q", r.stdout)
				}
				lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
				if len(lines) != 1 || !strings.Contains(lines[0], c.want) {
					t.Fatalf("stderr %q, want one line containing %q", r.stderr, c.want)
				}
				if after := snapshot(t, dir); after != before {
					t.Errorf("the folder changed:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	}
}

// TestMigrateCheckOnlyLooks: `migrate --check` creates no file where there is none, leaves an
// up-to-date database's folder exactly as it was, and an empty file is a new database.
func TestMigrateCheckOnlyLooks(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "docket.db")
	r := run(t, nil, "migrate", "--check", "--db", path)
	if r.code != 1 || r.stderr != "docket migrate: --db "+path+" does not exist yet: docket migrate creates it\n" {
		t.Errorf("--check on a missing file: %+v, want exit 1 saying it does not exist yet", r)
	}
	if got := snapshot(t, dir); got != "" {
		t.Fatalf("--check on a missing file left %s, want nothing", got)
	}
	mustRun(t, nil, "migrate", "--db", path)
	before := snapshot(t, dir)
	if r := run(t, nil, "migrate", "--check", "--db", path); r.code != 0 || !strings.Contains(r.stdout, "up to date") {
		t.Errorf("--check on a migrated database: %+v", r)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("--check changed the folder:\nbefore %s\nafter  %s", before, after)
	}

	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := run(t, nil, "migrate", "--check", "--db", empty); r.code != 1 || !strings.Contains(r.stderr, "is pending: run docket migrate") {
		t.Errorf("--check on an empty file: %+v, want migrations pending", r)
	}
	if st, err := os.Stat(empty); err != nil || st.Size() != 0 {
		t.Errorf("--check wrote to the empty file (%v)", err)
	}
	if r := run(t, nil, "topic", "list", "--db", empty); r.code != 0 {
		t.Errorf("topic list on an empty file: %+v, want a new database", r)
	}
	if r := run(t, nil, "migrate", "--check", "--db", empty); r.code != 0 {
		t.Errorf("--check after the empty file became a database: %+v", r)
	}
}

// snapshot names and hashes every file in dir, to see that a failed command changed nothing.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, _ := os.ReadFile(p)
		fmt.Fprintf(&b, "%s:%x ", filepath.Base(p), sha256.Sum256(data))
		return nil
	})
	return b.String()
}

func TestHelpAndUsageErrors(t *testing.T) {
	cases := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{[]string{"--help"}, 0, "Commands:", ""},
		{[]string{}, 2, "", "Commands:"},
		{[]string{"serve", "--help"}, 0, "env DOCKET_DB", ""},
		{[]string{"source", "--help"}, 0, "add", ""},
		{[]string{"source", "add", "--help"}, 0, "--kind", ""},
		{[]string{"ingest", "--help"}, 0, "--all", ""},
		{[]string{"topic", "list", "--help"}, 0, "--json", ""},
		{[]string{"migrate", "--help"}, 0, "--check", ""},
		{[]string{"serv"}, 2, "", `Did you mean "serve"?`},
		{[]string{"serve", "--no-such-flag"}, 2, "", "flag provided but not defined: -no-such-flag"},
		{[]string{"serve", "--no-web", "--no-ingest"}, 2, "", "leave nothing to do"},
		{[]string{"serve", "--base-url", "docket.example.org"}, 2, "", `--base-url "docket.example.org" must start with http:// or https://`},
		{[]string{"serve", "--base-url", "https://"}, 2, "", `--base-url "https://" names no host`},
		{[]string{"serve", "--base-url", "https://docket.example.org/?utm=x"}, 2, "", "--base-url \"https://docket.example.org/?utm=x\" must not have a query"},
		{[]string{"serve", "--base-url", "https://docket.example.org/#top"}, 2, "", "must not have a fragment"},
		{[]string{"serve", "--base-url", "https://me:pw@docket.example.org"}, 2, "", "must not carry a user name"},
		{[]string{"source", "add"}, 2, "", "usage: docket source add"},
		{[]string{"source", "add", "--kind", "blog", "https://example.org/feed"}, 2, "", `kind "blog" must be one of`},
		{[]string{"source", "add", "ftp://example.org/feed"}, 2, "", "must be an http:// or https:// address"},
		{[]string{"topic", "add", "--title", "Syria"}, 2, "", "--rule is empty"},
		{[]string{"topic", "set-rule", "syria", ""}, 2, "",
			"docket topic set-rule: the argument RULE is empty: say which items belong to the topic, e.g. docket topic set-rule syria 'Aleppo OR Idlib'\n"},
		{[]string{"user", "add", "--email", "x", "--name", "y", "--role", "god"}, 2, "",
			`docket user add: email "x" is not an email address; role "god" must be one of admin, editor, researcher` + "\n"},
		// A --db that names no database is a wrong command line too.
		{[]string{"topic", "list", "--db", ""}, 2, "", "docket topic list: --db is empty"},
		{[]string{"migrate", "--db", "sqlite:"}, 2, "", `--db "sqlite:" names no file`},
		{[]string{"migrate", "--db", "mysql://localhost/docket"}, 2, "", `unsupported scheme "mysql"`},
		// A duration serve would otherwise replace by its default, or act on at once.
		{[]string{"serve", "--job-timeout", "0"}, 2, "", "docket serve: --job-timeout 0s must be positive"},
		{[]string{"serve", "--job-timeout", "-1m"}, 2, "", "--job-timeout -1m0s must be positive"},
		{[]string{"serve", "--rescue-after", "-3m", "--job-timeout", "-5m"}, 2, "", "--job-timeout -5m0s must be positive"},
		{[]string{"serve", "--shutdown-timeout", "0s"}, 2, "", "--shutdown-timeout 0s must be positive"},
		{[]string{"serve", "--review-overdue", "0s"}, 2, "", "--review-overdue 0s must be positive"},
		{[]string{"serve", "--parliament-interval", "-1s"}, 2, "", "--parliament-interval -1s must not be negative"},
		{[]string{"version"}, 0, "docket ", ""},
		{[]string{"version", "--help"}, 0, "Usage: docket version", ""},
		{[]string{"version", "extra"}, 2, "", "usage: docket version"},
		// Flags after positional arguments are flags too; -- ends them.
		{[]string{"source", "add", "https://example.org/feed", "--kind", "blog"}, 2, "", `kind "blog" must be one of`},
		{[]string{"topic", "set-rule", "syria", "Idlib", "--no-such-flag"}, 2, "", "flag provided but not defined: -no-such-flag"},
		{[]string{"statement", "show", "1", "--help"}, 0, "Usage: docket statement show", ""},
		{[]string{"statement", "show", "--", "--json"}, 2, "", `"--json" is not a statement id`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			dir := t.TempDir()
			r := run(t, map[string]string{"DOCKET_DB": filepath.Join(dir, "d.db")}, c.args...)
			if r.code != c.code || !strings.Contains(r.stdout, c.inStdout) || !strings.Contains(r.stderr, c.inStderr) {
				t.Fatalf("got exit %d, stdout %q, stderr %q; want exit %d with %q / %q", r.code, r.stdout, r.stderr, c.code, c.inStdout, c.inStderr)
			}
		})
	}
	t.Run("bad environment value", func(t *testing.T) {
		r := run(t, map[string]string{"DOCKET_NO_WEB": "perhaps"}, "serve")
		if r.code != 2 || !strings.Contains(r.stderr, `DOCKET_NO_WEB="perhaps" must be true or false`) {
			t.Fatalf("got %+v", r)
		}
	})
}

func TestSourcesAndTopics(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			env := map[string]string{"DOCKET_DB": d.URL(t)}
			if r := run(t, env, "source", "add", "https://un.example.org/feed.xml", "--kind", "un"); r.code != 0 {
				t.Fatalf("source add: %+v", r)
			}
			if r := run(t, env, "source", "add", "https://un.example.org/feed.xml"); r.code == 0 || !strings.Contains(r.stderr, "already exists") {
				t.Fatalf("duplicate source add: %+v", r)
			}
			r := run(t, env, "source", "list", "--json")
			var srcs []map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &srcs); err != nil || r.code != 0 {
				t.Fatalf("source list --json: %v %+v", err, r)
			}
			if len(srcs) != 1 || srcs[0]["url"] != "https://un.example.org/feed.xml" || srcs[0]["kind"] != "un" {
				t.Fatalf("sources: %v", srcs)
			}
			for _, k := range []string{"item_count", "last_status", "last_error", "consecutive_errors", "last_fetched_at", "next_fetch_at"} {
				if _, ok := srcs[0][k]; !ok {
					t.Errorf("source list --json lacks %s", k)
				}
			}
			if r := run(t, env, "topic", "add", "--title", "Aleppo evacuation", "--rule", "Aleppo AND evacuation", "--public"); r.code != 0 {
				t.Fatalf("topic add: %+v", r)
			}
			r = run(t, env, "topic", "list", "--json")
			var topics []map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &topics); err != nil {
				t.Fatalf("topic list --json: %v %q", err, r.stdout)
			}
			if len(topics) != 1 || topics[0]["slug"] != "aleppo-evacuation" || topics[0]["visibility"] != "public" {
				t.Fatalf("topics: %v", topics)
			}
		})
	}
}

const feedXML = `<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title><link>https://example.org/</link>
<item><title>Aleppo evacuation resumes</title><link>https://example.org/a</link><guid>a</guid><pubDate>Thu, 22 Dec 2016 10:00:00 GMT</pubDate><description>Buses left eastern Aleppo.</description></item>
<item><title>Idlib camps fill up</title><link>https://example.org/b</link><guid>b</guid><pubDate>Fri, 23 Dec 2016 10:00:00 GMT</pubDate><description>Families arrive.</description></item>
</channel></rss>`

// TestServeFetchesAndServes runs `docket serve` in-process against an httptest feed, waits
// for /healthz, sees the items on the topic's timeline, then stops it with its context.
func TestServeFetchesAndServes(t *testing.T) {
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, feedXML)
	}))
	defer feeds.Close()
	env := map[string]string{"DOCKET_DB": filepath.Join(t.TempDir(), "d.db"), "DOCKET_ALLOW_PRIVATE_SOURCES": "1"}
	if r := run(t, env, "topic", "add", "--title", "Aleppo", "--rule", "Aleppo", "--public"); r.code != 0 {
		t.Fatal(r)
	}
	if r := run(t, env, "source", "add", feeds.URL); r.code != 0 {
		t.Fatal(r)
	}

	srv := startServe(t, env, "--addr", "127.0.0.1:0")
	waitFor(t, 20*time.Second, func() bool {
		resp, err := http.Get(srv.base + "/api/v1/topics/aleppo/timeline")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var page struct {
			Items []struct{ Title string } `json:"items"`
		}
		json.NewDecoder(resp.Body).Decode(&page)
		return len(page.Items) == 1 && page.Items[0].Title == "Aleppo evacuation resumes"
	})
	srv.stop(t)
}

// served is a `docket serve` running in-process.
type served struct {
	base   string      // http://host:port, "" with --no-web
	stdout string      // its first line
	stderr *syncBuffer // what it logged
	cancel context.CancelFunc
	done   chan int
	once   sync.Once
}

// startServe runs `docket serve args...` in-process, waits for the line it prints once it
// serves (and, when it serves HTTP, for /healthz), and stops it when the test ends.
func startServe(t *testing.T, env map[string]string, args ...string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &served{stderr: &syncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		s.done <- cli.Run(ctx, append([]string{"serve"}, args...), func(k string) string { return env[k] }, strings.NewReader(""), pw, s.stderr)
		pw.Close()
	}()
	t.Cleanup(func() { s.stop(t) })
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("docket serve printed no first line: %v; stderr %s", err, s.stderr.String())
	}
	go io.Copy(io.Discard, pr)
	s.stdout = line
	if i := strings.Index(line, "http://"); i >= 0 {
		s.base = strings.TrimSpace(line[i:])
		waitFor(t, 10*time.Second, func() bool {
			resp, err := http.Get(s.base + "/healthz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
	}
	return s
}

// stop ends serve as SIGTERM would, through its context, and checks that it exits 0.
func (s *served) stop(t *testing.T) {
	t.Helper()
	s.once.Do(func() {
		s.cancel()
		select {
		case code := <-s.done:
			if code != 0 {
				t.Errorf("serve exited %d: %s", code, s.stderr.String())
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop within 30s of its context ending")
		}
	})
}

func waitFor(t testing.TB, limit time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
