package parliament

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ids(cs []Contribution) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ExternalID
	}
	return out
}

func byID(cs []Contribution, id string) (Contribution, bool) {
	for _, c := range cs {
		if c.ExternalID == id {
			return c, true
		}
	}
	return Contribution{}, false
}

// skips returns the skip parameter of each request, to see the paging.
func skips(qs []url.Values, param string) []string {
	out := []string{}
	for _, q := range qs {
		out = append(out, q.Get(param))
	}
	return out
}

const (
	spokenPath     = "/search/contributions/Spoken.json"
	writtenPath    = "/search/contributions/Written.json"
	questionsPath  = "/api/writtenquestions/questions"
	statementsPath = "/api/writtenstatements/statements"
	motionsPath    = "/EarlyDayMotions/list"
	membersPath    = "/api/Members/Search"
)

func TestContributionsEverything(t *testing.T) {
	f := newFakeParliament(t)
	c := f.client(func(cfg *Config) { cfg.PageSize = 2 })

	got, err := c.Contributions(context.Background(), fixtureMember, time.Time{})
	if err != nil {
		t.Fatalf("Contributions: %v", err)
	}

	wantIDs := []string{
		"ws:1600123", // the Hansard written copy of the same statement is dropped
		"wq:1700003",
		"hansard:C1B2A3D4-0001-4E5F-9A8B-7C6D5E4F3A21",
		"hansard:C1B2A3D4-0002-4E5F-9A8B-7C6D5E4F3A21",
		"edm:50277",
		"hansard:C1B2A3D4-0003-4E5F-9A8B-7C6D5E4F3A21",
		"wq:1700002",
		"hansard:C1B2A3D4-0004-4E5F-9A8B-7C6D5E4F3A21",
		"wq:1700001",
		"edm:49980",
		"hansard:C1B2A3D4-0005-4E5F-9A8B-7C6D5E4F3A21",
	}
	if g := ids(got); !slices.Equal(g, wantIDs) {
		t.Errorf("got ids\n%s\nwant\n%s", strings.Join(g, "\n"), strings.Join(wantIDs, "\n"))
	}

	t.Run("paging", func(t *testing.T) {
		for _, tc := range []struct {
			path, skipParam string
			want            []string
		}{
			{spokenPath, "queryParameters.skip", []string{"0", "2", "4"}},
			{writtenPath, "queryParameters.skip", []string{"0"}},
			{questionsPath, "skip", []string{"0", "2"}},
			{statementsPath, "skip", []string{"0"}},
			{motionsPath, "parameters.skip", []string{"0"}},
		} {
			if got := skips(f.requested(tc.path), tc.skipParam); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got skips %v, want %v", tc.path, got, tc.want)
			}
		}
		q := f.requested(spokenPath)[0]
		for param, want := range map[string]string{
			"queryParameters.memberId": "4821",
			"queryParameters.orderBy":  "SittingDateDesc",
			"queryParameters.take":     "2",
		} {
			if got := q.Get(param); got != want {
				t.Errorf("spoken request: got %s=%q, want %q", param, got, want)
			}
		}
		if q.Has("queryParameters.startDate") {
			t.Errorf("spoken request: got startDate %q with a zero since, want none", q.Get("queryParameters.startDate"))
		}
	})

	t.Run("records", func(t *testing.T) {
		want := []Contribution{
			{
				ExternalID: "hansard:C1B2A3D4-0001-4E5F-9A8B-7C6D5E4F3A21",
				Kind:       docket.KindSpeech,
				Title:      "Aleppo: Humanitarian Situation",
				Text: "The Secretary of State will know that the last hospital in eastern Aleppo closed on Saturday. " +
					"What assurance can he give the House that the evacuation corridors agreed last night will be monitored by the United Nations, and not only by the parties to the fighting?\n\n" +
					"Will he also say what is being done for the families who cannot reach those corridors & are still trapped?",
				URL:        "https://hansard.example/Commons/2016-12-13/debates/A1C3E5F7-2016-1213-8B9D-1F2E3D4C5B6A/link#contribution-C1B2A3D4-0001-4E5F-9A8B-7C6D5E4F3A21",
				Date:       date("2016-12-13"),
				MemberID:   4821,
				MemberName: "Ms Hannah Wren",
				House:      "Commons",
			},
			{
				ExternalID: "wq:1700002",
				Kind:       docket.KindWrittenQuestion,
				Title:      "Syria: Russia",
				Text:       "To ask the Secretary of State for Foreign and Commonwealth Affairs, what representations he has made to the Russian Government on the protection of civilians in Aleppo.",
				Answer: "The Foreign Secretary raised the protection of civilians in Aleppo with the Russian Foreign Minister on 2 December. " +
					"We have made clear that indiscriminate attacks on hospitals and schools are unacceptable and that those responsible must be held to account.\n\n" +
					"We will continue to press for unhindered humanitarian access at the UN Security Council.",
				URL:        "https://qs.example/written-questions/detail/2016-12-05/56930",
				Date:       date("2016-12-05"),
				MemberID:   4821,
				MemberName: "Ms Hannah Wren",
				House:      "Commons",
			},
			{
				ExternalID: "wq:1700003",
				Kind:       docket.KindWrittenQuestion,
				Title:      "Syria: Humanitarian Aid",
				Text:       "To ask the Secretary of State for International Development, how many UK-funded aid convoys have reached eastern Aleppo since 1 November 2016.",
				URL:        "https://qs.example/written-questions/detail/2016-12-14/57812",
				Date:       date("2016-12-14"),
				MemberID:   4821,
				MemberName: "Ms Hannah Wren",
				House:      "Commons",
			},
			{
				ExternalID: "ws:1600123",
				Kind:       docket.KindArticle,
				Title:      "Humanitarian Aid: Syria",
				Text: "Today I am announcing a further package of humanitarian support for people displaced from Aleppo.\n\n" +
					"The package will fund shelter, winter clothing and medical care through UN agencies and trusted partners working inside Syria.",
				URL:        "https://qs.example/written-statements/detail/2016-12-15/HCWS361",
				Date:       date("2016-12-15"),
				MemberID:   4821,
				MemberName: "Ms Hannah Wren",
				House:      "Commons",
			},
			{
				ExternalID: "edm:50277",
				Kind:       docket.KindArticle,
				Title:      "Protection of medical workers in Syria",
				Text: "That this House condemns the attacks on hospitals in Aleppo and Idlib;\n\n" +
					"notes that more than 700 medical workers have been killed since 2011;\n\n" +
					"and calls on the Government to press for an independent investigation.",
				URL:        "https://edm.example/early-day-motion/50277",
				Date:       date("2016-12-08"),
				MemberID:   4821,
				MemberName: "Hannah Wren",
				House:      "Commons",
			},
		}
		for _, w := range want {
			t.Run(w.ExternalID, func(t *testing.T) {
				g, ok := byID(got, w.ExternalID)
				if !ok {
					t.Fatalf("got no %s", w.ExternalID)
				}
				if g != w {
					t.Errorf("got  %+v\nwant %+v", g, w)
				}
			})
		}
	})

	t.Run("truncated question fetched whole", func(t *testing.T) {
		full := f.requested(questionsPath + "/1700002")
		if len(full) != 1 {
			t.Fatalf("got %d requests for question 1700002, want 1", len(full))
		}
		for _, id := range []string{"1700001", "1700003"} {
			if n := len(f.requested(questionsPath + "/" + id)); n != 0 {
				t.Errorf("got %d requests for complete question %s, want 0", n, id)
			}
		}
	})
}

