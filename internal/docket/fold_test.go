package docket

import (
	"strings"
	"testing"
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
	}
	for _, c := range cases {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Aleppo", "Ḥalab", "a\xffb", "ﬁ", "İstanbul"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
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
