package ingest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/parliament"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// parlFixtures are the parliament package's recordings of the APIs' answers, all for member
// 4821.
const (
	parlFixtures = "../parliament/testdata"
	parlMember   = 4821
)

// parlList says where one list's answer keeps its parts, and which query parameters page and
// filter it.
type parlList struct {
	file, items      string
	total, date      []string
	from, skip, take string
	member           string
}

var parlLists = map[string]parlList{
	"/search/contributions/Spoken.json": {file: "hansard_spoken.json", items: "Results", total: []string{"TotalResultCount"},
		date: []string{"SittingDate"}, from: "queryParameters.startDate", skip: "queryParameters.skip", take: "queryParameters.take",
		member: "queryParameters.memberId"},
	"/search/contributions/Written.json": {file: "hansard_written.json", items: "Results", total: []string{"TotalResultCount"},
		date: []string{"SittingDate"}, from: "queryParameters.startDate", skip: "queryParameters.skip", take: "queryParameters.take",
		member: "queryParameters.memberId"},
	"/api/writtenquestions/questions": {file: "questions.json", items: "results", total: []string{"totalResults"},
		date: []string{"value", "dateTabled"}, from: "tabledWhenFrom", skip: "skip", take: "take", member: "askingMemberId"},
	"/api/writtenstatements/statements": {file: "statements.json", items: "results", total: []string{"totalResults"},
		date: []string{"value", "dateMade"}, from: "madeWhenFrom", skip: "skip", take: "take", member: "members"},
	"/EarlyDayMotions/list": {file: "edms.json", items: "Response", total: []string{"PagingInfo", "Total"},
		date: []string{"DateTabled"}, from: "parameters.tabledStartDate", skip: "parameters.skip", take: "parameters.take",
		member: "parameters.memberId"},
}

// parlServer answers like the Parliament APIs from the fixtures: it pages by skip and take,
// filters by member and from-date, and records every request. A test can answer a path its
// own way instead.
type parlServer struct {
	*httptest.Server
	t        testing.TB
	mu       sync.Mutex
	requests []*url.URL
	override map[string]http.HandlerFunc
}

func newParlServer(t testing.TB) *parlServer {
	t.Helper()
	ps := &parlServer{t: t, override: map[string]http.HandlerFunc{}}
	ps.Server = httptest.NewServer(http.HandlerFunc(ps.serve))
	t.Cleanup(ps.Close)
	return ps
}

// client makes the process's Parliament client, pointed at the server, with no pause between
// requests and pageSize records a page.
func (ps *parlServer) client(pageSize int) *parliament.Client {
	ps.t.Helper()
	cfg := parliament.DefaultConfig()
	cfg.HansardBase, cfg.QuestionsBase, cfg.MotionsBase, cfg.MembersBase = ps.URL, ps.URL, ps.URL, ps.URL
	cfg.HansardWeb, cfg.QuestionsWeb, cfg.MotionsWeb = "https://hansard.example", "https://qs.example", "https://edm.example"
	cfg.MinInterval = 0
	cfg.PageSize = pageSize
	c, err := parliament.New(cfg)
	if err != nil {
		ps.t.Fatalf("parliament.New: %v", err)
	}
	return c
}

func (ps *parlServer) answer(path string, h http.HandlerFunc) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if h == nil {
		delete(ps.override, path)
		return
	}
	ps.override[path] = h
}

// asked returns the queries of the requests made to path so far, and forgets them.
func (ps *parlServer) asked(path string) []url.Values {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	var out []url.Values
	kept := ps.requests[:0]
	for _, u := range ps.requests {
		if u.Path == path {
			out = append(out, u.Query())
		} else {
			kept = append(kept, u)
		}
	}
	ps.requests = kept
	return out
}

// forget drops the requests recorded so far.
func (ps *parlServer) forget() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.requests = nil
}