func TestContributionsSince(t *testing.T) {
	since := time.Date(2016, 12, 7, 15, 30, 0, 0, time.UTC)
	wantIDs := []string{
		"ws:1600123",
		"wq:1700003",
		"hansard:C1B2A3D4-0001-4E5F-9A8B-7C6D5E4F3A21",
		"hansard:C1B2A3D4-0002-4E5F-9A8B-7C6D5E4F3A21",
		"edm:50277",
		"hansard:C1B2A3D4-0003-4E5F-9A8B-7C6D5E4F3A21", // the same day as since: returned again
	}
	for _, tc := range []struct {
		name        string
		ignoreDates bool
		// requests made to each list, by skip
		spoken, questions []string
	}{
		{name: "API filters by date", spoken: []string{"0", "2"}, questions: []string{"0"}},
		// An API that drops the filter is still read only until its pages reach back past
		// since when it is sorted; the unsorted questions list is read to its end.
		{name: "API ignores the date filter", ignoreDates: true, spoken: []string{"0", "2"}, questions: []string{"0", "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeParliament(t)
			f.ignoreDates = tc.ignoreDates
			c := f.client(func(cfg *Config) { cfg.PageSize = 2 })

			got, err := c.Contributions(context.Background(), fixtureMember, since)
			if err != nil {
				t.Fatalf("Contributions: %v", err)
			}
			if g := ids(got); !slices.Equal(g, wantIDs) {
				t.Errorf("got ids\n%s\nwant\n%s", strings.Join(g, "\n"), strings.Join(wantIDs, "\n"))
			}
			if g := skips(f.requested(spokenPath), "queryParameters.skip"); !slices.Equal(g, tc.spoken) {
				t.Errorf("spoken: got skips %v, want %v", g, tc.spoken)
			}
			if g := skips(f.requested(questionsPath), "skip"); !slices.Equal(g, tc.questions) {
				t.Errorf("questions: got skips %v, want %v", g, tc.questions)
			}
			if n := len(f.requested(questionsPath + "/1700002")); n != 0 {
				t.Errorf("got %d full-text requests for a question older than since, want 0", n)
			}
			for _, r := range []struct{ path, param string }{
				{spokenPath, "queryParameters.startDate"},
				{writtenPath, "queryParameters.startDate"},
				{questionsPath, "tabledWhenFrom"},
				{statementsPath, "madeWhenFrom"},
				{motionsPath, "parameters.tabledStartDate"},
			} {
				for _, q := range f.requested(r.path) {
					if got := q.Get(r.param); got != "2016-12-07" {
						t.Errorf("%s: got %s=%q, want %q", r.path, r.param, got, "2016-12-07")
					}
				}
			}
		})
	}
}

