package statements

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.body.txt golden files")

func TestExtractFixtures(t *testing.T) {
	tests := []struct {
		name         string
		file         string
		contentType  string
		title        string
		member       string
		constituency string
		stripped     []string
	}{
		{
			name:         "plain text with page boilerplate",
			file:         "aleppo-response.txt",
			contentType:  "text/plain; charset=utf-8",
			title:        "Evacuation of eastern Aleppo: my response",
			member:       "Jane Doe",
			constituency: "Exampleton",
			stripped: []string{
				"Evacuation of eastern Aleppo: my response",
				"Yours sincerely,",
				"Jane Doe",
				"MP for Exampleton",
				"Share this post",
				"Do you like this post?",
				"Tags: Syria, Aleppo, Foreign affairs",
				"The Exampleton Labour Party will place cookies on your computer to help us make this website better.",
				"Please read this to review the updates about which cookies we use and what information we collect on our site.",
				"To find out more about these cookies, see our privacy notice. Use of this site confirms your acceptance of these cookies.",
			},
		},
		{
			name:         "scraped HTML page",
			file:         "idlib-ceasefire.html",
			contentType:  "text/html; charset=utf-8",
			title:        "UN aid convoys and the Idlib ceasefire",
			member:       "Jane Doe",
			constituency: "Exampleton",
			stripped: []string{
				"Skip to content",
				"We use cookies to make this website work and to understand how you use it.",
				"Cookie settings",
				"Jane Doe MP",
				"Working hard for Exampleton",
				"- Home", "- News", "- Campaigns", "- Surgeries", "- Contact",
				"Home > News > UN aid convoys and the Idlib ceasefire",
				"UN aid convoys and the Idlib ceasefire",
				"Posted on 9 January 2017 by Jane Doe",
				"Share on Facebook Tweet Email",
				"Jane Doe",
				"MP for Exampleton",
				"Do you like this post?",
				"Share this post: Facebook | Twitter | Email",
				"Do you like this post?",
				"12 people like this",
				"Tags: Syria, Idlib, Humanitarian aid",
				"Subscribe to our newsletter",
				"Email address",
				"Back to top",
				"Promoted by A. N. Agent on behalf of Jane Doe, both at 1 High Street, Exampleton EX1 1AA.",
				"© 2017 Jane Doe MP. All rights reserved.",
				"Privacy policy | Cookies | Accessibility",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			ex, err := Extract(in, tc.contentType, "https://janedoe.example/news/"+tc.file)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			golden := "testdata/" + strings.TrimSuffix(tc.file, ".txt")
			golden = strings.TrimSuffix(golden, ".html") + ".body.txt"
			if *update {
				if err := os.WriteFile(golden, []byte(ex.Body+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got := ex.Body + "\n"; got != string(want) {
				t.Errorf("Body:\ngot\n%s\nwant (%s)\n%s", got, golden, want)
			}
			checkNoBoilerplate(t, ex.Body)
			if ex.Title != tc.title {
				t.Errorf("Title: got %q, want %q", ex.Title, tc.title)
			}
			if ex.MemberName != tc.member || ex.Constituency != tc.constituency {
				t.Errorf("member: got %q of %q, want %q of %q", ex.MemberName, ex.Constituency, tc.member, tc.constituency)
			}
			if !slices.Equal(ex.Stripped, tc.stripped) {
				t.Errorf("Stripped:\ngot  %q\nwant %q", ex.Stripped, tc.stripped)
			}
			// The statement itself must survive whole: its opening and closing sentences,
			// and a paragraph that mentions cookies in passing.
			paras := strings.Split(ex.Body, "\n\n")
			if len(paras) < 5 {
				t.Errorf("got %d paragraphs, want at least 5", len(paras))
			}
		})
	}
}

// checkNoBoilerplate fails when a line of body is one the boilerplate rules remove, or when
// paragraphs are not separated by exactly one blank line.
func checkNoBoilerplate(t *testing.T, body string) {
	t.Helper()
	if body != strings.TrimSpace(body) || strings.Contains(body, "\n\n\n") {
		t.Errorf("body %q: want it trimmed with single blank lines between paragraphs", body)
	}
	for _, l := range strings.Split(body, "\n") {
		if l == "" {
			continue
		}
		if l != strings.TrimSpace(l) {
			t.Errorf("body line %q: want it trimmed", l)
		}
		if isBoilerplate(l) {
			t.Errorf("body line %q is boilerplate", l)
		}
	}
}

func TestExtractErrors(t *testing.T) {
	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantMsg     string
	}{
		{"empty", nil, "text/plain", "empty"},
		{"only whitespace", []byte(" \n\t\r\n "), "", "empty"},
		{"only boilerplate", []byte("Skip to content\n\nHome > News\n\nDo you like this post?\n\nShare this post\n\n© 2017 Jane Doe MP"), "text/plain", "boilerplate"},
		{"only boilerplate HTML", []byte("<html><body><nav>Home | News | Contact</nav><p>Do you like this post?</p><footer>© 2017</footer></body></html>"), "text/html", "boilerplate"},
		{"PDF by type", []byte("%PDF-1.7 ..."), "application/pdf", "application/pdf"},
		{"binary by content", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "", "image/png"},
		{"too large", bytes.Repeat([]byte("Aid. "), MaxImportBytes/5+1), "text/plain", "MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := Extract(tc.body, tc.contentType, "")
			var de *docket.Error
			if !errors.As(err, &de) || de.Code != docket.EINVALID {
				t.Fatalf("Extract: got %+v, %v, want a *docket.Error with code %s", ex, err, docket.EINVALID)
			}
			if !strings.Contains(de.Message, tc.wantMsg) {
				t.Errorf("message: got %q, want it to mention %q", de.Message, tc.wantMsg)
			}
		})
	}
}

func TestExtractDetectsAndDecodes(t *testing.T) {
	const para = "The ceasefire has held since 30 December, and the first convoys have reached Idlib."
	page := "<!DOCTYPE html><html><head><title>Convoys reach Idlib | Jane Doe MP</title></head><body><p>" + para + "</p></body></html>"
	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantTitle   string
		wantBody    string
	}{
		{"HTML by type", []byte(page), "text/html", "Convoys reach Idlib", para},
		{"XHTML by type", []byte(page), "application/xhtml+xml", "Convoys reach Idlib", para},
		{"HTML by sniffing with no type", []byte(page), "", "Convoys reach Idlib", para},
		{"HTML by sniffing under a text type", []byte("\n  " + page), "text/plain", "Convoys reach Idlib", para},
		{"HTML by sniffing under octet-stream", []byte(page), "application/octet-stream", "Convoys reach Idlib", para},
		{"HTML fragment", []byte("<p>" + para + "</p>"), "", "", para},
		{"text that mentions tags", []byte("We voted 310 <> 250 on the <b> amendment.\n"), "text/plain", "", "We voted 310 <> 250 on the <b> amendment."},
		{"markdown is text", []byte("Aid reached Idlib.\n"), "text/markdown", "", "Aid reached Idlib."},
		{"bad content type is sniffed", []byte("Aid reached Idlib."), "text/plain; charset", "", "Aid reached Idlib."},
		{"declared windows-1252", []byte("Caf\xe9 owners in Idlib gave \x93shelter\x94 to families."), "text/plain; charset=windows-1252", "", "Café owners in Idlib gave “shelter” to families."},
		{"undeclared windows-1252", []byte("Caf\xe9 owners in Idlib gave shelter to families."), "", "", "Café owners in Idlib gave shelter to families."},
		{"meta charset", []byte("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf\xe9 owners in Idlib gave shelter to families.</p></body></html>"), "text/html", "", "Café owners in Idlib gave shelter to families."},
		{"UTF-8 after a long ASCII start", []byte(strings.Repeat("Aid. ", 300) + "Zoë helped."), "", "", strings.Repeat("Aid. ", 299) + "Aid. Zoë helped."},
		{"byte-order mark", []byte("\uFEFFAid reached Idlib."), "", "", "Aid reached Idlib."},
		{"CRLF and NBSP", []byte("Aid\u00a0reached  Idlib.\r\n\r\nIt\u200b helped.\r\n"), "", "", "Aid reached Idlib.\n\nIt helped."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := Extract(tc.body, tc.contentType, "")
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			found := ex.Title // the title the page or text gave; made-up ones are TestExtractTitle's
			if ex.TitleMadeUp {
				found = ""
			}
			if found != tc.wantTitle || ex.Body != tc.wantBody {
				t.Errorf("got title %q, body %q\nwant title %q, body %q", found, ex.Body, tc.wantTitle, tc.wantBody)
			}
		})
	}
}

