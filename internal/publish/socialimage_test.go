package publish

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"hjp/internal/testsite"
)

var update = flag.Bool("update", false, "rewrite generated files (the social image)")

// socialImagePath is the default image shown when a page is shared.
var socialImagePath = filepath.Join("themes", "default", "assets", "img", "social.png")

// drawSocialImage draws the sharing card (1200×630, the size Open Graph
// and Twitter cards expect): the site's cross mark, title and subtitle on
// its blue, with the focus yellow along the bottom. Go's own fonts make
// it the same on every machine.
func drawSocialImage(t *testing.T) *image.RGBA {
	const w, h, margin = 1200, 630, 80
	blue := color.RGBA{0x1d, 0x70, 0xb8, 0xff}
	yellow := color.RGBA{0xff, 0xdd, 0x00, 0xff}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(blue), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, h-24, w, h), image.NewUniform(yellow), image.Point{}, draw.Src)
	// The cross of the favicon, 5 units to a 32-unit square.
	unit := 5
	x0, y0 := margin, margin
	fill := func(x, y, cw, ch int) {
		draw.Draw(img, image.Rect(x0+x*unit, y0+y*unit, x0+(x+cw)*unit, y0+(y+ch)*unit), image.White, image.Point{}, draw.Src)
	}
	fill(8, 0, 6, 22)
	fill(0, 8, 22, 6)

	bold, regular := face(t, gobold.TTF, 88), face(t, goregular.TTF, 42)
	y := 330
	for _, line := range wrap(bold, "Health Justice Partnerships", w-2*margin) {
		text(img, bold, line, margin, y)
		y += 100
	}
	y += 10
	for _, line := range wrap(regular, "An implementation guide and funding models report", w-2*margin) {
		text(img, regular, line, margin, y)
		y += 56
	}
	return img
}

func face(t *testing.T, ttf []byte, size float64) font.Face {
	t.Helper()
	f, err := opentype.Parse(ttf)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	return fc
}

// wrap breaks s into lines no wider than width pixels.
func wrap(f font.Face, s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := strings.TrimSpace(line + " " + word)
		if line != "" && font.MeasureString(f, try).Ceil() > width {
			lines = append(lines, line)
			try = word
		}
		line = try
	}
	return append(lines, line)
}

func text(img *image.RGBA, f font.Face, s string, x, y int) {
	d := font.Drawer{Dst: img, Src: image.White, Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// TestSocialImage checks that the committed sharing image is the one
// drawSocialImage draws (pixel for pixel: PNG bytes may differ between Go
// versions), and rewrites it with -update.
func TestSocialImage(t *testing.T) {
	want := drawSocialImage(t)
	file := filepath.Join(testsite.Root(), socialImagePath)
	if *update {
		var b bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&b, want); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/publish -run TestSocialImage -update)", err)
	}
	got, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != want.Bounds() {
		t.Fatalf("size %v, want %v", got.Bounds(), want.Bounds())
	}
	for y := range want.Bounds().Dy() {
		for x := range want.Bounds().Dx() {
			r1, g1, b1, a1 := got.At(x, y).RGBA()
			r2, g2, b2, a2 := want.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				t.Fatalf("pixel (%d,%d) differs from the drawing: run go test ./internal/publish -run TestSocialImage -update", x, y)
			}
		}
	}
}
