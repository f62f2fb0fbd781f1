package parliament

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestPlainText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "A question.", "A question."},
		{"spaces collapsed", "  A   question \t asked. ", "A question asked."},
		{"plain newlines are paragraphs", "That this House notes;\nand calls on\n\n\nthe Government.", "That this House notes;\n\nand calls on\n\nthe Government."},
		{"paragraphs", "<p>One.</p><p>Two.</p>", "One.\n\nTwo."},
		{"newlines in HTML are wrapping", "<p>One sentence\nwrapped.</p>\n<p>Two.</p>", "One sentence wrapped.\n\nTwo."},
		{"br", "Line one<br>line two<br/>line three", "Line one\n\nline two\n\nline three"},
		{"entities", "<p>Aid &amp; shelter &ndash; &quot;now&quot;&nbsp;please</p>", "Aid & shelter – \"now\" please"},
		{"inline markup kept as text", "<p>The <strong>last</strong> <a href=\"/x\">hospital</a> closed.</p>", "The last hospital closed."},
		{"lists", "<ul><li>Shelter</li><li>Food</li></ul>", "Shelter\n\nFood"},
		{"table cells spaced", "<table><tr><td>2015</td><td>120</td></tr><tr><td>2016</td><td>340</td></tr></table>", "2015 120\n\n2016 340"},
		{"script and style dropped", "<style>p{color:red}</style><p>Text</p><script>alert(1)</script>", "Text"},
		{"empty paragraphs dropped", "<p> </p><p>Text</p><p>&nbsp;</p>", "Text"},
		{"unclosed markup", "<p>Text <b>bold", "Text bold"},
		{"stray angle bracket", "3 < 4 and 5 > 2", "3 < 4 and 5 > 2"},
		{"windows line ends", "One\r\nTwo", "One\n\nTwo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := plainText(tc.in); got != tc.want {
				t.Errorf("plainText(%q):\ngot  %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTruncated(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"", false},
		{"A full answer.", false},
		{"An answer cut sho...", true},
		{"An answer cut sho…", true},
		{"<p>An answer cut sho...</p>", true},
		{"<p>An answer cut sho... </p>\n", true},
		{"<p>A full answer.</p>", false},
		{"Ellipsis in the middle... then more.", false},
		{">...", true},
		// The lists cut a question at 255 characters with no mark.
		{strings.Repeat("a", 254), false},
		{strings.Repeat("a", 255), true},
		{strings.Repeat("é", 255), true},
		{"<p>" + strings.Repeat("a", 250) + "</p>", false},
		{"<p>" + strings.Repeat("a", 260) + "</p>", true},
	} {
		if got := truncated(tc.in); got != tc.want {
			t.Errorf("truncated(%q): got %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   time.Time
		wantOK bool
	}{
		{"2016-12-13T00:00:00", date("2016-12-13"), true},
		{"2016-12-13T13:02:11", time.Date(2016, 12, 13, 13, 2, 11, 0, time.UTC), true},
		{"2016-12-13T13:02:11.537", time.Date(2016, 12, 13, 13, 2, 11, 537e6, time.UTC), true},
		{"2016-12-13T13:02:11+01:00", time.Date(2016, 12, 13, 12, 2, 11, 0, time.UTC), true},
		{"2016-12-13T13:02:11Z", time.Date(2016, 12, 13, 13, 2, 11, 0, time.UTC), true},
		{"2016-12-13", date("2016-12-13"), true},
		{" 2016-12-13 ", date("2016-12-13"), true},
		{"", time.Time{}, false},
		{"13/12/2016", time.Time{}, false},
		{"2016-13-45T00:00:00", time.Time{}, false},
	} {
		got, ok := parseTime(tc.in)
		if ok != tc.wantOK || !got.Equal(tc.want) || (ok && got.Location() != time.UTC) {
			t.Errorf("parseTime(%q): got %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"120", 2 * time.Minute},
		{" 5 ", 5 * time.Second},
		{"0", 0},
		{"-3", 0},
		{"Tue, 05 Mar 2024 12:10:00 GMT", 10 * time.Minute},
		{"Tue, 05 Mar 2024 11:00:00 GMT", 0},
		{"999999999999999999", maxRetryAfter},
		{"soon", 0},
	} {
		if got := parseRetryAfter(tc.in, now); got != tc.want {
			t.Errorf("parseRetryAfter(%q): got %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestFlexString(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		wantErr  bool
	}{
		{`"HCWS361"`, "HCWS361", false},
		{`812`, "812", false},
		{`null`, "", false},
		{`1.5e3`, "1.5e3", false},
		{`true`, "", true},
		{`{}`, "", true},
	} {
		var f flexString
		err := json.Unmarshal([]byte(tc.in), &f)
		if (err != nil) != tc.wantErr || string(f) != tc.want {
			t.Errorf("unmarshal %s: got %q, %v; want %q, error %v", tc.in, f, err, tc.want, tc.wantErr)
		}
	}
}
