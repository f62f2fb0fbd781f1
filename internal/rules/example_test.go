package rules_test

import (
	"errors"
	"fmt"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/rules"
)

func ExampleParse() {
	r, err := rules.Parse(`Aleppo OR Idlib OR (Syria AND (ceasefire OR evacuation OR "peace talks")) NOT "Aleppo pepper"`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r)
	fmt.Println(r.Terms())
	// Output:
	// (Aleppo OR Idlib OR (Syria AND (ceasefire OR evacuation OR "peace talks"))) AND NOT "Aleppo pepper"
	// [aleppo idlib syria ceasefire evacuation peace talks aleppo pepper]
}

func ExampleParseError() {
	_, err := rules.Parse("A OR (B AND C")
	fmt.Println(err)

	var pe *rules.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Pos, pe.Msg)
	}
	fmt.Println(docket.ErrorCode(err))
	// Output:
	// rule: position 14: missing closing parenthesis for "(" at position 6
	// 14 missing closing parenthesis for "(" at position 6
	// invalid
}

func ExampleMatcher_Match() {
	syria, _ := rules.Parse(`Aleppo OR Ḥalab OR (Syria AND (ceasefire OR "peace talks")) NOT "Aleppo pepper"`)
	food, _ := rules.Parse(`pepper* OR recipe`)
	m := rules.Compile([]rules.Topic{{ID: 2, Rule: food}, {ID: 1, Rule: syria}})

	for _, d := range []rules.Doc{
		{Title: "UN envoy welcomes Syria ceasefire", Summary: "Talks on Halab’s future resume"},
		{Title: "Aleppo pepper prices soar"},
	} {
		fmt.Printf("%q: %v\n", d.Title, m.Match(d))
	}
	// Output:
	// "UN envoy welcomes Syria ceasefire": [{1 [halab syria ceasefire]}]
	// "Aleppo pepper prices soar": [{2 [pepper*]}]
}
