package publish

import (
	"bytes"
	"encoding/binary"
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

var update = flag.Bool("update", false, "rewrite generated files (the theme's social image and favicon.ico)")

// The theme's raster images are drawn by this file, so they can be
// remade exactly: go test ./internal/publish -run TestThemeImages -update
var (
	// socialImagePath is the default image shown when a page is shared.
	socialImagePath = filepath.Join("themes", "default", "assets", "img", "social.png")
	// faviconPath is the icon browsers ask for at /favicon.ico, whatever
	// the page links (the favicon.svg asset draws the same mark).
	faviconPath = filepath.Join("themes", "default", "static", "favicon.ico")
)

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

// drawFavicon draws favicon.svg at 32×32: the white cross on a blue
// square with corners of radius 6, its edges smoothed by 4×4 sampling.
func drawFavicon() *image.NRGBA {
	const size, sub = 32, 4
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	inside := func(x, y float64) (blue, white bool) {
		cx, cy := min(max(x, 6), 26), min(max(y, 6), 26) // nearest point of the inner square
		if (x-cx)*(x-cx)+(y-cy)*(y-cy) > 36 {
			return false, false
		}
		cross := (x >= 13 && x < 19 && y >= 5 && y < 27) || (x >= 5 && x < 27 && y >= 13 && y < 19)
		return true, cross
	}
	for py := range size {
		for px := range size {
			var cover, light int
			for sy := range sub {
				for sx := range sub {
					b, w := inside(float64(px)+(float64(sx)+0.5)/sub, float64(py)+(float64(sy)+0.5)/sub)
					if b {
						cover++
					}
					if w {
						light++
					}
				}
			}
			if cover == 0 {
				continue
			}
			// Not premultiplied (PNG's own form, so it survives encoding):
			// blue and white mixed by the white share of the covered part.
			mix := func(blue, white int) uint8 {
				return uint8((blue*(cover-light) + white*light) / cover)
			}
			img.SetNRGBA(px, py, color.NRGBA{mix(0x1d, 0xff), mix(0x70, 0xff), mix(0xb8, 0xff), uint8(cover * 255 / (sub * sub))})
		}
	}
	return img
}

// encodeICO wraps a PNG in an ICO file with one 32×32 entry.
func encodeICO(t *testing.T, img image.Image) []byte {
	var p bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	var ico bytes.Buffer
	ico.Write([]byte{0, 0, 1, 0, 1, 0}) // reserved, type 1 (icon), one image
	ico.Write([]byte{byte(b.Dx()), byte(b.Dy()), 0, 0, 1, 0, 32, 0})
	binary.Write(&ico, binary.LittleEndian, uint32(p.Len()))
	binary.Write(&ico, binary.LittleEndian, uint32(6+16))
	ico.Write(p.Bytes())
	return ico.Bytes()
}

// decodeICO returns the image of a one-entry ICO holding a PNG.
func decodeICO(t *testing.T, b []byte) image.Image {
	t.Helper()
	if len(b) < 22 || !bytes.Equal(b[:6], []byte{0, 0, 1, 0, 1, 0}) {
		t.Fatalf("not a one-image ICO file")
	}
	size, off := binary.LittleEndian.Uint32(b[14:18]), binary.LittleEndian.Uint32(b[18:22])
	if int(off+size) != len(b) {
		t.Fatalf("ICO entry %d bytes at %d, file %d bytes", size, off, len(b))
	}
	img, err := png.Decode(bytes.NewReader(b[off:]))
	if err != nil {
		t.Fatal(err)
	}
	if int(b[6]) != img.Bounds().Dx() || int(b[7]) != img.Bounds().Dy() {
		t.Fatalf("ICO says %dx%d, the PNG is %v", b[6], b[7], img.Bounds())
	}
	return img
}

// TestThemeImages checks that the committed images are the ones drawn
// here (pixel for pixel: PNG bytes may differ between Go versions), and
// rewrites them with -update.
func TestThemeImages(t *testing.T) {
	social := drawSocialImage(t)
	favicon := drawFavicon()
	tests := []struct {
		path   string
		want   image.Image
		encode func() []byte
		decode func([]byte) image.Image
	}{
		{socialImagePath, social,
			func() []byte {
				var b bytes.Buffer
				if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, social); err != nil {
					t.Fatal(err)
				}
				return b.Bytes()
			},
			func(b []byte) image.Image {
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				return img
			}},
		{faviconPath, favicon, func() []byte { return encodeICO(t, favicon) }, func(b []byte) image.Image { return decodeICO(t, b) }},
	}
	for _, tt := range tests {
		file := filepath.Join(testsite.Root(), tt.path)
		if *update {
			os.MkdirAll(filepath.Dir(file), 0o755)
			if err := os.WriteFile(file, tt.encode(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/publish -run TestThemeImages -update)", err)
		}
		samePixels(t, tt.path, tt.decode(b), tt.want)
	}
}

func samePixels(t *testing.T, name string, got, want image.Image) {
	t.Helper()
	if got.Bounds() != want.Bounds() {
		t.Fatalf("%s: size %v, want %v", name, got.Bounds(), want.Bounds())
	}
	for y := range want.Bounds().Dy() {
		for x := range want.Bounds().Dx() {
			r1, g1, b1, a1 := got.At(x, y).RGBA()
			r2, g2, b2, a2 := want.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				t.Fatalf("%s: pixel (%d,%d) differs from the drawing: run go test ./internal/publish -run TestThemeImages -update", name, x, y)
			}
		}
	}
}
