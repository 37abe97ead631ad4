package search

// Stem returns the Porter2 (Snowball English) stem of a lower-case word:
// "partnerships" → "partnership", "housing" → "hous". It follows
// algorithms/english.sbl of the Snowball project (the 2025 revision, with
// the gener/commun/arsen/past/univers/later/emerg/organ prefixes and the
// -ogist rule); testdata/porter2.tsv holds the project's published
// vocabulary and expected stems. The JavaScript client implements the same
// steps in the same order (themes/default/assets/js/search.js), so a word
// typed in the browser meets the term the build indexed.
func Stem(word string) string {
	if s, ok := stemExceptions[word]; ok {
		return s
	}
	w := []rune(word)
	if len(w) < 3 {
		return word
	}
	s := &stemmer{w: w}
	s.prelude()
	s.markRegions()
	s.step1a()
	s.step1b()
	s.step1c()
	s.step2()
	s.step3()
	s.step4()
	s.step5()
	for i, r := range s.w {
		if r == 'Y' {
			s.w[i] = 'y'
		}
	}
	return string(s.w)
}

// stemExceptions are whole words the algorithm stems by list.
var stemExceptions = map[string]string{
	"skis": "ski", "skies": "sky",
	"idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli", "singly": "singl",
	"sky": "sky", "news": "news", "howe": "howe",
	"atlas": "atlas", "cosmos": "cosmos", "bias": "bias", "andes": "andes",
}

// stemPrefixes end R1 early for word families the general rule splits
// badly ("generous", "community").
var stemPrefixes = []string{"gener", "commun", "arsen", "past", "univers", "later", "emerg", "organ"}

type stemmer struct {
	w      []rune
	p1, p2 int
}

func isVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

func (s *stemmer) hasSuffix(suf string) bool {
	n := len(suf) // suffixes are ASCII
	if n > len(s.w) {
		return false
	}
	off := len(s.w) - n
	for i := 0; i < n; i++ {
		if s.w[off+i] != rune(suf[i]) {
			return false
		}
	}
	return true
}

// longest returns the longest of sufs that ends the word, or "".
func (s *stemmer) longest(sufs ...string) string {
	best := ""
	for _, suf := range sufs {
		if len(suf) > len(best) && s.hasSuffix(suf) {
			best = suf
		}
	}
	return best
}

func (s *stemmer) replace(suf, with string) {
	s.w = append(s.w[:len(s.w)-len(suf)], []rune(with)...)
}

// hasVowel reports whether w[:end] holds a vowel.
func (s *stemmer) hasVowel(end int) bool {
	for i := 0; i < end; i++ {
		if isVowel(s.w[i]) {
			return true
		}
	}
	return false
}

func (s *stemmer) prelude() {
	if s.w[0] == '\'' {
		s.w = s.w[1:]
	}
	if len(s.w) > 0 && s.w[0] == 'y' {
		s.w[0] = 'Y'
	}
	for i := 1; i < len(s.w); i++ {
		if s.w[i] == 'y' && isVowel(s.w[i-1]) {
			s.w[i] = 'Y'
		}
	}
}

// afterVowelConsonant returns the position after the first non-vowel that
// follows a vowel at or after from, or len(w).
func (s *stemmer) afterVowelConsonant(from int) int {
	i := from
	for i < len(s.w) && !isVowel(s.w[i]) {
		i++
	}
	for i < len(s.w) && isVowel(s.w[i]) {
		i++
	}
	if i >= len(s.w) {
		return len(s.w)
	}
	return i + 1
}

func (s *stemmer) markRegions() {
	s.p1 = -1
	for _, p := range stemPrefixes {
		if len(s.w) >= len(p) && string(s.w[:len(p)]) == p {
			s.p1 = len(p)
			break
		}
	}
	if s.p1 < 0 {
		s.p1 = s.afterVowelConsonant(0)
	}
	s.p2 = s.afterVowelConsonant(s.p1)
}

// shortAt reports whether w[:end] ends in a short syllable: a vowel
// between non-vowels, the second of which is not w, x or Y; or a vowel
// and a non-vowel at the start of the word; or "past".
func (s *stemmer) shortAt(end int) bool {
	w := s.w
	if end >= 3 && !isVowel(w[end-1]) && isVowel(w[end-2]) && !isVowel(w[end-3]) {
		if c := w[end-1]; c != 'w' && c != 'x' && c != 'Y' {
			return true
		}
	}
	if end == 2 && !isVowel(w[1]) && isVowel(w[0]) {
		return true
	}
	return end >= 4 && string(w[end-4:end]) == "past"
}

func (s *stemmer) step1a() {
	if suf := s.longest("'", "'s", "'s'"); suf != "" {
		s.replace(suf, "")
	}
	switch suf := s.longest("sses", "ied", "ies", "s", "us", "ss"); suf {
	case "sses":
		s.replace(suf, "ss")
	case "ied", "ies":
		if len(s.w)-len(suf) >= 2 {
			s.replace(suf, "i")
		} else {
			s.replace(suf, "ie")
		}
	case "s":
		// Delete if a vowel comes before the letter before the s.
		if len(s.w) >= 2 && s.hasVowel(len(s.w)-2) {
			s.replace(suf, "")
		}
	}
}