func TestExtractHTMLStructure(t *testing.T) {
	tests := []struct {
		name string
		page string
		want string
	}{
		{
			name: "lists",
			page: "<p>I have asked the Minister to:</p><ul><li>fund the UN appeal;</li><li>press for <b>safe</b> passage.</li></ul><ol><li>First.</li><li>Second.</li></ol><p>Thank you.</p>",
			want: "I have asked the Minister to:\n\n- fund the UN appeal;\n- press for safe passage.\n\n1. First.\n2. Second.\n\nThank you.",
		},
		{
			name: "line breaks and double breaks",
			page: "<div>Aid reached Idlib.<br>It helped.<br><br>Convoys wait.</div>",
			want: "Aid reached Idlib.\nIt helped.\n\nConvoys wait.",
		},
		{
			name: "hidden and script content",
			page: "<p>Aid reached Idlib.</p><p hidden>Hidden.</p><p style=\"display: none\">Gone.</p><script>var x = 1;</script><p aria-hidden=\"true\">Icon</p><p>It helped.</p>",
			want: "Aid reached Idlib.\n\nIt helped.",
		},
		{
			name: "whitespace and entities",
			page: "<p>  Aid&nbsp;reached\n   Idlib &amp; Aleppo.  </p>",
			want: "Aid reached Idlib & Aleppo.",
		},
		{
			name: "table",
			page: "<p>Evacuees by destination:</p><table><tr><td>Idlib</td><td>35,000</td></tr><tr><td>Aleppo</td><td>10,000</td></tr></table>",
			want: "Evacuees by destination:\n\nIdlib 35,000\n\nAleppo 10,000",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := Extract([]byte(tc.page), "text/html", "")
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if ex.Body != tc.want {
				t.Errorf("Body:\ngot  %q\nwant %q", ex.Body, tc.want)
			}
		})
	}
}

