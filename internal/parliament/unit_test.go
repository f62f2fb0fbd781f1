package parliament

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

func TestMerge(t *testing.T) {
	c := func(id, kind, title, d string) Contribution {
		return Contribution{ExternalID: id, Kind: kind, Title: title, Date: date(d)}
	}
	for _, tc := range []struct {
		name    string
		in      [][]Contribution
		wantIDs []string
	}{
		{
			name: "newest first, stable within a day",
			in: [][]Contribution{
				{c("hansard:a", docket.KindSpeech, "", "2016-12-13"), c("hansard:b", docket.KindSpeech, "", "2016-12-13"), c("hansard:c", docket.KindSpeech, "", "2016-11-01")},
				{c("wq:1", docket.KindWrittenQuestion, "", "2016-12-13"), c("wq:2", docket.KindWrittenQuestion, "", "2016-12-20")},
			},
			wantIDs: []string{"wq:2", "hansard:a", "hansard:b", "wq:1", "hansard:c"},
		},
		{
			name: "a record seen on two pages is kept once",
			in: [][]Contribution{
				{c("hansard:a", docket.KindSpeech, "", "2016-12-13"), c("hansard:b", docket.KindSpeech, "", "2016-12-12"), c("hansard:b", docket.KindSpeech, "", "2016-12-12")},
			},
			wantIDs: []string{"hansard:a", "hansard:b"},
		},
		{
			name: "Hansard's copy of a written statement dropped, title folded",
			in: [][]Contribution{
				{c("hansard:w", docket.KindArticle, "Humanitarian Aid:  Syria", "2016-12-15")},
				{c("ws:9", docket.KindArticle, "humanitarian aid – syria", "2016-12-15")},
			},
			wantIDs: []string{"ws:9"},
		},
		{
			name: "Hansard written kept when the statement is of another day",
			in: [][]Contribution{
				{c("hansard:w", docket.KindArticle, "Humanitarian Aid: Syria", "2016-12-16")},
				{c("ws:9", docket.KindArticle, "Humanitarian Aid: Syria", "2016-12-15")},
			},
			wantIDs: []string{"hansard:w", "ws:9"},
		},
		{
			name: "a speech with a statement's title is not dropped",
			in: [][]Contribution{
				{c("hansard:s", docket.KindSpeech, "Humanitarian Aid: Syria", "2016-12-15")},
				{c("ws:9", docket.KindArticle, "Humanitarian Aid: Syria", "2016-12-15")},
			},
			wantIDs: []string{"hansard:s", "ws:9"},
		},
		{name: "nothing", in: [][]Contribution{nil, {}}, wantIDs: []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(merge(tc.in)); !slices.Equal(got, tc.wantIDs) {
				t.Errorf("got %v, want %v", got, tc.wantIDs)
			}
		})
	}
}

// An API may ignore the member filter; records attributed to someone else are not the member's.
func TestOtherMembersDropped(t *testing.T) {
	c, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var h hansardSearch
	mustUnmarshal(t, `{"TotalResultCount": 3, "Results": [
		{"MemberId": 4821, "ContributionExtId": "mine", "SittingDate": "2016-12-13T00:00:00", "House": "Commons", "DebateSectionExtId": "d"},
		{"MemberId": 17, "ContributionExtId": "theirs", "SittingDate": "2016-12-12T00:00:00"},
		{"MemberId": 4821, "ContributionExtId": "", "SittingDate": "2016-12-11T00:00:00"}]}`, &h)
	p := c.hansardResults(h, hansardSpoken, 4821)
	if got := ids(p.items); !slices.Equal(got, []string{"hansard:mine"}) {
		t.Errorf("got %v, want only hansard:mine", got)
	}
	if p.raw != 3 || p.total != 3 || !p.oldest.Equal(date("2016-12-11")) {
		t.Errorf("got raw %d, total %d, oldest %v; want 3, 3, 2016-12-11", p.raw, p.total, p.oldest)
	}
}

