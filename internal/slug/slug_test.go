package slug

import (
	"testing"
	"unicode/utf8"
)

func TestMake(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Shared goals", "shared-goals"},
		{"What's new?", "whats-new"},
		{"What’s new", "whats-new"},
		{"  Café — société  ", "cafe-societe"},
		{"Straße", "strasse"},
		{"STRAẞE", "strasse"},
		{"Core20PLUS5", "core20plus5"},
		{"1. Getting started", "1-getting-started"},
		{"R12: fund for three years", "r12-fund-for-three-years"},
		{"Ελληνικά", "ελληνικά"},
		{"---", ""},
		{"", ""},
		{"a/b\\c", "a-b-c"},
	}
	for _, tt := range tests {
		if got := Make(tt.in); got != tt.want {
			t.Errorf("Make(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Éclair", "eclair"},
		{"ÆON", "aeon"},
		{"naïve", "naive"},
		{"ABC", "abc"},
		// Letters whose lower case folds on: capital sharp s, the
		// Ångström and Kelvin signs.
		{"STRAẞE", "strasse"},
		{"\u212Bngstr\u00F6m", "angstrom"},
		{"\u212Aelvin", "kelvin"},
	}
	for _, tt := range tests {
		var b []byte
		for _, r := range tt.in {
			b = Fold(b, r)
		}
		if string(b) != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, b, tt.want)
		}
	}
}

func TestValid(t *testing.T) {
	for _, s := range []string{"a", "shared-goals", "f03-x", "café"} {
		if Valid(s) != (Make(s) == s) {
			t.Errorf("Valid(%q) disagrees with Make", s)
		}
	}
	for _, s := range []string{"", "-a", "a-", "a--b", "A", "a b"} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true", s)
		}
	}
}

func FuzzMake(f *testing.F) {
	for _, s := range []string{"Shared goals", "Café", "a--b", "\x00", "R12", "ẞ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Make(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Make(%q) = %q is not UTF-8", s, got)
		}
		if got != "" && !Valid(got) {
			t.Fatalf("Make(%q) = %q is not a valid slug", s, got)
		}
		if Make(got) != got {
			t.Fatalf("Make is not idempotent on %q", s)
		}
	})
}