func TestExtractTitle(t *testing.T) {
	const body = "The ceasefire has held since 30 December, and the first convoys have reached Idlib."
	// What a title made up from body reads: its first 80 characters, cut at a word.
	const bodyTitle = "The ceasefire has held since 30 December, and the first convoys have reached…"
	const long = "Many constituents have written to me about the terrible events in eastern Aleppo over the past weeks, and I share their horror."
	tests := []struct {
		name      string
		in        string
		ctype     string
		wantTitle string
		madeUp    bool
		wantBody  string
	}{
		{"site after a pipe", "<html><head><title>Idlib: an update | Jane Doe MP</title></head><body><p>" + body + "</p></body></html>", "text/html", "Idlib: an update", false, body},
		{"site after a dash", "<html><head><title>Update on the Idlib convoys - Jane Doe MP</title></head><body><p>" + body + "</p></body></html>", "text/html", "Update on the Idlib convoys", false, body},
		{"site named by og:site_name", "<html><head><title>Update on the Idlib convoys — Exampleton Voice</title><meta property=\"og:site_name\" content=\"Exampleton Voice\"></head><body><p>" + body + "</p></body></html>", "text/html", "Update on the Idlib convoys", false, body},
		{"og:title", "<html><head><title>Home</title><meta property=\"og:title\" content=\"Convoys reach Idlib | Jane Doe MP\"></head><body><p>" + body + "</p></body></html>", "text/html", "Convoys reach Idlib", false, body},
		{"heading repeating the title is dropped", "<html><head><title>Convoys reach Idlib | Jane Doe MP</title></head><body><article><h2>Convoys reach Idlib</h2><p>" + body + "</p><p>" + body + "</p></article></body></html>", "text/html", "Convoys reach Idlib", false, body + "\n\n" + body},
		{"title that is only the site's name", "<html><head><title>Jane Doe MP</title><meta property=\"og:site_name\" content=\"Jane Doe MP\"></head><body><p>Convoys reach Idlib</p><p>" + body + "</p></body></html>", "text/html", "Convoys reach Idlib", false, body},
		{"page without a title", "<html><body><p>" + body + "</p></body></html>", "text/html", bodyTitle, true, body},
		{"text heading", "Convoys reach Idlib\n\n" + body, "text/plain", "Convoys reach Idlib", false, body},
		{"text heading with a question mark", "What next for Idlib?\n\n" + body, "text/plain", "What next for Idlib?", false, body},
		// Without a heading, the title is made up from the first sentence, which stays in
		// the body.
		{"first sentence is no heading", "Aid has arrived.\n\n" + body, "text/plain", "Aid has arrived", true, "Aid has arrived.\n\n" + body},
		{"salutation is no heading, nor a title", "Dear Constituent\n\n" + body, "text/plain", bodyTitle, true, "Dear Constituent\n\n" + body},
		{"long first line is no heading", body + "\n\n" + body, "text/plain", bodyTitle, true, body + "\n\n" + body},
		{"long first sentence cut at a word", long + "\n\n" + body, "text/plain", "Many constituents have written to me about the terrible events in eastern Aleppo…", true, long + "\n\n" + body},
		{"heading running into its paragraph", "Convoys reach Idlib\n" + body, "text/plain", "Convoys reach Idlib", true, "Convoys reach Idlib\n" + body},
		{"lone line is body, not title", "Convoys reach Idlib", "text/plain", "Convoys reach Idlib", true, "Convoys reach Idlib"},
		{"site name heading the page", "Jane Doe MP\n\n" + body, "text/plain", bodyTitle, true, "Jane Doe MP\n\n" + body},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := Extract([]byte(tc.in), tc.ctype, "")
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if ex.Title != tc.wantTitle || ex.TitleMadeUp != tc.madeUp || ex.Body != tc.wantBody {
				t.Errorf("got title %q (made up %v), body %q\nwant title %q (made up %v), body %q", ex.Title, ex.TitleMadeUp, ex.Body, tc.wantTitle, tc.madeUp, tc.wantBody)
			}
			if n := len([]rune(ex.Title)); n > maxMadeUpTitle+1 {
				t.Errorf("title of %d characters, want at most %d", n, maxMadeUpTitle+1)
			}
		})
	}
}