func TestContributionsErrors(t *testing.T) {
	fail := func(status int, header map[string]string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			for k, v := range header {
				w.Header().Set(k, v)
			}
			http.Error(w, "<html>busy</html>", status)
		}
	}
	body := func(s string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, s)
		}
	}
	for _, tc := range []struct {
		name    string
		path    string
		handler http.HandlerFunc
		mod     func(*Config)
		wantErr string
		// lists that must still have given their records
		wantIDs []string
		// ids that must be missing
		wantMissing []string
	}{
		{
			name: "5xx", path: spokenPath, handler: fail(http.StatusServiceUnavailable, nil),
			wantErr:     "parliament: hansard spoken: HTTP 503 Service Unavailable",
			wantIDs:     []string{"wq:1700001", "ws:1600123", "edm:50277"},
			wantMissing: []string{"hansard:C1B2A3D4-0001-4E5F-9A8B-7C6D5E4F3A21"},
		},
		{
			name: "malformed JSON", path: questionsPath, handler: body(`{"totalResults": 3, "results": [{"value": {"id": 1700003,`),
			wantErr:     "parliament: written questions: malformed JSON",
			wantIDs:     []string{"hansard:C1B2A3D4-0001-4E5F-9A8B-7C6D5E4F3A21", "edm:50277"},
			wantMissing: []string{"wq:1700003"},
		},
		{
			name: "wrong JSON type", path: motionsPath, handler: body(`{"PagingInfo": {"Total": "many"}, "Response": []}`),
			wantErr: "parliament: early day motions: malformed JSON",
			wantIDs: []string{"wq:1700001"},
		},
		{
			name: "full text of a truncated question missing", path: questionsPath + "/1700002", handler: fail(http.StatusNotFound, nil),
			wantErr:     "parliament: written question 1700002: HTTP 404 Not Found",
			wantIDs:     []string{"wq:1700001", "wq:1700003"},
			wantMissing: []string{"wq:1700002"},
		},
		{
			name: "body over the cap", path: statementsPath, handler: body(`{"totalResults": 0, "results": [], "padding": "` + strings.Repeat("x", 40000) + `"}`),
			mod:     func(c *Config) { c.MaxBodyBytes = 20000 },
			wantErr: "parliament: written statements: response larger than 20000 bytes",
			wantIDs: []string{"wq:1700001"},
		},
		{
			name: "timeout", path: motionsPath,
			handler: func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
			mod: func(c *Config) {
				hc := *c.HTTPClient
				hc.Timeout = time.Second // long enough for the other lists on a loaded machine
				c.HTTPClient = &hc
			},
			wantErr:     "parliament: early day motions: Get",
			wantIDs:     []string{"wq:1700001"},
			wantMissing: []string{"edm:50277"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeParliament(t)
			f.setOverride(tc.path, tc.handler)
			c := f.client(tc.mod)

			got, err := c.Contributions(context.Background(), fixtureMember, time.Time{})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
			}
			for _, id := range tc.wantIDs {
				if _, ok := byID(got, id); !ok {
					t.Errorf("got no %s alongside the error, want the other lists' records kept", id)
				}
			}
			for _, id := range tc.wantMissing {
				if _, ok := byID(got, id); ok {
					t.Errorf("got %s, want it missing", id)
				}
			}
		})
	}
}

