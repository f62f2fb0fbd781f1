package cli

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseSizes(t *testing.T) {
	tests := []struct {
		in   string
		want []int
		ok   bool
	}{
		{"10k,100k,1M", []int{10000, 100000, 1000000}, true},
		{" 5k , 2m", []int{5000, 2000000}, true},
		{"300", []int{300}, true},
		{"100M", []int{100000000}, true},
		{"", nil, false},
		{"0", nil, false},
		{"101M", nil, false},
		{"1.5M", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseSizes(tt.in)
			if (err == nil) != tt.ok || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, %v; want %v, ok %v", got, err, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParseSizes(f *testing.F) {
	for _, s := range []string{"10k,100k,1M", "1", " 5k , 2m", "", "k", "-1", "100M", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sizes, err := parseSizes(s)
		if err != nil {
			return
		}
		if len(sizes) != strings.Count(s, ",")+1 {
			t.Errorf("%q gave %d sizes", s, len(sizes))
		}
		for _, n := range sizes {
			if n < 1 || n > 100000000 {
				t.Errorf("%q gave %d, out of 1 to 100M", s, n)
			}
		}
	})
}
