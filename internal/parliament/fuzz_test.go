package parliament

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
)

// FuzzDecode feeds arbitrary bodies to every response decoder and the code that turns the
// decoded records into Contributions and Members: none may panic, and whatever comes out
// must carry the ExternalID prefix of its list.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `null`, `[]`, `{}`, `{"Results": null}`, `{"results": [{"value": null}]}`,
		`{"Results": [{"ContributionExtId": "x", "MemberId": 4821, "SittingDate": "2016-12-13T00:00:00", "ContributionTextFull": "<p>a"}]}`,
		`{"results": [{"value": {"id": 1, "questionText": "…", "uin": 7}}], "totalResults": -1}`,
		`{"PagingInfo": {"Total": 1}, "Response": [{"Id": 1, "UIN": "12a", "PrimarySponsor": null}]}`,
		`{"items": [{"value": {"id": 3, "latestHouseMembership": {"house": 3, "membershipStatus": null}}}]}`,
		`{"value": {"id": 1}, "results": [{"value": {"id": 1}}]}`,
	} {
		f.Add([]byte(s))
	}
	c, err := New(DefaultConfig())
	if err != nil {
		f.Fatal(err)
	}
	since := time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC)

	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(p page, prefix string) {
			for _, it := range p.items {
				if !strings.HasPrefix(it.ExternalID, prefix) || len(it.ExternalID) == len(prefix) {
					t.Errorf("got ExternalID %q, want %q and an id", it.ExternalID, prefix)
				}
				if it.MemberID != fixtureMember {
					t.Errorf("got member %d, want %d", it.MemberID, fixtureMember)
				}
			}
			if p.raw < len(p.items) {
				t.Errorf("got %d items from %d records", len(p.items), p.raw)
			}
		}

		var h hansardSearch
		if json.Unmarshal(data, &h) == nil {
			check(c.hansardResults(h, hansardSpoken, fixtureMember), "hansard:")
		}
		var qs questionsSearch
		if json.Unmarshal(data, &qs) == nil {
			for _, r := range qs.Results {
				if got := c.questionContribution(r.Value, fixtureMember); !strings.HasPrefix(got.ExternalID, "wq:") {
					t.Errorf("got ExternalID %q, want wq:…", got.ExternalID)
				}
				_ = truncated(r.Value.QuestionText) || truncated(r.Value.AnswerText)
			}
		}
		var q questionItem
		if json.Unmarshal(data, &q) == nil {
			_ = c.questionContribution(q.Value, q.Value.AskingMemberID)
		}
		var ss statementsSearch
		if json.Unmarshal(data, &ss) == nil {
			for _, r := range ss.Results {
				_ = c.statementContribution(r.Value, fixtureMember)
			}
		}
		var si statementItem
		if json.Unmarshal(data, &si) == nil && si.Value != nil {
			_ = c.statementContribution(*si.Value, fixtureMember)
		}
		var e edmList
		if json.Unmarshal(data, &e) == nil {
			for _, m := range e.Response {
				_, _ = parseTime(m.DateTabled)
				_ = plainText(m.MotionText)
			}
		}
		var ms membersSearch
		if json.Unmarshal(data, &ms) == nil {
			for _, it := range ms.Items {
				if m, ok := member(it.Value); ok && m.ID <= 0 {
					t.Errorf("got member id %d, want positive", m.ID)
				}
			}
		}
		_ = merge([][]Contribution{c.hansardResults(h, hansardWritten, fixtureMember).items})
		_ = older(time.Time{}, since)
	})
}

// FuzzPlainText checks the shape of plainText's output for any input: paragraphs separated by
// exactly one blank line, no space at either end of a paragraph, no runs of spaces.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{
		"", "plain", "<p>One.</p><p>Two.</p>", "a\nb\n\nc", "<br><br>", "<script>x</script>y",
		"&amp;&nbsp;&#0;&#x110000;", "<p>x\x00y</p>", "x\x00y", "<table><tr><td>1<td>2</table>",
		"<p>An answer cut sho...</p>", "<", "<<>>", "<!-- c --> t", "<style><p>hidden</p></style>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := plainText(in)
		if out == "" {
			return
		}
		if strings.Contains(out, "\n\n\n") {
			t.Errorf("got %q, want no more than one blank line between paragraphs", out)
		}
		if strings.ContainsRune(out, '\x00') {
			t.Errorf("got %q, want no NUL", out)
		}
		for _, p := range strings.Split(out, "\n\n") {
			if p == "" || strings.ContainsRune(p, '\n') {
				t.Errorf("got paragraph %q of %q, want non-empty and on one line", p, out)
			}
			if strings.TrimFunc(p, unicode.IsSpace) != p {
				t.Errorf("got paragraph %q, want it trimmed", p)
			}
			if strings.Contains(p, "  ") {
				t.Errorf("got paragraph %q, want single spaces", p)
			}
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2016-12-13T00:00:00", "2016-12-13T13:02:11.537", "2016-12-13T13:02:11+01:00", "2016-12-13", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseTime(s)
		if !ok {
			if !got.IsZero() {
				t.Errorf("parseTime(%q): got %v with ok false, want the zero time", s, got)
			}
			return
		}
		if got.Location() != time.UTC {
			t.Errorf("parseTime(%q): got location %v, want UTC", s, got.Location())
		}
		if d := day(got); d.After(got) || got.Sub(d) >= 24*time.Hour {
			t.Errorf("day(%v) = %v, want the start of its day", got, d)
		}
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "-1", "Tue, 05 Mar 2024 12:10:00 GMT", "", "99999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if got := parseRetryAfter(s, now); got < 0 || got > maxRetryAfter {
			t.Errorf("parseRetryAfter(%q): got %v, want within [0, %v]", s, got, maxRetryAfter)
		}
	})
}
