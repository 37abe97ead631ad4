package diag

import (
	"bytes"
	"fmt"
	"sort"
	"sync"
	"unicode/utf8"
)

// File maps byte offsets in one source file to lines and columns, and makes
// diagnostics that carry the offending source line.
type File struct {
	Path string
	Src  []byte
	// lines is the byte offset of the start of each line, found when
	// first asked for: most files never have a diagnostic.
	lines     []int
	linesOnce sync.Once
}

// NewFile returns the file src, whose diagnostics will name path.
func NewFile(path string, src []byte) *File {
	return &File{Path: path, Src: src}
}

// index returns the offsets of the lines' starts.
func (f *File) index() []int {
	f.linesOnce.Do(func() {
		lines := make([]int, 1, bytes.Count(f.Src, []byte{'\n'})+1)
		for i := 0; ; {
			j := bytes.IndexByte(f.Src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			lines = append(lines, i)
		}
		f.lines = lines
	})
	return f.lines
}

// Position returns the 1-based line and character column of a byte offset.
func (f *File) Position(offset int) (line, col int) {
	offset = max(0, min(offset, len(f.Src)))
	lines := f.index()
	i := sort.Search(len(lines), func(i int) bool { return lines[i] > offset }) - 1
	return i + 1, utf8.RuneCount(f.Src[lines[i]:offset]) + 1
}

// Offset returns the byte offset of a 1-based line and column, clamped to
// the file.
func (f *File) Offset(line, col int) int {
	if line < 1 {
		return 0
	}
	lines := f.index()
	if line > len(lines) {
		return len(f.Src)
	}
	off := lines[line-1]
	for c := 1; c < col && off < len(f.Src) && f.Src[off] != '\n'; c++ {
		_, n := utf8.DecodeRune(f.Src[off:])
		off += n
	}
	return off
}

// Line returns the text of a 1-based line without its line ending.
func (f *File) Line(line int) string {
	lines := f.index()
	if line < 1 || line > len(lines) {
		return ""
	}
	start := lines[line-1]
	end := len(f.Src)
	if line < len(lines) {
		end = lines[line] - 1
	}
	if end > start && f.Src[end-1] == '\r' {
		end--
	}
	return string(f.Src[start:end])
}

// Lines returns the number of lines in the file.
func (f *File) Lines() int { return len(f.index()) }

// At makes a diagnostic at a line and column of f.
func (f *File) At(sev Severity, line, col int, format string, args ...any) Diagnostic {
	return Diagnostic{
		Path: f.Path, Line: line, Col: col, Severity: sev,
		Message: fmt.Sprintf(format, args...),
		Source:  f.Line(line),
	}
}

// AtOffset makes a diagnostic at a byte offset of f.
func (f *File) AtOffset(sev Severity, offset int, format string, args ...any) Diagnostic {
	line, col := f.Position(offset)
	return f.At(sev, line, col, format, args...)
}
