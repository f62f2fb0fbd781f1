package cli_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
)

// parliamentFiles answers each API path with a recording of the real API's answer, kept in
// the parliament package (all for member 4821, every list on one page).
var parliamentFiles = map[string]string{
	"/api/Members/Search":                     "members_search.json",
	"/search/contributions/Spoken.json":       "hansard_spoken.json",
	"/search/contributions/Written.json":      "hansard_written.json",
	"/api/writtenquestions/questions":         "questions.json",
	"/api/writtenquestions/questions/1700002": "question_1700002.json",
	"/api/writtenstatements/statements":       "statements.json",
	"/EarlyDayMotions/list":                   "edms.json",
}

const member4821 = `{"value": {"id": 4821, "nameDisplayAs": "Ms Hannah Wren", "latestParty": {"id": 15, "name": "Labour"},
	"latestHouseMembership": {"membershipFrom": "Eastbridge and Marlow Vale", "house": 1, "membershipEndDate": null,
	"membershipStatus": {"statusIsActive": true}}}}`

// fakeParliament serves the recordings; the environment it returns points every API at it.
func fakeParliament(t *testing.T) map[string]string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("User-Agent"), "Docket/") {
			http.Error(w, "say who you are", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/Members/4821" {
			w.Write([]byte(member4821))
			return
		}
		name, ok := parliamentFiles[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join("..", "parliament", "testdata", name))
		if err != nil {
			t.Errorf("fixture: %v", err)
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return map[string]string{
		"DOCKET_PARLIAMENT_HANSARD_URL":   srv.URL,
		"DOCKET_PARLIAMENT_QUESTIONS_URL": srv.URL,
		"DOCKET_PARLIAMENT_MOTIONS_URL":   srv.URL,
		"DOCKET_PARLIAMENT_MEMBERS_URL":   srv.URL,
		"DOCKET_PARLIAMENT_INTERVAL":      "0s",
	}
}

func TestMemberFind(t *testing.T) {
	env := fakeParliament(t)
	r := mustRun(t, env, "member", "find", "Wren")
	for _, want := range []string{"ID", "CURRENT", "4821", "Ms Hannah Wren", "Labour", "Commons", "Eastbridge and Marlow Vale", "yes",
		"1377", "Lord Wren of Aldbury", "Lords", "612", "no", "docket source add --kind parliament --member-id 4821"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	var got []struct {
		ID      int    `json:"id"`
		Name    string `json:"name"`
		Party   string `json:"party"`
		House   string `json:"house"`
		Current bool   `json:"current"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, env, "member", "find", "--json", "Hannah", "Wren").stdout), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].ID != 4821 || got[0].Name != "Ms Hannah Wren" || got[0].Party != "Labour" || got[0].House != "Commons" || !got[0].Current {
		t.Errorf("got %+v, want Ms Hannah Wren (4821, Labour, Commons, current) first of 3", got)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"no name", env, []string{"member", "find"}, 2, "usage: docket member find"},
		{"name too short", env, []string{"member", "find", "W"}, 2, "at least 2 letters"},
		{"bad API address", map[string]string{"DOCKET_PARLIAMENT_MEMBERS_URL": "members-api"}, []string{"member", "find", "Wren"}, 2,
			"--parliament-members-url \"members-api\" must be an absolute http or https URL"},
		{"API down", map[string]string{"DOCKET_PARLIAMENT_MEMBERS_URL": "http://127.0.0.1:1"}, []string{"member", "find", "Wren"}, 1,
			"parliament: members:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.env, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tc.code, tc.want)
			}
		})
	}
}

// TestParliamentSourceCommands adds a member's record in Parliament by id (the member is
// named from the Members API), ingests it from the fake APIs, and lists the statements it
// made; an MP's own feed is linked to the member by name.
func TestParliamentSourceCommands(t *testing.T) {
	env := fakeParliament(t)
	env["DOCKET_DB"] = filepath.Join(t.TempDir(), "docket.db")
	mustRun(t, env, "topic", "add", "--title", "Syria", "--rule", "Syria OR Aleppo OR Idlib", "--public")

	r := mustRun(t, env, "source", "add", "--kind", "parliament", "--member-id", "4821")
	for _, want := range []string{"added member 1: Ms Hannah Wren, MP for Eastbridge and Marlow Vale (Labour), Parliament id 4821",
		"added source 1: parliament:member/4821 (parliament)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("source add: stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Hannah Wren MP</title>
<item><guid>p1</guid><title>UN monitors for Aleppo</title><link>https://hannahwren.example/news/p1</link>
<description>The evacuation corridors of eastern Aleppo need monitors from the UN.</description>
<pubDate>Fri, 16 Dec 2016 09:00:00 GMT</pubDate></item></channel></rss>`))
	}))
	t.Cleanup(site.Close)
	r = mustRun(t, env, "source", "add", "--kind", "mp", "--member", "ms hannah wren", site.URL+"/feed")
	if !strings.Contains(r.stdout, "its items become statements of Ms Hannah Wren") {
		t.Errorf("source add --kind mp: stdout %q", r.stdout)
	}

	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"the same member again", env, []string{"source", "add", "--kind", "parliament", "--member-id", "4821"}, 1, "already followed by source 1"},
		{"the same member as a URL", env, []string{"source", "add", "--kind", "parliament", "parliament:member/4821"}, 1, "already followed by source 1"},
		{"not a number", env, []string{"source", "add", "--kind", "parliament", "--member-id", "wren"}, 2, "must be a positive whole number"},
		{"zero", env, []string{"source", "add", "--kind", "parliament", "--member-id", "0"}, 2, "must be a positive whole number"},
		{"another kind", env, []string{"source", "add", "--kind", "news", "--member-id", "4821"}, 2, "--member-id is for --kind parliament"},
		{"with a URL", env, []string{"source", "add", "--kind", "parliament", "--member-id", "4821", "https://example.org/"}, 2, "takes no URL"},
		{"parliament without an id", env, []string{"source", "add", "--kind", "parliament"}, 2, "give --member-id ID"},
		{"a malformed parliament URL", env, []string{"source", "add", "--kind", "parliament", "parliament:member/x"}, 2, "is not a member's record"},
		{"a member for a news feed", env, []string{"source", "add", "--member", "Ms Hannah Wren", "https://news.example/feed"}, 2, "--member is for --kind mp or parliament"},
		{"an unknown member", env, []string{"source", "add", "--kind", "mp", "--member", "Jane Doe", "https://janedoe.example/feed"}, 1, "no member named"},
		{"the id of another member", env, []string{"source", "add", "--kind", "parliament", "--member-id", "4822", "--member", "Ms Hannah Wren"}, 1,
			"has Parliament id 4821, not 4822"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.env, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tc.code, tc.want)
			}
		})
	}

	t.Run("Members API unreachable", func(t *testing.T) {
		down := map[string]string{"DOCKET_DB": env["DOCKET_DB"], "DOCKET_PARLIAMENT_MEMBERS_URL": "http://127.0.0.1:1"}
		r := mustRun(t, down, "source", "add", "--kind", "parliament", "--member-id", "4822")
		if !strings.Contains(r.stdout, `added member 2: Member 4822, Parliament id 4822`) || !strings.Contains(r.stderr, `the member is added as "Member 4822"`) {
			t.Errorf("stdout %q, stderr %q; want the member added as Member 4822, and why", r.stdout, r.stderr)
		}
	})

	t.Run("ingest", func(t *testing.T) {
		env["DOCKET_ALLOW_PRIVATE_SOURCES"] = "true" // the MP's site is on loopback
		r := mustRun(t, env, "ingest", "--all", "--no-progress")
		if !strings.Contains(r.stdout, "3 sources") || !strings.Contains(r.stdout, "the MP's statements: 12 new, 0 updated") {
			t.Errorf("ingest: stdout %q, want 3 sources and 12 statements", r.stdout)
		}
		var rows []struct {
			Title  string `json:"title"`
			Kind   string `json:"kind"`
			Status string `json:"status"`
			Member string `json:"member"`
		}
		if err := json.Unmarshal([]byte(mustRun(t, env, "statement", "list", "--status", "published", "--json").stdout), &rows); err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, s := range rows {
			kinds[s.Kind]++
			if s.Member != "Ms Hannah Wren" {
				t.Errorf("statement %q is by %q, want Ms Hannah Wren", s.Title, s.Member)
			}
		}
		want := map[string]int{docket.KindSpeech: 5, docket.KindWrittenQuestion: 3, docket.KindArticle: 3, docket.KindPressRelease: 1}
		if !reflect.DeepEqual(kinds, want) {
			t.Errorf("got kinds %v, want %v", kinds, want)
		}
	})
}
