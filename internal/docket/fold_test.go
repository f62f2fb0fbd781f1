package docket

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Aleppo's  CEASE-FIRE, Ḥalab!", "aleppo s cease fire halab"},
		{"Zoë Straße", "zoe strasse"},
		{"  ", ""},
		{"U.N.", "u n"},
		{"Œuvre d’art", "oeuvre d art"},
		{"Łódź", "lodz"},
		{"حلب 2016", "حلب 2016"},
		{"bad\xffbyte", "bad byte"},
		{"Alep\u00adpo ceasefire\u200d", "aleppo ceasefire"},
		{"\u00ad \ufeffIdlib", "idlib"},
	}
	for _, c := range cases {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// foldWhole is Fold as it was first written, decomposing the whole text at once: Fold must
// give exactly what it gives, or stored items would no longer match their own index.
func foldWhole(s string) string {
	s = FoldAccents(strings.ToValidUTF8(s, " "))
	var b strings.Builder
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
			continue
		}
		if invisible(r) {
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Aleppo", "Ḥalab", "a\xffb", "ﬁ", "İstanbul", "e\u0301te", "Ａｌｅｐｐｏ ①", "Z\u0308oe\u0300\u0327", "\xe2\x80", "Alep\u00adpo", "a\u200d\u00ad b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if want := foldWhole(s); got != want {
			t.Fatalf("Fold(%q) = %q, want %q (the whole text decomposed at once)", s, got, want)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q is not valid UTF-8", s, got)
		}
		if strings.Contains(got, "  ") || strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") {
			t.Fatalf("Fold(%q) = %q has stray spaces", s, got)
		}
		if again := Fold(got); again != got {
			t.Fatalf("Fold is not idempotent on %q: %q then %q", s, got, again)
		}
	})
}

func TestSlugify(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Aleppo evacuation", "aleppo-evacuation"},
		{"  Syria: the peace talks (2017)  ", "syria-the-peace-talks-2017"},
		{"Ḥalab", "halab"},
		{"---", ""},
	}
	for _, c := range cases {
		if got := Slugify(c.in); got != c.want {
			t.Errorf("Slugify(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	cases := []struct {
		text, title string
		n           int
		want        string
	}{
		{"Title\n\nBody text here.", "Title", 100, "Body text here."},
		{"one two three four five", "", 12, "one two…"},
		{"short", "", 10, "short"},
		{"Ḥalab Ḥalab Ḥalab", "", 7, "Ḥalab…"},
		// A title that is the start of the text's first word is not the text's title.
		{"UNICEF says the convoy arrived.", "UN", 100, "UNICEF says the convoy arrived."},
		{"Syrian army retakes eastern Aleppo after talks", "Syrian army retakes eastern Alep", 100, "Syrian army retakes eastern Aleppo after talks"},
	}
	for _, c := range cases {
		if got := Excerpt(c.text, c.title, c.n); got != c.want {
			t.Errorf("Excerpt(%q, %q, %d) = %q, want %q", c.text, c.title, c.n, got, c.want)
		}
	}
}

func TestTopicValidate(t *testing.T) {
	ok := Topic{Slug: "aleppo-evacuation", Title: "Aleppo", Visibility: Public}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid topic refused: %v", err)
	}
	bad := Topic{Slug: "Aleppo Evacuation", Title: " ", Visibility: "secret"}
	err := bad.Validate()
	es, isErrs := err.(Errors)
	if !isErrs || len(es) != 3 {
		t.Fatalf("got %v, want three field errors", err)
	}
	for i, field := range []string{"slug", "title", "visibility"} {
		if es[i].Field != field {
			t.Errorf("error %d is about %q, want %q", i, es[i].Field, field)
		}
	}
}

// BenchmarkFold folds a news item's text as ingest, matching and evidence ranking fold every
// item: plain ASCII, and with the curly quotes, dashes and accented names some feeds have.
func BenchmarkFold(b *testing.B) {
	for _, c := range []struct{ name, text string }{
		{"ascii", "The UN said on Tuesday that 35,000 people had fled Aleppo's eastern districts - " +
			"the largest movement since 2016 - and that aid convoys to Idlib were held up at the border. "},
		{"mixed", "The UN said on Tuesday that 35,000 people had fled Aleppo’s eastern districts — " +
			"the largest movement since 2016 — and that aid convoys to Ḥalab and İdlib were held up at the border. "},
	} {
		text := strings.Repeat(c.text, 8)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Fold(text)
			}
		})
	}
}