func (ps *parlServer) serve(w http.ResponseWriter, r *http.Request) {
	ps.mu.Lock()
	ps.requests = append(ps.requests, r.URL)
	h := ps.override[r.URL.Path]
	ps.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	if l, ok := parlLists[r.URL.Path]; ok {
		ps.serveList(w, r, l)
		return
	}
	if id, ok := strings.CutPrefix(r.URL.Path, "/api/writtenquestions/questions/"); ok {
		b, err := os.ReadFile(filepath.Join(parlFixtures, "question_"+id+".json"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
		return
	}
	http.NotFound(w, r)
}

func (ps *parlServer) serveList(w http.ResponseWriter, r *http.Request, l parlList) {
	q := r.URL.Query()
	b, err := os.ReadFile(filepath.Join(parlFixtures, l.file))
	if err != nil {
		ps.t.Errorf("fixture: %v", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		ps.t.Errorf("fixture %s: %v", l.file, err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	items, _ := doc[l.items].([]any)
	if q.Get(l.member) != strconv.Itoa(parlMember) {
		items = nil
	}
	if from := q.Get(l.from); from != "" {
		var kept []any
		for _, it := range items {
			if d, _ := lookupPath(it, l.date).(string); len(d) >= 10 && d[:10] >= from {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	total := len(items)
	skip, _ := strconv.Atoi(q.Get(l.skip))
	take, err := strconv.Atoi(q.Get(l.take))
	if err != nil || take <= 0 {
		take = 20
	}
	skip = min(max(skip, 0), len(items))
	items = items[skip:min(skip+take, len(items))]
	if items == nil {
		items = []any{}
	}
	doc[l.items] = items
	setPath(doc, l.total, total)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(doc)
}

func lookupPath(v any, path []string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func setPath(doc map[string]any, path []string, v any) {
	m := doc
	for _, k := range path[:len(path)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}

// parlSetup is a database with two topics, the member the fixtures belong to, and the
// parliament source that polls the member's record.
type parlSetup struct {
	db                *store.DB
	syria, eastbridge *docket.Topic
	member            *docket.Member
	source            *docket.Source
}

func newParlSetup(t testing.TB, db *store.DB) *parlSetup {
	t.Helper()
	ctx := context.Background()
	s := &parlSetup{db: db,
		syria:      &docket.Topic{Slug: "syria", Title: "Syria", Visibility: docket.Public, Rule: "Syria OR Aleppo OR Idlib"},
		eastbridge: &docket.Topic{Slug: "eastbridge", Title: "Eastbridge", Visibility: docket.Public, Rule: "Eastbridge"},
	}
	for _, tp := range []*docket.Topic{s.syria, s.eastbridge} {
		if err := db.CreateTopic(ctx, tp); err != nil {
			t.Fatal(err)
		}
	}
	ext := strconv.Itoa(parlMember)
	s.member = &docket.Member{Name: "Ms Hannah Wren", Constituency: "Eastbridge and Marlow Vale", ExternalID: &ext}
	if err := db.CreateMember(ctx, s.member); err != nil {
		t.Fatal(err)
	}
	s.source = &docket.Source{URL: ingest.ParliamentSourceURL(parlMember), Kind: docket.KindParliament, MemberID: &s.member.ID}
	if err := db.CreateSource(ctx, s.source); err != nil {
		t.Fatal(err)
	}
	return s
}

// ingestOnce polls every source once with a new ingester, as one run of docket ingest: a new
// process, with its own Parliament client.
func (s *parlSetup) ingestOnce(t *testing.T, pc *parliament.Client) ingest.Summary {
	t.Helper()
	ctx := context.Background()
	g := newIngester(s.db)
	g.Parliament = pc
	srcs, err := s.db.DueSources(ctx, time.Time{}, true)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := g.Once(ctx, srcs, nil)
	if err != nil {
		t.Fatalf("Once: %v", err)
	}
	return sum
}

func (s *parlSetup) reload(t *testing.T) *docket.Source {
	t.Helper()
	src, err := s.db.SourceByID(context.Background(), s.source.ID)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// storedStatement is a statement as the test reads it back, with its topics' slugs.
type storedStatement struct {
	docket.Statement
	Topics []string
}

func statementsByExternalID(t *testing.T, db *store.DB) map[string]storedStatement {
	t.Helper()
	ctx := context.Background()
	var rows []docket.Statement
	if err := db.R.SelectContext(ctx, &rows, `SELECT id, member_id, title, body, kind, status, version, revision, published_revision_id,
		published_at, source_url, origin, external_id, created_by, status_changed_at, created_at, updated_at FROM statements ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	out := map[string]storedStatement{}
	for _, r := range rows {
		ts, err := db.StatementTopics(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		s := storedStatement{Statement: r}
		for _, tp := range ts {
			s.Topics = append(s.Topics, tp.Slug)
		}
		slices.Sort(s.Topics)
		ext := ""
		if r.ExternalID != nil {
			ext = *r.ExternalID
		}
		out[ext] = s
	}
	return out
}

func skipsOf(qs []url.Values, param string) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Get(param))
	}
	return out
}

const spokenPath = "/search/contributions/Spoken.json"

// TestParliamentSource polls a member's record in pages of two, stores each contribution as a
// published statement of the member on the topics it matches, then polls again from the cursor
// and stores nothing twice.
func TestParliamentSource(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ps := newParlServer(t)
		s := newParlSetup(t, db)

		sum := s.ingestOnce(t, ps.client(2))
		if want := (ingest.Summary{Sources: 1, Fetched: 1, StatementsNew: 11}); sum != want {
			t.Fatalf("first poll: got %+v, want %+v", sum, want)
		}
		spoken := ps.asked(spokenPath)
		if got, want := skipsOf(spoken, "queryParameters.skip"), []string{"0", "2", "4"}; !slices.Equal(got, want) {
			t.Errorf("Hansard pages: got skips %v, want %v", got, want)
		}
		if got := skipsOf(spoken, "queryParameters.startDate"); !slices.Equal(got, []string{"", "", ""}) {
			t.Errorf("first poll: got start dates %q, want none", got)
		}
		if got := len(ps.asked("/api/writtenquestions/questions/1700002")); got != 1 {
			t.Errorf("the truncated question was fetched in full %d times, want 1", got)
		}

		got := statementsByExternalID(t, db)
		if len(got) != 11 {
			t.Errorf("got %d statements, want 11", len(got))
		}
		for ext, st := range got {
			if st.Status != docket.StatusPublished || st.Origin != docket.OriginIngested || st.MemberID == nil || *st.MemberID != s.member.ID || st.PublishedRevisionID == nil {
				t.Errorf("%s: status %s, origin %s, member %v, public revision %v; want published, ingested, member %d, public",
					ext, st.Status, st.Origin, st.MemberID, st.PublishedRevisionID, s.member.ID)
			}
		}
		day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
		for _, tc := range []struct {
			ext, kind, title, date, url string
			topics                      []string
			body                        []string // parts of the body, in order
			notInBody                   string
		}{
			{ext: "hansard:C1B2A3D4-0001-4E5F-9A8B-7C6D5E4F3A21", kind: docket.KindSpeech, title: "Aleppo: Humanitarian Situation", date: "2016-12-13",
				url:    "https://hansard.example/Commons/2016-12-13/debates/A1C3E5F7-2016-1213-8B9D-1F2E3D4C5B6A/link#contribution-C1B2A3D4-0001-4E5F-9A8B-7C6D5E4F3A21",
				topics: []string{"syria"}, body: []string{"the last hospital in eastern Aleppo closed on Saturday.", "\n\nWill he also say", "& are still trapped?"}},
			{ext: "hansard:C1B2A3D4-0005-4E5F-9A8B-7C6D5E4F3A21", kind: docket.KindSpeech, title: "Eastbridge Rail Services", date: "2016-10-11",
				topics: []string{"eastbridge"}, body: []string{"It is a pleasure to serve under your chairmanship"}},
			{ext: "hansard:C1B2A3D4-0004-4E5F-9A8B-7C6D5E4F3A21", kind: docket.KindSpeech, title: "Business of the House", date: "2016-11-29",
				body: []string{"a debate on refugee resettlement?"}},
			{ext: "wq:1700002", kind: docket.KindWrittenQuestion, title: "Syria: Russia", date: "2016-12-05",
				url:    "https://qs.example/written-questions/detail/2016-12-05/56930",
				topics: []string{"syria"},
				body: []string{"To ask the Secretary of State for Foreign and Commonwealth Affairs, what representations he has made to the Russian Government on the protection of civilians in Aleppo.",
					"\n\n" + ingest.AnswerHeading + "\n\n", "The Foreign Secretary raised the protection of civilians", "at the UN Security Council."}},
			{ext: "wq:1700003", kind: docket.KindWrittenQuestion, title: "Syria: Humanitarian Aid", date: "2016-12-14",
				topics: []string{"syria"}, body: []string{"how many UK-funded aid convoys"}, notInBody: ingest.AnswerHeading},
			{ext: "ws:1600123", kind: docket.KindArticle, title: "Humanitarian Aid: Syria", date: "2016-12-15",
				topics: []string{"syria"}, body: []string{"Today I am announcing", "\n\nThe package will fund shelter"}},
			{ext: "edm:49980", kind: docket.KindArticle, title: "Eastbridge Lifeboat Station 150th anniversary", date: "2016-10-19",
				topics: []string{"eastbridge"}, body: []string{"congratulates the crew"}},
			{ext: "edm:50277", kind: docket.KindArticle, title: "Protection of medical workers in Syria", date: "2016-12-08",
				topics: []string{"syria"}, body: []string{"condemns the attacks on hospitals in Aleppo and Idlib"}},
		} {
			t.Run(tc.ext, func(t *testing.T) {
				st, ok := got[tc.ext]
				if !ok {
					t.Fatalf("no statement %s", tc.ext)
				}
				if st.Kind != tc.kind || st.Title != tc.title {
					t.Errorf("got kind %s, title %q; want %s, %q", st.Kind, st.Title, tc.kind, tc.title)
				}
				if st.PublishedAt == nil || !st.PublishedAt.Equal(day(tc.date)) {
					t.Errorf("got published_at %v, want %s", st.PublishedAt, tc.date)
				}
				if tc.url != "" && st.SourceURL != tc.url {
					t.Errorf("got source url %q, want %q", st.SourceURL, tc.url)
				}
				if !slices.Equal(st.Topics, tc.topics) {
					t.Errorf("got topics %v, want %v", st.Topics, tc.topics)
				}
				rest := st.Body
				for _, part := range tc.body {
					i := strings.Index(rest, part)
					if i < 0 {
						t.Errorf("body %q: want %q (in this order)", st.Body, part)
						break
					}
					rest = rest[i+len(part):]
				}
				if tc.notInBody != "" && strings.Contains(st.Body, tc.notInBody) {
					t.Errorf("body %q: want no %q", st.Body, tc.notInBody)
				}
			})
		}
		if _, ok := got["hansard:E5A7C9D1-0001-4E5F-9A8B-7C6D5E4F3A21"]; ok {
			t.Errorf("the Hansard copy of the written statement was stored too")
		}

		src := s.reload(t)
		if src.Cursor != "2016-12-15" || src.LastStatus != 200 || src.ConsecutiveErrors != 0 || src.LastError != "" {
			t.Errorf("source after the poll: cursor %q, status %d, errors %d %q; want 2016-12-15, 200, 0, none",
				src.Cursor, src.LastStatus, src.ConsecutiveErrors, src.LastError)
		}
		if wait := src.NextFetchAt.Sub(*src.LastFetchedAt); wait < 54*time.Minute {
			t.Errorf("next poll in %v, want at least about an hour", wait)
		}

		t.Run("second poll asks from the cursor and stores nothing twice", func(t *testing.T) {
			revisions := func() int {
				var n int
				if err := db.R.Get(&n, `SELECT count(*) FROM statement_revisions`); err != nil {
					t.Fatal(err)
				}
				return n
			}
			before := revisions()
			ps.forget()
			sum := s.ingestOnce(t, ps.client(2))
			if want := (ingest.Summary{Sources: 1, Fetched: 1}); sum != want {
				t.Errorf("second poll: got %+v, want %+v", sum, want)
			}
			for path, param := range map[string]string{
				spokenPath:                           "queryParameters.startDate",
				"/search/contributions/Written.json": "queryParameters.startDate",
				"/api/writtenquestions/questions":    "tabledWhenFrom",
				"/api/writtenstatements/statements":  "madeWhenFrom",
				"/EarlyDayMotions/list":              "parameters.tabledStartDate",
			} {
				qs := ps.asked(path)
				if len(qs) == 0 {
					t.Errorf("%s: not asked", path)
				}
				for _, q := range qs {
					if q.Get(param) != "2016-12-15" {
						t.Errorf("%s: got %s=%q, want 2016-12-15", path, param, q.Get(param))
					}
				}
			}
			if n := len(statementsByExternalID(t, db)); n != 11 {
				t.Errorf("got %d statements, want still 11", n)
			}
			if after := revisions(); after != before {
				t.Errorf("got %d revisions, want still %d", after, before)
			}
			if c := s.reload(t).Cursor; c != "2016-12-15" {
				t.Errorf("got cursor %q, want 2016-12-15", c)
			}
		})

		t.Run("a question answered after the cursor passed it gets its answer", func(t *testing.T) {
			const detail = "/api/writtenquestions/questions/1700003"
			ps.answer(detail, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write(answeredQuestion(t, 1700003, "<p>Eleven UK-funded convoys have reached eastern Aleppo since 1 November.</p>"))
			})
			ps.forget()
			sum := s.ingestOnce(t, ps.client(2))
			if want := (ingest.Summary{Sources: 1, Fetched: 1, StatementsUpdated: 1}); sum != want {
				t.Errorf("got %+v, want %+v", sum, want)
			}
			if n := len(ps.asked(detail)); n != 1 {
				t.Errorf("the unanswered question was fetched %d times, want 1", n)
			}
			st := statementsByExternalID(t, db)["wq:1700003"]
			if want := "\n\n" + ingest.AnswerHeading + "\n\nEleven UK-funded convoys have reached eastern Aleppo since 1 November."; !strings.HasSuffix(st.Body, want) || st.Revision != 2 {
				t.Errorf("got revision %d, body %q; want revision 2 ending %q", st.Revision, st.Body, want)
			}
			// The answer changed the public text: the statement's history says so.
			hist, err := db.StatusHistory(context.Background(), st.ID)
			if err != nil {
				t.Fatal(err)
			}
			if last := hist[len(hist)-1]; last.FromStatus != docket.StatusPublished || last.ToStatus != docket.StatusPublished ||
				!strings.Contains(last.Note, "updated at the source") || !strings.Contains(last.Note, "revision 2") {
				t.Errorf("last history event %+v, want the update at the source", last)
			}
			s.ingestOnce(t, ps.client(2))
			if n := len(ps.asked(detail)); n != 0 {
				t.Errorf("the answered question was fetched again %d times, want none", n)
			}
		})
	})
}

// answeredQuestion is the questions API's answer for one question of the list fixture, now
// answered.
func answeredQuestion(t *testing.T, id int, answer string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(parlFixtures, "questions.json"))
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Results []struct {
			Value map[string]any `json:"value"`
		} `json:"results"`
	}
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	for _, r := range list.Results {
		if r.Value["id"] == float64(id) {
			r.Value["answerText"] = answer
			r.Value["dateAnswered"] = "2016-12-19T00:00:00"
			out, _ := json.Marshal(map[string]any{"value": r.Value})
			return out
		}
	}
	t.Fatalf("no question %d in the fixture", id)
	return nil
}

// TestParliamentSourceErrors makes one API fail: what the others gave is stored, the failure
// is recorded on the source like a feed's, the cursor stays, the source is retried later with
// a growing back-off, and a good poll clears the failure.
func TestParliamentSourceErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		path       string
		handler    http.HandlerFunc
		wantStatus int
		wantErr    string
		minWait    time.Duration // the least wait before the retry after the first failure
		missing    string        // a statement the failure keeps out
	}{
		{
			name: "malformed JSON", path: "/api/writtenstatements/statements",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"totalResults": 1, "results": [{"value": {"id": 16`))
			},
			wantErr: "parliament: written statements: malformed JSON", minWait: 4 * time.Minute, missing: "ws:1600123",
		},
		{
			name: "server error", path: spokenPath,
			handler:    func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) },
			wantStatus: http.StatusInternalServerError,
			wantErr:    "parliament: hansard spoken: HTTP 500 Internal Server Error", minWait: 4 * time.Minute,
			missing: "hansard:C1B2A3D4-0001-4E5F-9A8B-7C6D5E4F3A21",
		},
		{
			name: "unavailable with Retry-After", path: "/api/writtenquestions/questions",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "7200")
				http.Error(w, "busy", http.StatusServiceUnavailable)
			},
			wantStatus: http.StatusServiceUnavailable,
			wantErr:    "parliament: written questions: HTTP 503 Service Unavailable (retry after 2h0m0s)", minWait: 108 * time.Minute,
			missing: "wq:1700002",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.ForEach(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				ps := newParlServer(t)
				s := newParlSetup(t, db)
				ps.answer(tc.path, tc.handler)

				sum := s.ingestOnce(t, ps.client(100))
				if sum.Failed != 1 || sum.StatementsNew == 0 {
					t.Errorf("got %+v, want one failed source that still stored statements", sum)
				}
				got := statementsByExternalID(t, db)
				if _, ok := got[tc.missing]; ok {
					t.Errorf("statement %s stored, want it kept out by the failure", tc.missing)
				}
				if _, ok := got["edm:50277"]; !ok {
					t.Errorf("the early day motion was not stored, want the other APIs' records kept")
				}
				src := s.reload(t)
				if src.ConsecutiveErrors != 1 || src.LastStatus != tc.wantStatus || !strings.HasPrefix(src.LastError, tc.wantErr) || src.Cursor != "" {
					t.Errorf("source: errors %d, status %d, error %q, cursor %q; want 1, %d, %q…, no cursor",
						src.ConsecutiveErrors, src.LastStatus, src.LastError, src.Cursor, tc.wantStatus, tc.wantErr)
				}
				firstWait := src.NextFetchAt.Sub(*src.LastFetchedAt)
				if firstWait < tc.minWait {
					t.Errorf("retried in %v, want at least %v", firstWait, tc.minWait)
				}
				if due, _ := db.DueSources(ctx, time.Now(), false); len(due) != 0 {
					t.Errorf("the failed source is due at once, want it retried later")
				}
				if due, _ := db.DueSources(ctx, src.NextFetchAt, false); len(due) != 1 {
					t.Errorf("the failed source is not due at its next fetch time")
				}

				s.ingestOnce(t, ps.client(100))
				src = s.reload(t)
				if src.ConsecutiveErrors != 2 || src.Cursor != "" {
					t.Errorf("second failure: errors %d, cursor %q; want 2, none", src.ConsecutiveErrors, src.Cursor)
				}
				if wait := src.NextFetchAt.Sub(*src.LastFetchedAt); wait < firstWait*9/10 || wait < 9*time.Minute {
					t.Errorf("second failure: retried in %v, want a longer back-off than %v", wait, firstWait)
				}

				ps.answer(tc.path, nil)
				sum = s.ingestOnce(t, ps.client(100))
				if sum.Failed != 0 || sum.StatementsNew == 0 {
					t.Errorf("after recovery: got %+v, want no failure and the missing statements", sum)
				}
				if _, ok := statementsByExternalID(t, db)[tc.missing]; !ok {
					t.Errorf("after recovery: statement %s still missing", tc.missing)
				}
				src = s.reload(t)
				if src.ConsecutiveErrors != 0 || src.LastError != "" || src.Cursor != "2016-12-15" {
					t.Errorf("after recovery: errors %d %q, cursor %q; want 0, none, 2016-12-15", src.ConsecutiveErrors, src.LastError, src.Cursor)
				}
			})
		})
	}
}

// TestParliamentSourceWithoutMember polls a source added with no member (as the office's
// form adds it): its statements are filed under the member with that Parliament id.
func TestParliamentSourceWithoutMember(t *testing.T) {
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	ps := newParlServer(t)
	ext := "4821"
	m := &docket.Member{Name: "Ms Hannah Wren", ExternalID: &ext}
	if err := db.CreateMember(ctx, m); err != nil {
		t.Fatal(err)
	}
	src := &docket.Source{URL: ingest.ParliamentSourceURL(parlMember), Kind: docket.KindParliament}
	if err := db.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	g := newIngester(db)
	g.Parliament = ps.client(100)
	if _, err := g.Once(ctx, []docket.Source{*src}, nil); err != nil {
		t.Fatal(err)
	}
	got := statementsByExternalID(t, db)
	if len(got) != 11 {
		t.Fatalf("got %d statements, want 11", len(got))
	}
	for ext, st := range got {
		if st.MemberID == nil || *st.MemberID != m.ID {
			t.Errorf("%s: member %v, want %d", ext, st.MemberID, m.ID)
		}
	}
}

// TestParliamentSourceWithoutClient records the missing client as the source's error rather
// than failing the run.
func TestParliamentSourceWithoutClient(t *testing.T) {
	db := storetest.OpenSQLite(t)
	s := newParlSetup(t, db)
	sum := s.ingestOnce(t, nil)
	if sum.Failed != 1 {
		t.Errorf("got %+v, want one failed source", sum)
	}
	if src := s.reload(t); !strings.Contains(src.LastError, "no Parliament API client") {
		t.Errorf("got last error %q, want it to say the client is missing", src.LastError)
	}
}

func TestParliamentMemberID(t *testing.T) {
	for _, tc := range []struct {
		url    string
		id     int
		wantOK bool
	}{
		{"parliament:member/4821", 4821, true},
		{ingest.ParliamentSourceURL(7), 7, true},
		{"parliament:member/0", 0, false},
		{"parliament:member/04821", 0, false},
		{"parliament:member/-3", 0, false},
		{"parliament:member/48x", 0, false},
		{"parliament:member/", 0, false},
		{"parliament:member/1234567890", 0, false},
		{"https://members.parliament.uk/member/4821", 0, false},
	} {
		t.Run(tc.url, func(t *testing.T) {
			id, ok := ingest.ParliamentMemberID(tc.url)
			if id != tc.id || ok != tc.wantOK {
				t.Errorf("got %d, %v; want %d, %v", id, ok, tc.id, tc.wantOK)
			}
		})
	}
}
