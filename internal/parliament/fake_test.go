package parliament

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeParliament answers the client's requests the way the real APIs do, from the fixtures in
// testdata: it honours skip/take and the from-date filter, recomputes totals, and records every
// request so tests can check what was asked.
type fakeParliament struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	requests []*url.URL
	// override answers a path (exact, without query) with a handler of the test's choosing.
	override map[string]http.HandlerFunc
	// ignoreDates makes the lists ignore the from-date filter, like an API that drops it.
	ignoreDates bool
}

// listSpec says where a list response keeps its parts.
type listSpec struct {
	file     string
	items    string   // key of the array
	total    []string // path to the total
	date     []string // path to an item's date, nil when not filtered by date
	from     string   // query parameter of the from-date filter
	skip     string
	take     string
	memberQP string // query parameter carrying the member id
}

var fakeLists = map[string]listSpec{
	"/search/contributions/Spoken.json": {
		file: "hansard_spoken.json", items: "Results", total: []string{"TotalResultCount"},
		date: []string{"SittingDate"}, from: "queryParameters.startDate",
		skip: "queryParameters.skip", take: "queryParameters.take", memberQP: "queryParameters.memberId",
	},
	"/search/contributions/Written.json": {
		file: "hansard_written.json", items: "Results", total: []string{"TotalResultCount"},
		date: []string{"SittingDate"}, from: "queryParameters.startDate",
		skip: "queryParameters.skip", take: "queryParameters.take", memberQP: "queryParameters.memberId",
	},
	"/api/writtenquestions/questions": {
		file: "questions.json", items: "results", total: []string{"totalResults"},
		date: []string{"value", "dateTabled"}, from: "tabledWhenFrom",
		skip: "skip", take: "take", memberQP: "askingMemberId",
	},
	"/api/writtenstatements/statements": {
		file: "statements.json", items: "results", total: []string{"totalResults"},
		date: []string{"value", "dateMade"}, from: "madeWhenFrom",
		skip: "skip", take: "take", memberQP: "members",
	},
	"/EarlyDayMotions/list": {
		file: "edms.json", items: "Response", total: []string{"PagingInfo", "Total"},
		date: []string{"DateTabled"}, from: "parameters.tabledStartDate",
		skip: "parameters.skip", take: "parameters.take", memberQP: "parameters.memberId",
	},
	"/api/Members/Search": {
		file: "members_search.json", items: "items", total: []string{"totalResults"},
		skip: "skip", take: "take",
	},
}

// fixtureMember is the member every fixture belongs to.
const fixtureMember = 4821

func newFakeParliament(t testing.TB) *fakeParliament {
	t.Helper()
	f := &fakeParliament{t: t, override: map[string]http.HandlerFunc{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// config points every API and web base at the fake, with no pause between requests.
func (f *fakeParliament) config() Config {
	cfg := DefaultConfig()
	cfg.HansardBase = f.srv.URL
	cfg.QuestionsBase = f.srv.URL
	cfg.MotionsBase = f.srv.URL
	cfg.MembersBase = f.srv.URL
	cfg.HansardWeb = "https://hansard.example"
	cfg.QuestionsWeb = "https://qs.example"
	cfg.MotionsWeb = "https://edm.example"
	cfg.HTTPClient = f.srv.Client()
	cfg.MinInterval = 0
	return cfg
}

func (f *fakeParliament) client(mod func(*Config)) *Client {
	f.t.Helper()
	cfg := f.config()
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		f.t.Fatalf("New: %v", err)
	}
	return c
}

func (f *fakeParliament) setOverride(path string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.override[path] = h
}

// requested returns the queries of the requests made to path, in order.
func (f *fakeParliament) requested(path string) []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []url.Values
	for _, u := range f.requests {
		if u.Path == path {
			out = append(out, u.Query())
		}
	}
	return out
}

func (f *fakeParliament) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.URL)
	h := f.override[r.URL.Path]
	ignoreDates := f.ignoreDates
	f.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "Docket/") {
		http.Error(w, "no user agent", http.StatusForbidden)
		return
	}
	if spec, ok := fakeLists[r.URL.Path]; ok {
		f.serveList(w, r, spec, ignoreDates)
		return
	}
	if id, ok := strings.CutPrefix(r.URL.Path, "/api/writtenquestions/questions/"); ok {
		f.serveFile(w, "question_"+id+".json")
		return
	}
	http.NotFound(w, r)
}

func (f *fakeParliament) serveFile(w http.ResponseWriter, name string) {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}

func (f *fakeParliament) serveList(w http.ResponseWriter, r *http.Request, spec listSpec, ignoreDates bool) {
	q := r.URL.Query()
	var doc map[string]any
	b, err := os.ReadFile(filepath.Join("testdata", spec.file))
	if err != nil {
		f.t.Errorf("fixture: %v", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		f.t.Errorf("fixture %s: %v", spec.file, err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	items, _ := doc[spec.items].([]any)
	if spec.memberQP != "" && q.Get(spec.memberQP) != strconv.Itoa(fixtureMember) {
		items = nil
	}
	if from := q.Get(spec.from); from != "" && spec.date != nil && !ignoreDates {
		var kept []any
		for _, it := range items {
			// Dates are "yyyy-mm-ddT…"; comparing the day as a string is comparing dates.
			if d, _ := lookup(it, spec.date).(string); len(d) >= 10 && d[:10] >= from {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	total := len(items)
	skip, _ := strconv.Atoi(q.Get(spec.skip))
	take, err := strconv.Atoi(q.Get(spec.take))
	if err != nil || take <= 0 {
		take = 20
	}
	skip = min(max(skip, 0), len(items))
	items = items[skip:min(skip+take, len(items))]
	if items == nil {
		items = []any{}
	}
	doc[spec.items] = items
	set(doc, spec.total, total)
	if spec.items == "Response" {
		set(doc, []string{"PagingInfo", "Skip"}, skip)
		set(doc, []string{"PagingInfo", "Take"}, take)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err := json.NewEncoder(w).Encode(doc); err != nil {
		f.t.Errorf("encoding: %v", err)
	}
}

func lookup(v any, path []string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func set(doc map[string]any, path []string, v any) {
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