func TestExtractSignature(t *testing.T) {
	const body = "I will keep pressing the Government to help the people of Idlib."
	tests := []struct {
		name         string
		sig          string
		member       string
		constituency string
		party        string
		wantBody     string
	}{
		{"name then MP for", "Jane Doe\nMP for Exampleton", "Jane Doe", "Exampleton", "", body},
		{"one line with a comma", "Jane Doe, MP for Exampleton", "Jane Doe", "Exampleton", "", body},
		{"one line without a comma", "Jane Doe MP for Exampleton", "Jane Doe", "Exampleton", "", body},
		{"Member of Parliament for", "Jane Doe\nMember of Parliament for Leeds Central", "Jane Doe", "Leeds Central", "", body},
		{"name MP then Member of Parliament", "Jane Doe MP\nMember of Parliament for Exampleton", "Jane Doe", "Exampleton", "", body},
		{"name MP alone", "Jane Doe MP", "Jane Doe", "", "", body},
		{"Rt Hon and letters after the name", "The Rt Hon Jane Doe OBE MP", "Jane Doe", "", "", body},
		{"party in the role line", "Jane Doe\nLabour MP for Exampleton", "Jane Doe", "Exampleton", "Labour", body},
		{"party line after", "Jane Doe\nMP for Weston-super-Mare\nLabour Party", "Jane Doe", "Weston-super-Mare", "Labour Party", body},
		{"party line before", "Jane Doe\nLiberal Democrats\nMP for Exampleton", "Jane Doe", "Exampleton", "Liberal Democrats", body},
		{"party on one line", "Dr Jane Doe-Smith, Labour and Co-operative MP for Na h-Eileanan an Iar", "Dr Jane Doe-Smith", "Na h-Eileanan an Iar", "Labour and Co-operative", body},
		{"name particles", "Ana de la Cruz\nMP for Ynys Môn", "Ana de la Cruz", "Ynys Môn", "", body},
		{"valediction goes too", "Yours sincerely,\n\nJane Doe\nMP for Exampleton", "Jane Doe", "Exampleton", "", body},
		{"lines after the signature go", "Best wishes\nJane Doe\nMP for Exampleton\n\nJoin the campaign for Exampleton's hospital today", "Jane Doe", "Exampleton", "", body},
		{"bare name is kept", "Jane Doe", "", "", "", body + "\n\nJane Doe"},
		{"mention of an MP is kept", "I have spoken to the MP for Exampleton about this.", "", "", "", body + "\n\nI have spoken to the MP for Exampleton about this."},
		{"sentence ending in a constituency is kept", "Write to the Member of Parliament for your area.", "", "", "", body + "\n\nWrite to the Member of Parliament for your area."},
		{"site name above prose is kept", "Jane Doe MP\n\nI raised the convoys with the Minister again this week, and she promised to write to me with the Government's full answer before the recess.", "", "", "", body + "\n\nJane Doe MP\n\nI raised the convoys with the Minister again this week, and she promised to write to me with the Government's full answer before the recess."},
		{"no signature", "Thank you again for writing to me.", "", "", "", body + "\n\nThank you again for writing to me."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := Extract([]byte(body+"\n\n"+tc.sig+"\n"), "text/plain", "")
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if ex.MemberName != tc.member || ex.Constituency != tc.constituency || ex.Party != tc.party {
				t.Errorf("got member %q, constituency %q, party %q; want %q, %q, %q", ex.MemberName, ex.Constituency, ex.Party, tc.member, tc.constituency, tc.party)
			}
			if ex.Body != tc.wantBody {
				t.Errorf("Body: got %q, want %q", ex.Body, tc.wantBody)
			}
		})
	}
}

