package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/parliament"
)

func TestNextCursor(t *testing.T) {
	d := func(s string) time.Time {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	now := d("2024-03-20").Add(15 * time.Hour)
	on := func(days ...string) []parliament.Contribution {
		var cs []parliament.Contribution
		for _, s := range days {
			cs = append(cs, parliament.Contribution{Date: d(s)})
		}
		return cs
	}
	for _, tc := range []struct {
		name  string
		since time.Time
		cs    []parliament.Contribution
		want  string
	}{
		{name: "nothing yet, nothing found", want: ""},
		{name: "nothing found keeps since", since: d("2024-01-02"), want: "2024-01-02"},
		{name: "the newest day seen", cs: on("2016-12-13", "2016-12-15", "2016-10-11"), want: "2016-12-15"},
		{name: "no later than three days ago", cs: on("2024-03-19", "2024-03-01"), want: "2024-03-17"},
		{name: "a date in the future does not skip days", cs: on("2031-01-01"), want: "2024-03-17"},
		{name: "never back before since", since: d("2024-03-18"), cs: on("2024-03-19"), want: "2024-03-18"},
		{name: "undated records are ignored", since: d("2024-01-02"), cs: []parliament.Contribution{{}}, want: "2024-01-02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextCursor(tc.since, tc.cs, now); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestItemKind(t *testing.T) {
	for _, tc := range []struct {
		source, link, want string
	}{
		{docket.KindMP, "https://www.hannahwren.org.uk/news/aleppo", docket.KindPressRelease},
		{docket.KindMP, "https://www.hannahwren.org.uk/blog/why-idlib", docket.KindArticle},
		{docket.KindMP, "https://www.hannahwren.org.uk/opinion/aid", docket.KindArticle},
		{docket.KindMP, "https://www.hannahwren.org.uk/speeches/2016/aleppo", docket.KindSpeech},
		{docket.KindMP, "not a url %zz", docket.KindPressRelease},
		{docket.KindParliament, "https://www.theyworkforyou.com/debates/?id=2016-12-13a.1", docket.KindSpeech},
		{docket.KindParliament, "https://www.theyworkforyou.com/wrans/?id=2016-12-05.56930", docket.KindWrittenQuestion},
		{docket.KindParliament, "https://www.theyworkforyou.com/wms/?id=2016-12-15", docket.KindArticle},
	} {
		t.Run(tc.link, func(t *testing.T) {
			if got := itemKind(tc.source, tc.link); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestStatementTitle(t *testing.T) {
	long := strings.Repeat("Aleppo ", 60)
	for _, tc := range []struct {
		name, title, text, want string
	}{
		{name: "the title, spaces tidied", title: "  Aleppo:\n Humanitarian  Situation ", want: "Aleppo: Humanitarian Situation"},
		{name: "the start of the text", text: "To ask the Secretary of State for International Development, how many aid convoys have reached eastern Aleppo.",
			want: "To ask the Secretary of State for International Development, how many aid…"},
		{name: "the fallback", want: "Written question"},
		{name: "cut to the longest title", title: long, want: strings.TrimSpace(long[:297]) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := statementTitle(tc.title, tc.text, "Written question")
			if tc.name == "cut to the longest title" {
				if len(got) > maxTitle || !strings.HasSuffix(got, "…") {
					t.Errorf("got %d bytes %q, want at most %d ending in …", len(got), got, maxTitle)
				}
				return
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestItemBody(t *testing.T) {
	for _, tc := range []struct {
		name string
		it   docket.Item
		want string
	}{
		{name: "title line and furniture removed",
			it:   docket.Item{Title: "UN monitors for Aleppo", Text: "UN monitors for Aleppo\n\nI have written to the Foreign Secretary.\n\nShare this post\n\nDo you like this post?"},
			want: "I have written to the Foreign Secretary."},
		{name: "a long title that does not read as a heading",
			it: docket.Item{Title: "Today I wrote to the Foreign Secretary about the evacuation of eastern Aleppo and the families of my constituents.",
				Text: "Today I wrote to the Foreign Secretary about the evacuation of eastern Aleppo and the families of my constituents.\n\nHere is the letter."},
			want: "Here is the letter."},
		{name: "nothing but furniture keeps the text", it: docket.Item{Title: "Newsletter", Text: "Subscribe to our newsletter"},
			want: "Subscribe to our newsletter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := itemBody(&tc.it); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestContributionStatement(t *testing.T) {
	member := int64(3)
	date := time.Date(2016, 12, 5, 0, 0, 0, 0, time.UTC)
	st := ContributionStatement(parliament.Contribution{ExternalID: "wq:1700002", Kind: docket.KindWrittenQuestion, Title: "Syria: Russia",
		Text: "To ask the Secretary of State what representations he has made.", Answer: "The Foreign Secretary raised it.",
		URL: "https://questions-statements.parliament.uk/written-questions/detail/2016-12-05/56930", Date: date}, &member)
	want := "To ask the Secretary of State what representations he has made.\n\n" + AnswerHeading + "\n\nThe Foreign Secretary raised it."
	if st.Body != want || st.Kind != docket.KindWrittenQuestion || st.Title != "Syria: Russia" || *st.ExternalID != "wq:1700002" ||
		*st.MemberID != member || !st.PublishedAt.Equal(date) {
		t.Errorf("got %+v (body %q)", st, st.Body)
	}
	// PostgreSQL's text cannot hold a NUL, which a JSON API can send as "\u0000".
	st = ContributionStatement(parliament.Contribution{ExternalID: "ws:\x001", Kind: docket.KindArticle, Title: "Syria\x00: aid",
		Text: "Aid\x00 reached Aleppo.", Answer: "\x00", URL: "https://example.org/\x00ws"}, &member)
	if got := st.Title + st.Body + st.SourceURL + *st.ExternalID; strings.Contains(got, "\x00") {
		t.Errorf("a NUL is stored: %q", got)
	}
	if st.Body != "Aid reached Aleppo." || *st.ExternalID != "ws:1" {
		t.Errorf("without its NULs: body %q, id %q", st.Body, *st.ExternalID)
	}
	st = ContributionStatement(parliament.Contribution{ExternalID: "hansard:x", Kind: "motion", House: "Lords"}, nil)
	if st.Kind != docket.KindArticle || st.Title != "Statement in the House of Lords" || st.PublishedAt != nil || st.MemberID != nil {
		t.Errorf("got kind %s, title %q, published %v, member %v", st.Kind, st.Title, st.PublishedAt, st.MemberID)
	}
}

func FuzzParliamentMemberID(f *testing.F) {
	for _, s := range []string{"parliament:member/4821", "parliament:member/0", "parliament:member/007", "parliament:member/+5",
		"parliament:member/1e3", "parliament:member/١٢", "https://example.org/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		id, ok := ParliamentMemberID(u)
		if !ok {
			if id != 0 {
				t.Errorf("%q: not ok, but id %d", u, id)
			}
			return
		}
		if id <= 0 {
			t.Errorf("%q: id %d is not positive", u, id)
		}
		// One URL per member, so a member's source cannot be added twice under two spellings.
		if back := ParliamentSourceURL(id); back != u {
			t.Errorf("%q: id %d prints back as %q", u, id, back)
		}
	})
}