func (s *stemmer) step1b() {
	suf := s.longest("eed", "eedly", "ed", "edly", "ing", "ingly")
	start := len(s.w) - len(suf)
	switch suf {
	case "":
		return
	case "eed", "eedly":
		before := string(s.w[:start])
		if before == "proc" || before == "exc" || before == "succ" {
			return
		}
		if start >= s.p1 {
			s.replace(suf, "ee")
		}
		return
	case "ing":
		before := s.w[:start]
		if n := len(before); n == 2 && before[1] == 'y' && !isVowel(before[0]) {
			// dying → die, lying → lie, tying → tie, vying → vie
			s.w = append(s.w[:1], 'i', 'e')
			return
		}
		switch string(before) {
		case "inn", "out", "cann", "herr", "earr", "even":
			return
		}
	}
	// ed, edly, ing, ingly: delete if the rest has a vowel, then tidy.
	if !s.hasVowel(start) {
		return
	}
	s.w = s.w[:start]
	switch {
	case s.hasSuffix("at") || s.hasSuffix("bl") || s.hasSuffix("iz"):
		s.w = append(s.w, 'e')
	case s.endsDouble():
		n := len(s.w)
		if n == 3 && (s.w[0] == 'a' || s.w[0] == 'e' || s.w[0] == 'o') {
			return // "added" → "add", not "ad"
		}
		s.w = s.w[:n-1]
	case len(s.w) == s.p1 && s.shortAt(len(s.w)):
		s.w = append(s.w, 'e')
	}
}

func (s *stemmer) endsDouble() bool {
	n := len(s.w)
	if n < 2 || s.w[n-1] != s.w[n-2] {
		return false
	}
	switch s.w[n-1] {
	case 'b', 'd', 'f', 'g', 'm', 'n', 'p', 'r', 't':
		return true
	}
	return false
}

func (s *stemmer) step1c() {
	n := len(s.w)
	if n < 3 || s.w[n-1] != 'y' && s.w[n-1] != 'Y' || isVowel(s.w[n-2]) {
		return
	}
	s.w[n-1] = 'i'
}

var step2Rules = map[string]string{
	"tional": "tion", "enci": "ence", "anci": "ance", "abli": "able", "entli": "ent",
	"izer": "ize", "ization": "ize",
	"ational": "ate", "ation": "ate", "ator": "ate",
	"alism": "al", "aliti": "al", "alli": "al",
	"fulness": "ful", "ousli": "ous", "ousness": "ous",
	"iveness": "ive", "iviti": "ive", "biliti": "ble", "bli": "ble",
	"ogist": "og", "ogi": "og", "fulli": "ful", "lessli": "less", "li": "",
}

var step2Suffixes = keys(step2Rules)

func (s *stemmer) step2() {
	suf := s.longest(step2Suffixes...)
	start := len(s.w) - len(suf)
	if suf == "" || start < s.p1 {
		return
	}
	switch suf {
	case "ogi":
		if start == 0 || s.w[start-1] != 'l' {
			return
		}
	case "li":
		if start == 0 {
			return
		}
		switch s.w[start-1] {
		case 'c', 'd', 'e', 'g', 'h', 'k', 'm', 'n', 'r', 't':
		default:
			return
		}
	}
	s.replace(suf, step2Rules[suf])
}

var step3Rules = map[string]string{
	"tional": "tion", "ational": "ate", "alize": "al",
	"icate": "ic", "iciti": "ic", "ical": "ic",
	"ful": "", "ness": "", "ative": "",
}

var step3Suffixes = keys(step3Rules)

func (s *stemmer) step3() {
	suf := s.longest(step3Suffixes...)
	start := len(s.w) - len(suf)
	if suf == "" || start < s.p1 || suf == "ative" && start < s.p2 {
		return
	}
	s.replace(suf, step3Rules[suf])
}

var step4Suffixes = []string{
	"al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement",
	"ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion",
}

func (s *stemmer) step4() {
	suf := s.longest(step4Suffixes...)
	start := len(s.w) - len(suf)
	if suf == "" || start < s.p2 {
		return
	}
	if suf == "ion" && (start == 0 || s.w[start-1] != 's' && s.w[start-1] != 't') {
		return
	}
	s.replace(suf, "")
}

func (s *stemmer) step5() {
	n := len(s.w)
	switch {
	case s.hasSuffix("e"):
		if n-1 >= s.p2 || n-1 >= s.p1 && !s.shortAt(n-1) {
			s.w = s.w[:n-1]
		}
	case s.hasSuffix("l"):
		if n-1 >= s.p2 && n >= 2 && s.w[n-2] == 'l' {
			s.w = s.w[:n-1]
		}
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
