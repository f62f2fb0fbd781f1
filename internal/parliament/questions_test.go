package parliament

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// cutAt is what the questions and statements lists give of a long text: its first 255
// characters, with "..." after them for an answer and nothing for a question.
func cutAt(s string, mark string) string { return string([]rune(s)[:listCut]) + mark }

// TestTextsCutAtTheListLength: a question the list cut at its usual 255 characters, with no
// "..." to say so, is fetched whole, as is a written statement cut there; a text just
// shorter is taken from the list.
func TestTextsCutAtTheListLength(t *testing.T) {
	long := "To ask the Secretary of State for Foreign, Commonwealth and Development Affairs, what assessment he has made of the number of people displaced from " +
		"eastern Aleppo who have reached Idlib; what steps he is taking with the UN to ensure that shelter, food and winter clothing reach them; and whether he will " +
		"press for monitors at the checkpoints where buses have been held."
	short := string([]rune(long)[:listCut-1])
	if len([]rune(long)) <= listCut {
		t.Fatalf("the long question is %d characters, want more than %d", len([]rune(long)), listCut)
	}
	question := func(id int, text string) map[string]any {
		return map[string]any{"value": map[string]any{"id": id, "askingMemberId": fixtureMember, "dateTabled": "2016-12-20T00:00:00",
			"uin": fmt.Sprint(id), "questionText": text, "heading": "Syria: Refugees", "house": "Commons"}}
	}
	statement := func(id int, text string) map[string]any {
		return map[string]any{"value": map[string]any{"id": id, "memberId": fixtureMember, "dateMade": "2016-12-20T00:00:00",
			"uin": fmt.Sprint("HCWS", id), "title": "Aleppo", "text": text, "house": "Commons"}}
	}
	answer := func(v any) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(v)
		}
	}
	f := newFakeParliament(t)
	f.setOverride("/api/writtenquestions/questions", answer(map[string]any{"totalResults": 2,
		"results": []any{question(1790001, cutAt(long, "")), question(1790002, short)}}))
	f.setOverride("/api/writtenquestions/questions/1790001", answer(question(1790001, long)))
	f.setOverride("/api/writtenstatements/statements", answer(map[string]any{"totalResults": 1,
		"results": []any{statement(1690001, cutAt(long, "..."))}}))
	f.setOverride("/api/writtenstatements/statements/1690001", answer(statement(1690001, long)))
	c := f.client(nil)
	got, err := c.Contributions(context.Background(), fixtureMember, time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"wq:1790001": long, "wq:1790002": short, "ws:1690001": long} {
		g, ok := byID(got, id)
		if !ok {
			t.Errorf("no %s", id)
			continue
		}
		if g.Text != want {
			t.Errorf("%s: text %q (%d characters), want %d", id, g.Text, len([]rune(g.Text)), len([]rune(want)))
		}
	}
	if n := len(f.requested("/api/writtenquestions/questions/1790002")); n != 0 {
		t.Errorf("a question shorter than the cut was fetched %d times, want 0", n)
	}
}

// TestHansardEndDate: each Hansard search gives the span it asks for an end, today at
// Westminster, as well as a start.
func TestHansardEndDate(t *testing.T) {
	f := newFakeParliament(t)
	// Late on 20 December in UTC is still the 20th in London; midsummer's late evening is
	// the next day there.
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2016, 12, 20, 23, 30, 0, 0, time.UTC), "2016-12-20"},
		{time.Date(2017, 6, 20, 23, 30, 0, 0, time.UTC), "2017-06-21"},
	} {
		c := f.client(func(cfg *Config) { cfg.Now = func() time.Time { return tc.now } })
		if _, err := c.Contributions(context.Background(), fixtureMember, time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/search/contributions/Spoken.json", "/search/contributions/Written.json"} {
			qs := f.requested(path)
			if len(qs) == 0 {
				t.Fatalf("no request to %s", path)
			}
			last := qs[len(qs)-1]
			if got := last.Get("queryParameters.endDate"); got != tc.want || last.Get("queryParameters.startDate") != "2016-12-01" {
				t.Errorf("%s at %s: start %q, end %q; want 2016-12-01 to %s", path, tc.now, last.Get("queryParameters.startDate"), got, tc.want)
			}
		}
	}
}