func mustUnmarshal(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
}

func TestMorePages(t *testing.T) {
	for _, tc := range []struct {
		got, take, skip, total int
		want                   bool
	}{
		{got: 0, take: 20, skip: 0, total: 50, want: false},
		{got: 20, take: 20, skip: 20, total: 50, want: true},
		{got: 10, take: 20, skip: 50, total: 50, want: false},
		// The API quietly gave fewer than asked: its total says there is more.
		{got: 20, take: 100, skip: 20, total: 50, want: true},
		// No total: a short page is the last.
		{got: 20, take: 20, skip: 20, total: 0, want: true},
		{got: 19, take: 20, skip: 39, total: 0, want: false},
	} {
		if g := morePages(tc.got, tc.take, tc.skip, tc.total); g != tc.want {
			t.Errorf("morePages(got %d, take %d, skip %d, total %d): got %v, want %v", tc.got, tc.take, tc.skip, tc.total, g, tc.want)
		}
	}
}

func TestRetryAfterInJoinedErrors(t *testing.T) {
	a := &APIError{API: "hansard spoken", StatusCode: 503, Status: "503 Service Unavailable", RetryAfter: time.Minute}
	b := &APIError{API: "written questions", StatusCode: 429, Status: "429 Too Many Requests", RetryAfter: 5 * time.Minute}
	for _, tc := range []struct {
		name   string
		err    error
		want   time.Duration
		wantOK bool
	}{
		{"nil", nil, 0, false},
		{"plain", errors.New("boom"), 0, false},
		{"one", a, time.Minute, true},
		{"wrapped", fmt.Errorf("polling: %w", a), time.Minute, true},
		{"joined, longest wins", errors.Join(a, errors.New("boom"), fmt.Errorf("x: %w", b)), 5 * time.Minute, true},
		{"no delay", &APIError{API: "members", StatusCode: 500, Status: "500 Internal Server Error"}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := RetryAfter(tc.err)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("got %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestEndpointPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ep := newEndpoint("https://example", 500*time.Millisecond)
		ctx := context.Background()
		start := time.Now()
		var at []time.Duration
		for range 3 {
			if err := ep.wait(ctx, "test"); err != nil {
				t.Fatal(err)
			}
			at = append(at, time.Since(start))
		}
		want := []time.Duration{0, 500 * time.Millisecond, time.Second}
		if !slices.Equal(at, want) {
			t.Errorf("got requests at %v, want %v", at, want)
		}

		// A pause longer than the interval leaves nothing to wait for.
		time.Sleep(2 * time.Second) // virtual time inside the bubble
		before := time.Now()
		if err := ep.wait(ctx, "test"); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(before); d != 0 {
			t.Errorf("got a wait of %v after an idle spell, want none", d)
		}
	})
}

func TestEndpointPacingCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ep := newEndpoint("https://example", time.Hour)
		if err := ep.wait(context.Background(), "test"); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := ep.wait(ctx, "test"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want context.DeadlineExceeded", err)
		}
	})
}

func TestEndpointHold(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ep := newEndpoint("https://example", 0)
		ep.hold(&APIError{API: "written questions", StatusCode: 429, Status: "429 Too Many Requests", RetryAfter: time.Minute})

		time.Sleep(20 * time.Second)
		err := ep.wait(context.Background(), "written statements")
		var held *APIError
		if !errors.As(err, &held) || !held.Deferred || held.RetryAfter != 40*time.Second || held.API != "written statements" {
			t.Fatalf("got %#v, want a deferred error for written statements with 40s left", err)
		}
		if want := "parliament: written statements: not requested, the API answered HTTP 429 Too Many Requests and asked to wait 40s more"; err.Error() != want {
			t.Errorf("got %q, want %q", err, want)
		}

		time.Sleep(41 * time.Second)
		if err := ep.wait(context.Background(), "written statements"); err != nil {
			t.Errorf("got %v after Retry-After passed, want nil", err)
		}
	})
}
