package statements

import (
	"slices"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want []DiffOp
	}{
		{"both empty", "", "", nil},
		{"same", "Aid has arrived.", "Aid has arrived.", []DiffOp{{DiffEqual, "Aid has arrived."}}},
		{"all new", "", "Aid has arrived.", []DiffOp{{DiffInsert, "Aid has arrived."}}},
		{"all gone", "Aid has arrived.", "", []DiffOp{{DiffDelete, "Aid has arrived."}}},
		{
			"one word changed",
			"The ceasefire has held since 30 December.",
			"The ceasefire has held since 31 December.",
			[]DiffOp{{DiffEqual, "The ceasefire has held since "}, {DiffDelete, "30"}, {DiffInsert, "31"}, {DiffEqual, " December."}},
		},
		{
			"whole words, never letters",
			"The cat sat.",
			"The cot sat.",
			[]DiffOp{{DiffEqual, "The "}, {DiffDelete, "cat"}, {DiffInsert, "cot"}, {DiffEqual, " sat."}},
		},
		{
			"word inserted",
			"Aid has arrived in Idlib.",
			"Aid has finally arrived in Idlib.",
			[]DiffOp{{DiffEqual, "Aid has "}, {DiffInsert, "finally "}, {DiffEqual, "arrived in Idlib."}},
		},
		{
			"neighbouring changes merge across a space",
			"The old convoy waited at the border.",
			"A new convoy waited at the border.",
			[]DiffOp{{DiffDelete, "The old"}, {DiffInsert, "A new"}, {DiffEqual, " convoy waited at the border."}},
		},
		{
			"punctuation",
			"Aid has arrived.",
			"Aid has arrived!",
			[]DiffOp{{DiffEqual, "Aid has arrived"}, {DiffDelete, "."}, {DiffInsert, "!"}},
		},
		{
			"apostrophe inside a word",
			"The UN's call.",
			"The UK's call.",
			[]DiffOp{{DiffEqual, "The "}, {DiffDelete, "UN's"}, {DiffInsert, "UK's"}, {DiffEqual, " call."}},
		},
		{
			"paragraph added",
			"Aid has arrived.\n\nThe ceasefire holds.",
			"Aid has arrived.\n\nMore is needed.\n\nThe ceasefire holds.",
			[]DiffOp{{DiffEqual, "Aid has arrived.\n\n"}, {DiffInsert, "More is needed.\n\n"}, {DiffEqual, "The ceasefire holds."}},
		},
		{
			"paragraph split",
			"Aid has arrived. The ceasefire holds.",
			"Aid has arrived.\n\nThe ceasefire holds.",
			[]DiffOp{{DiffEqual, "Aid has arrived."}, {DiffDelete, " "}, {DiffInsert, "\n\n"}, {DiffEqual, "The ceasefire holds."}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Diff(tc.a, tc.b)
			if !slices.Equal(got, tc.want) {
				t.Errorf("Diff(%q, %q)\ngot  %q\nwant %q", tc.a, tc.b, got, tc.want)
			}
			checkDiff(t, tc.a, tc.b, got)
		})
	}
}

func TestDiffTokens(t *testing.T) {
	in := "The UN's  call:\n\n3.5m — “now”\xff"
	want := []string{"The", " ", "UN's", "  ", "call", ":", "\n\n", "3", ".", "5m", " ", "—", " ", "“", "now", "”", "\xff"}
	if got := diffTokens(in); !slices.Equal(got, want) {
		t.Errorf("diffTokens(%q)\ngot  %q\nwant %q", in, got, want)
	}
}

// checkDiff checks what Diff promises: the runs rebuild both texts, none is empty, and no
// two neighbours have the same kind.
func checkDiff(t *testing.T, a, b string, ops []DiffOp) {
	t.Helper()
	var oldText, newText strings.Builder
	for i, op := range ops {
		if op.Text == "" {
			t.Errorf("op %d: got empty %s run", i, op.Kind)
		}
		if i > 0 && ops[i-1].Kind == op.Kind {
			t.Errorf("ops %d and %d: got two %s runs in a row", i-1, i, op.Kind)
		}
		switch op.Kind {
		case DiffEqual:
			oldText.WriteString(op.Text)
			newText.WriteString(op.Text)
		case DiffDelete:
			oldText.WriteString(op.Text)
		case DiffInsert:
			newText.WriteString(op.Text)
		default:
			t.Errorf("op %d: got kind %q", i, op.Kind)
		}
	}
	if oldText.String() != a {
		t.Errorf("equal and delete runs give %q, want %q", oldText.String(), a)
	}
	if newText.String() != b {
		t.Errorf("equal and insert runs give %q, want %q", newText.String(), b)
	}
}

func FuzzDiff(f *testing.F) {
	f.Add("The ceasefire has held since 30 December.", "The ceasefire held until 31 December!")
	f.Add("Aid has arrived.\n\nThe ceasefire holds.", "Aid has arrived.\n\nMore is needed.\n\nThe ceasefire holds.")
	f.Add("", "a")
	f.Add("x\xffy", "x y")
	f.Fuzz(func(t *testing.T, a, b string) {
		checkDiff(t, a, b, Diff(a, b))
	})
}

func BenchmarkDiff(b *testing.B) {
	old := statement500(b)
	revised := strings.NewReplacer("ceasefire", "truce", "Aleppo", "eastern Aleppo", "I will", "I shall").Replace(old)
	b.SetBytes(int64(len(old)))
	for b.Loop() {
		Diff(old, revised)
	}
}
