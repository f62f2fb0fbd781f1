package store

import (
	"testing"
	"time"
)

// TestParseSQLiteTime checks the digit-by-digit reading of stored times against time.Parse
// with the driver's layouts, which it stands in for.
func TestParseSQLiteTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2016-12-01 13:04:05+00:00", time.Date(2016, 12, 1, 13, 4, 5, 0, time.UTC)},
		{"2016-12-01 13:04:05.5+00:00", time.Date(2016, 12, 1, 13, 4, 5, 5e8, time.UTC)},
		{"2016-12-01 13:04:05.123456+00:00", time.Date(2016, 12, 1, 13, 4, 5, 123456000, time.UTC)},
		{"2016-12-01 13:04:05.123456789+00:00", time.Date(2016, 12, 1, 13, 4, 5, 123456789, time.UTC)},
		{"2016-12-01 13:04:05+01:00", time.Date(2016, 12, 1, 12, 4, 5, 0, time.UTC)},
		{"2016-12-01 13:04:05", time.Date(2016, 12, 1, 13, 4, 5, 0, time.UTC)},
		{"2016-12-01T13:04:05Z", time.Date(2016, 12, 1, 13, 4, 5, 0, time.UTC)},
		{"2016-12-01 13:04", time.Date(2016, 12, 1, 13, 4, 0, 0, time.UTC)},
		{"2016-12-01", time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC)},
		{"2016-02-29 00:00:00+00:00", time.Date(2016, 2, 29, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := parseSQLiteTime(tt.in)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("parseSQLiteTime(%q) = %v, %v; want %v in UTC", tt.in, got, err, tt.want)
		}
	}
	// What the driver writes for docket.StoreTime's times is read by the fast path.
	for _, at := range []time.Time{tests[0].want, tests[1].want, tests[2].want, tests[3].want, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)} {
		s := at.Format("2006-01-02 15:04:05.999999999-07:00")
		if got, ok := parseUTCText(s); !ok || !got.Equal(at) {
			t.Errorf("parseUTCText(%q) = %v, %v; want %v, true", s, got, ok, at)
		}
	}
	for _, bad := range []string{"", "2017-02-29 00:00:00+00:00", "2016-04-31 00:00:00+00:00", "2016-13-01 00:00:00+00:00",
		"2016-12-01 24:00:00+00:00", "2016-12-01 13:04:05.+00:00", "2016-12-01 13:04:0x+00:00", "yesterday"} {
		if got, err := parseSQLiteTime(bad); err == nil {
			t.Errorf("parseSQLiteTime(%q) = %v, want an error", bad, got)
		}
	}
}

// FuzzParseUTCText checks that whatever the fast path reads, time.Parse reads the same.
func FuzzParseUTCText(f *testing.F) {
	f.Add("2016-12-01 13:04:05.123+00:00")
	f.Add("2016-02-30 13:04:05+00:00")
	f.Add("0000-01-01 00:00:00.000000000+00:00")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseUTCText(s)
		want, err := time.Parse("2006-01-02 15:04:05.999999999-07:00", s)
		if ok && (err != nil || !got.Equal(want)) {
			t.Errorf("parseUTCText(%q) = %v, time.Parse gives %v, %v", s, got, want, err)
		}
		if _, off := want.Zone(); !ok && err == nil && off == 0 && s == want.Format("2006-01-02 15:04:05.999999999-07:00") {
			t.Errorf("parseUTCText(%q) refused what time.Parse reads and formats back the same", s)
		}
	})
}