func TestIsBoilerplate(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		// Boilerplate.
		{"Do you like this post?", true},
		{"Did you like this post?", true},
		{"Was this page helpful?", true},
		{"12 people like this", true},
		{"34 comments", true},
		{"Share", true},
		{"Share this post", true},
		{"Share this:", true},
		{"Share on Facebook", true},
		{"Share on Twitter Share on Facebook Email", true},
		{"Tweet", true},
		{"Follow Jane on Twitter", true},
		{"Like us on Facebook", true},
		{"Subscribe to our newsletter", true},
		{"Sign up for email updates", true},
		{"Sign up to Jane's newsletter to hear about surgeries in Exampleton", true},
		{"Get email updates", true},
		{"Donate", true},
		{"Donate now to support our campaign", true},
		{"Join us", true},
		{"Get involved", true},
		{"Skip to content", true},
		{"Skip to main content", true},
		{"Home > News > Syria", true},
		{"Home / News / Syria", true},
		{"You are here: Home » News", true},
		{"Privacy | Cookies | Terms", true},
		{"Home About News Campaigns Contact", true},
		{"Menu", true},
		{"Read more", true},
		{"Read more »", true},
		{"Continue reading →", true},
		{"Back to top", true},
		{"↑ Back to top", true},
		{"Next post: Aleppo update", true},
		{"« Previous post", true},
		{"Tags: Syria, Aleppo", true},
		{"Tagged with: aid, refugees", true},
		{"Posted in Foreign affairs", true},
		{"Posted on 9 January 2017 by Jane Doe", true},
		{"Filed under: News", true},
		{"Categories: Syria", true},
		{"Published 9 Jan 2017", true},
		{"© 2017 Jane Doe MP", true},
		{"Copyright 2017 Exampleton Labour Party. All rights reserved.", true},
		{"Promoted by A. N. Agent on behalf of Jane Doe, both at 1 High Street, Exampleton.", true},
		{"Powered by NationBuilder", true},
		{"Website by Example Design", true},
		{"Registered office: 1 High Street, Exampleton", true},
		{"Photo: Jane Doe at the UN", true},
		{"Please enable JavaScript to view this page.", true},
		{"Cookie settings", true},
		{"Accept all cookies", true},
		{"Accept", true},
		{"We use cookies to make this website work.", true},
		{"This website uses cookies to improve your experience. By continuing you agree to our use of cookies.", true},
		{"The Exampleton Labour Party will place cookies on your computer to help us make this website better.", true},
		{"To find out more about these cookies, see our privacy notice. Use of this site confirms your acceptance of these cookies.", true},
		{"Email address", true},
		{"|", true},
		{"• • •", true},
		{"Loading...", true},
		// Statement text that must stay.
		{"We must share the burden of resettling refugees across Europe.", false},
		{"Families told me they had lived on bread and cookies for a week.", false},
		{"Some constituents left parcels of blankets and cookies at the town hall. The volunteers were grateful. The convoys left on Monday.", false},
		{"Aid agencies told me the website they use to coordinate convoys was down. Cookies and biscuits were all the children had. Nobody knew when the next convoy would come.", false},
		{"I have asked the Home Office to sign up to the UN resettlement scheme.", false},
		{"Home Office figures show 4,000 arrivals.", false},
		{"Please share your experiences with my office.", false},
		{"I will follow events closely and report back.", false},
		{"We need food / shelter / medicine now.", false},
		{"Aid: food, shelter and medicine.", false},
		{"Donations to the Disasters Emergency Committee reach people quickly.", false},
		{"The newsletter published by the UN every week lists the convoys that crossed the front lines, and I read it closely because it is the only independent record we have.", false},
		{"Syria", false},
		{"Next steps", false},
		{"Jane Doe", false},
		{"MP for Exampleton", false},
		{"Thank you for contacting me about Aleppo.", false},
		{"No.", false},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			if got := isBoilerplate(tc.line); got != tc.want {
				t.Errorf("isBoilerplate(%q) = %v, want %v", tc.line, got, tc.want)
			}
		})
	}
}

