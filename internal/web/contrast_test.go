package web_test

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cssRule is one rule of the stylesheet whose selector is a compound of classes only.
type cssRule struct {
	classes []string
	dark    bool // inside @media (prefers-color-scheme: dark)
	order   int
	decls   map[string]string
}

// parseCSS reads the custom properties of :root, for light and dark mode, and the rules made
// of classes only (".tag.kind-un"), at the top level or in the dark-mode media query. Other
// media queries (print, widths) are left out: they do not decide a tag's colours on screen.
func parseCSS(t *testing.T, css string) (light, dark map[string]string, rules []cssRule) {
	t.Helper()
	css = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(css, "")
	light, dark = map[string]string{}, map[string]string{}
	classOnly := regexp.MustCompile(`^(\.[a-zA-Z0-9_-]+)+$`)
	order := 0
	var walk func(s string, media string)
	walk = func(s string, media string) {
		for {
			s = strings.TrimSpace(s)
			open := strings.IndexByte(s, '{')
			if open < 0 {
				return
			}
			head := strings.TrimSpace(s[:open])
			// Find the matching close brace.
			depth, end := 0, -1
			for i := open; i < len(s); i++ {
				if s[i] == '{' {
					depth++
				} else if s[i] == '}' {
					depth--
					if depth == 0 {
						end = i
						break
					}
				}
			}
			if end < 0 {
				t.Fatalf("unbalanced braces after %q", head)
			}
			body := s[open+1 : end]
			s = s[end+1:]
			if strings.HasPrefix(head, "@media") {
				if strings.Contains(head, "prefers-color-scheme: dark") && media == "" {
					walk(body, "dark")
				}
				continue
			}
			if media != "" && media != "dark" {
				continue
			}
			decls := map[string]string{}
			for _, d := range strings.Split(body, ";") {
				k, v, ok := strings.Cut(d, ":")
				if ok {
					decls[strings.TrimSpace(k)] = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important"))
				}
			}
			for _, sel := range strings.Split(head, ",") {
				sel = strings.TrimSpace(sel)
				if sel == ":root" {
					dst := light
					if media == "dark" {
						dst = dark
					}
					for k, v := range decls {
						if strings.HasPrefix(k, "--") {
							dst[k] = v
						}
					}
					continue
				}
				if !classOnly.MatchString(sel) {
					continue
				}
				order++
				rules = append(rules, cssRule{classes: strings.Split(sel[1:], "."), dark: media == "dark", order: order, decls: decls})
			}
		}
	}
	walk(css, "")
	for k, v := range light {
		if _, ok := dark[k]; !ok {
			dark[k] = v
		}
	}
	return light, dark, rules
}

// computed is the value of a property for an element with these classes, by the cascade:
// the matching rule with the most classes wins, and of those the last.
func computed(rules []cssRule, dark bool, classes []string, props ...string) string {
	has := map[string]bool{}
	for _, c := range classes {
		has[c] = true
	}
	best, bestSpec, bestOrder := "", -1, -1
	for _, r := range rules {
		if r.dark && !dark {
			continue
		}
		match := true
		for _, c := range r.classes {
			match = match && has[c]
		}
		if !match {
			continue
		}
		for _, p := range props {
			if v, ok := r.decls[p]; ok && (len(r.classes) > bestSpec || (len(r.classes) == bestSpec && r.order > bestOrder)) {
				best, bestSpec, bestOrder = v, len(r.classes), r.order
			}
		}
	}
	return best
}

// resolve turns var(--x) into the colour it names, in #rrggbb.
func resolve(t *testing.T, vars map[string]string, v string) string {
	t.Helper()
	for i := 0; strings.HasPrefix(v, "var("); i++ {
		if i > 5 {
			t.Fatalf("var() loop at %q", v)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(v, "var("), ")")
		name, _, _ = strings.Cut(name, ",")
		v = vars[strings.TrimSpace(name)]
	}
	if strings.HasPrefix(v, "#") && len(v) == 4 {
		v = "#" + strings.Repeat(v[1:2], 2) + strings.Repeat(v[2:3], 2) + strings.Repeat(v[3:4], 2)
	}
	if !regexp.MustCompile(`^#[0-9a-fA-F]{6}$`).MatchString(v) {
		t.Fatalf("colour %q is not one this test reads (#rgb, #rrggbb or var())", v)
	}
	return strings.ToLower(v)
}

// luminance is WCAG 2's relative luminance of #rrggbb.
func luminance(hex string) float64 {
	ch := func(i int) float64 {
		n, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(n) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(0) + 0.7152*ch(1) + 0.0722*ch(2)
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func TestContrastFormula(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{{"#ffffff", "#000000", 21}, {"#ffffff", "#28a197", 3.17}, {"#ffffff", "#d53880", 4.46}, {"#777777", "#777777", 1}} {
		if got := contrast(c.a, c.b); math.Abs(got-c.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.2f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}

// TestTagContrast computes, from the stylesheet itself, the text and background of every tag
// the pages use, in light and dark mode, and wants WCAG's 4.5:1 for their small bold text.
func TestTagContrast(t *testing.T) {
	css, err := os.ReadFile("static/docket.css")
	if err != nil {
		t.Fatal(err)
	}
	light, dark, rules := parseCSS(t, string(css))
	tags := [][]string{{"tag"}, {"tag", "tag-ok"}, {"tag", "tag-bad"}, {"tag", "tag-pin"}, {"tag", "tag-muted"}}
	for _, k := range []string{"news", "un", "parliament", "mp", "ngo", "other"} {
		tags = append(tags, []string{"tag", "kind-" + k})
	}
	for _, s := range []string{"suggested", "confirmed", "rejected"} {
		tags = append(tags, []string{"tag", "tag-state-" + s})
	}
	for _, mode := range []struct {
		name string
		dark bool
		vars map[string]string
	}{{"light", false, light}, {"dark", true, dark}} {
		for _, classes := range tags {
			name := fmt.Sprintf("%s/.%s", mode.name, strings.Join(classes, "."))
			t.Run(name, func(t *testing.T) {
				fg := computed(rules, mode.dark, classes, "color")
				bg := computed(rules, mode.dark, classes, "background", "background-color")
				if fg == "" || bg == "" {
					t.Fatalf("no colour (%q) or background (%q)", fg, bg)
				}
				f, b := resolve(t, mode.vars, fg), resolve(t, mode.vars, bg)
				if c := contrast(f, b); c < 4.5 {
					t.Errorf("text %s (%s) on %s (%s): %.2f:1, want at least 4.5:1", f, fg, b, bg, c)
				}
			})
		}
	}
}