func TestContributionsAPIError(t *testing.T) {
	f := newFakeParliament(t)
	f.setOverride(spokenPath, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	})
	c := f.client(nil)
	_, err := c.Contributions(context.Background(), fixtureMember, time.Time{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("got %v, want an *APIError in the chain", err)
	}
	if apiErr.API != "hansard spoken" || apiErr.StatusCode != http.StatusBadGateway || apiErr.RetryAfter != 0 {
		t.Errorf("got %+v, want API hansard spoken, status 502, no retry", apiErr)
	}
	if d, ok := RetryAfter(err); ok {
		t.Errorf("got RetryAfter %v, want none for a 502", d)
	}
}

func TestContributionsRetryAfter(t *testing.T) {
	f := newFakeParliament(t)
	f.setOverride(statementsPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := f.client(nil)

	got, err := c.Contributions(context.Background(), fixtureMember, time.Time{})
	if d, ok := RetryAfter(err); !ok || d != 120*time.Second {
		t.Fatalf("got RetryAfter %v, %v from %v; want 2m0s, true", d, ok, err)
	}
	if want := "parliament: written statements: HTTP 429 Too Many Requests (retry after 2m0s)"; !strings.Contains(err.Error(), want) {
		t.Errorf("got error %q, want it to contain %q", err, want)
	}
	if _, ok := byID(got, "wq:1700001"); !ok {
		t.Errorf("got no wq:1700001, want the other lists' records kept")
	}

	// The client remembers: the next poll does not ask the statements API again, though the
	// questions API, which is on the same host in production but a different list, is asked.
	before := len(f.requested(statementsPath))
	_, err = c.Contributions(context.Background(), fixtureMember, time.Time{})
	if after := len(f.requested(statementsPath)); after != before {
		t.Errorf("got %d more statements requests within Retry-After, want 0", after-before)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !apiErr.Deferred || apiErr.RetryAfter <= 0 || apiErr.RetryAfter > 120*time.Second {
		t.Fatalf("got %v, want a deferred *APIError with 0 < RetryAfter <= 2m", err)
	}
	if want := "parliament: written statements: not requested"; !strings.Contains(err.Error(), want) {
		t.Errorf("got error %q, want it to contain %q", err, want)
	}
}

func TestContributionsCancelled(t *testing.T) {
	f := newFakeParliament(t)
	c := f.client(nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Contributions(ctx, fixtureMember, time.Time{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if strings.Count(err.Error(), "canceled") != 1 {
		t.Errorf("got %q, want the cancellation reported once", err)
	}
}

func TestContributionsInvalidMember(t *testing.T) {
	f := newFakeParliament(t)
	c := f.client(nil)
	_, err := c.Contributions(context.Background(), 0, time.Time{})
	if got := docket.ErrorCode(err); got != docket.EINVALID {
		t.Errorf("got code %q (%v), want %q", got, err, docket.EINVALID)
	}
	if n := len(f.requested(spokenPath)); n != 0 {
		t.Errorf("got %d requests, want none for an invalid member", n)
	}
}

func TestWrittenQuestion(t *testing.T) {
	f := newFakeParliament(t)
	c := f.client(nil)
	got, err := c.WrittenQuestion(context.Background(), 1700002)
	if err != nil {
		t.Fatalf("WrittenQuestion: %v", err)
	}
	if got.ExternalID != "wq:1700002" || got.MemberID != 4821 || !strings.HasSuffix(got.Answer, "UN Security Council.") {
		t.Errorf("got %+v, want wq:1700002 of member 4821 with its full answer", got)
	}
	if _, err := c.WrittenQuestion(context.Background(), 1700009); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("got error %v for a missing question, want HTTP 404", err)
	}
}

func TestHansardURL(t *testing.T) {
	c, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name                  string
		house                 string
		sitting               time.Time
		section, contribution string
		want                  string
	}{
		{
			name: "commons", house: "Commons", sitting: date("2016-12-13"),
			section: "A1C3E5F7-2016-1213-8B9D-1F2E3D4C5B6A", contribution: "C1B2A3D4-0001-4E5F-9A8B-7C6D5E4F3A21",
			want: "https://hansard.parliament.uk/Commons/2016-12-13/debates/A1C3E5F7-2016-1213-8B9D-1F2E3D4C5B6A/link#contribution-C1B2A3D4-0001-4E5F-9A8B-7C6D5E4F3A21",
		},
		{
			name: "lords, time of day ignored", house: "Lords", sitting: time.Date(2020, 3, 4, 14, 30, 0, 0, time.UTC),
			section: "S1", contribution: "C1",
			want: "https://hansard.parliament.uk/Lords/2020-03-04/debates/S1/link#contribution-C1",
		},
		{
			name: "no contribution id links the debate", house: "Commons", sitting: date("2016-12-13"), section: "S1",
			want: "https://hansard.parliament.uk/Commons/2016-12-13/debates/S1/link",
		},
		{
			name: "odd characters escaped", house: "Commons", sitting: date("2016-12-13"), section: "a/b c", contribution: "x#y",
			want: "https://hansard.parliament.uk/Commons/2016-12-13/debates/a%2Fb%20c/link#contribution-x%23y",
		},
		{name: "no section", house: "Commons", sitting: date("2016-12-13"), contribution: "C1", want: ""},
		{name: "no date", house: "Commons", section: "S1", contribution: "C1", want: ""},
		{name: "no house", sitting: date("2016-12-13"), section: "S1", contribution: "C1", want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.HansardURL(tc.house, tc.sitting, tc.section, tc.contribution); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFindMembers(t *testing.T) {
	want := []Member{
		{ID: 4821, Name: "Ms Hannah Wren", Party: "Labour", House: "Commons", Constituency: "Eastbridge and Marlow Vale", Current: true},
		{ID: 1377, Name: "Lord Wren of Aldbury", Party: "Crossbench", House: "Lords", Constituency: "Life peer", Current: true},
		{ID: 612, Name: "Dr Peter Wrenfield", Party: "Conservative", House: "Commons", Constituency: "Kettleby North", Current: false},
	}
	for _, tc := range []struct {
		name      string
		pageSize  int
		wantSkips []string
		wantTake  string
	}{
		{name: "one page, take capped at 20", pageSize: 100, wantSkips: []string{"0"}, wantTake: "20"},
		{name: "several pages", pageSize: 2, wantSkips: []string{"0", "2"}, wantTake: "2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeParliament(t)
			c := f.client(func(cfg *Config) { cfg.PageSize = tc.pageSize })
			got, err := c.FindMembers(context.Background(), "  Wren ")
			if err != nil {
				t.Fatalf("FindMembers: %v", err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			reqs := f.requested(membersPath)
			if g := skips(reqs, "skip"); !slices.Equal(g, tc.wantSkips) {
				t.Errorf("got skips %v, want %v", g, tc.wantSkips)
			}
			if g := reqs[0].Get("Name"); g != "Wren" {
				t.Errorf("got Name=%q, want %q", g, "Wren")
			}
			if g := reqs[0].Get("take"); g != tc.wantTake {
				t.Errorf("got take=%q, want %q", g, tc.wantTake)
			}
		})
	}

	t.Run("name too short", func(t *testing.T) {
		f := newFakeParliament(t)
		c := f.client(nil)
		for _, name := range []string{"", " ", "W"} {
			if _, err := c.FindMembers(context.Background(), name); docket.ErrorCode(err) != docket.EINVALID {
				t.Errorf("FindMembers(%q): got %v, want an %s error", name, err, docket.EINVALID)
			}
		}
		if n := len(f.requested(membersPath)); n != 0 {
			t.Errorf("got %d requests, want none", n)
		}
	})

	t.Run("server error", func(t *testing.T) {
		f := newFakeParliament(t)
		f.setOverride(membersPath, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
		})
		c := f.client(nil)
		_, err := c.FindMembers(context.Background(), "Wren")
		if want := "parliament: members: HTTP 500 Internal Server Error"; err == nil || err.Error() != want {
			t.Errorf("got %v, want %q", err, want)
		}
	})
}

func TestNewRefusesBadURLs(t *testing.T) {
	cfg := DefaultConfig()
	cfg.HansardBase = "hansard-api.parliament.uk" // no scheme
	cfg.MotionsWeb = "ftp://edm.parliament.uk"
	_, err := New(cfg)
	if docket.ErrorCode(err) != docket.EINVALID {
		t.Fatalf("got %v, want an %s error", err, docket.EINVALID)
	}
	for _, field := range []string{"HansardBase", "and 1 more"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("got %q, want it to mention %q", err, field)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New(Config{
		HansardBase: "https://h.example/", QuestionsBase: "https://q.example", MotionsBase: "https://m.example",
		MembersBase: "https://mem.example", HansardWeb: "https://hw.example", QuestionsWeb: "https://qw.example",
		MotionsWeb: "https://mw.example",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"page size", c.cfg.PageSize, DefaultPageSize},
		{"max pages", c.cfg.MaxPages, DefaultMaxPages},
		{"body cap", c.cfg.MaxBodyBytes, int64(DefaultMaxBodyBytes)},
		{"user agent", c.cfg.UserAgent, DefaultUserAgent},
		{"trailing slash trimmed", c.hansard.base, "https://h.example"},
		{"http client timeout", c.hc.Timeout, defaultTimeout},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}