func FuzzExtract(f *testing.F) {
	for _, name := range []string{"aleppo-response.txt", "idlib-ceasefire.html"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "")
	}
	f.Add([]byte("Aid reached Idlib.\n\nJane Doe\nMP for Exampleton\n\nDo you like this post?"), "text/plain")
	f.Add([]byte("<p>Aid<br>reached <b>Idlib</b>.</p><ul><li>one</li></ul>"), "text/html")
	f.Add([]byte("Caf\xe9 \x93quoted\x94\r\nHome > News"), "text/plain; charset=windows-1252")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		ex, err := Extract(body, contentType, "https://janedoe.example/news/post")
		if err != nil {
			var de *docket.Error
			if !errors.As(err, &de) || de.Code != docket.EINVALID {
				t.Fatalf("Extract: got error %v, want a *docket.Error with code %s", err, docket.EINVALID)
			}
			return
		}
		if ex.Body == "" {
			t.Fatal("Extract: got an empty body and no error")
		}
		checkNoBoilerplate(t, ex.Body)
	})
}

func BenchmarkExtractHTML(b *testing.B) {
	page, err := os.ReadFile("testdata/idlib-ceasefire.html")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := Extract(page, "text/html", "https://janedoe.example/news/idlib"); err != nil {
			b.Fatal(err)
		}
	}
}
