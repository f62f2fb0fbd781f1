package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestStatementImportUntitled imports a text in the shape of a scraped reply to constituents
// with no heading: the title is made up from its first sentence and the output says so; the
// signature finds the stored member however her name is written; --dry-run stores nothing.
func TestStatementImportUntitled(t *testing.T) {
	db := filepath.Join(t.TempDir(), "docket.db")
	const fixture = "testdata/mp-response-untitled.txt"
	mustRun(t, nil, "topic", "add", "--db", db, "--title", "Syria", "--rule", "Syria OR Idlib")
	mustRun(t, nil, "member", "add", "--db", db, "--name", "Ms Hannah Wren")

	r := mustRun(t, nil, "statement", "import", "--db", db, "--topic", "syria", "--dry-run", fixture)
	for _, want := range []string{
		`would import: "Many constituents have written to me about the shelling of Idlib and the…" (draft, 6 sentences) by Ms Hannah Wren, MP for Eastbridge and Marlow Vale`,
		"the text has no title, so this one was made up from its first sentence: check it, or give --title",
		"would fill in member 1 from the signature",
		"would remove 5 lines", "  - Hannah Wren\n", "  - MP for Eastbridge and Marlow Vale\n", "  - Do you like this post?\n",
		"\ntext:\nMany constituents have written to me",
		"nothing was stored (--dry-run)",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run: stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if _, text, _ := strings.Cut(r.stdout, "\ntext:"); strings.Contains(text, "cookies") || strings.Contains(text, "Do you like") {
		t.Errorf("the text to be stored keeps boilerplate:\n%s", text)
	}
	if got := mustRun(t, nil, "statement", "list", "--db", db).stdout; !strings.Contains(got, "no statements") {
		t.Fatalf("the dry run stored a statement:\n%s", got)
	}
	if got := mustRun(t, nil, "member", "list", "--db", db).stdout; strings.Contains(got, "Eastbridge") {
		t.Errorf("the dry run changed the member:\n%s", got)
	}

	r = mustRun(t, nil, "statement", "import", "--db", db, "--topic", "syria", fixture)
	for _, want := range []string{
		`imported statement 1: "Many constituents have written to me about the shelling of Idlib and the…" (draft, 6 sentences) by Ms Hannah Wren, MP for Eastbridge and Marlow Vale`,
		"made up from its first sentence",
		"filled in member 1 from the signature",
		"removed 5 lines",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("import: stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	members := mustRun(t, nil, "member", "list", "--db", db).stdout
	if strings.Count(members, "Wren") != 1 {
		t.Errorf("members after the import, want Hannah Wren once:\n%s", members)
	}

	r = mustRun(t, nil, "statement", "import", "--db", db, "--title", "Idlib: my reply", fixture)
	if !strings.Contains(r.stdout, `"Idlib: my reply"`) || strings.Contains(r.stdout, "made up") {
		t.Errorf("with --title: stdout %q, want that title and no word of a made-up one", r.stdout)
	}
}
