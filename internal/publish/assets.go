package publish

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // sizes of GIF assets
	_ "image/jpeg" // sizes of JPEG assets
	_ "image/png"  // sizes of PNG assets
	"io/fs"
	"path"
	"slices"
	"strings"

	"hjp/internal/diag"
	"hjp/internal/render"
)

// File is an output file with its bytes.
type File struct {
	Path string
	Data []byte
}

// WalkFiles calls fn, in lexical order, for each file below dir that is
// not hidden (a name starting with "."), with its path in fsys and its
// path relative to dir. A missing dir holds no files; fn's error stops
// the walk.
func WalkFiles(fsys fs.FS, dir string, fn func(p, rel string) error) error {
	return fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		return fn(p, strings.TrimPrefix(p, dir+"/"))
	})
}

// Assets reads the theme's assets folder and fingerprints each file for
// long caching: every css/*.css is joined, in name order, into one
// stylesheet "style.css"; every other file keeps its name with a content
// hash added ("js/app.js" → "assets/app.1a2b3c4d5e.js"). transform, when
// set, rewrites a file's bytes (minification) before it is hashed.
func Assets(fsys fs.FS, dir string, transform func(name string, data []byte) ([]byte, error)) (map[string]render.Asset, []File, diag.List) {
	var l diag.List
	var css bytes.Buffer
	others := map[string][]byte{}
	err := WalkFiles(fsys, dir, func(p, rel string) error {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if path.Dir(rel) == "css" && path.Ext(rel) == ".css" {
			css.Write(b)
			css.WriteByte('\n')
			return nil
		}
		others[rel] = b
		return nil
	})
	if err != nil {
		l.Errorf(dir, 1, 1, "cannot read theme assets: %v", err)
		return nil, nil, l
	}
	if css.Len() > 0 {
		others["style.css"] = css.Bytes()
	}
	names := make([]string, 0, len(others))
	for n := range others {
		names = append(names, n)
	}
	slices.Sort(names)
	assets := map[string]render.Asset{}
	var files []File
	for _, name := range names {
		data := others[name]
		if transform != nil {
			out, err := transform(name, data)
			if err != nil {
				l.Add(transformError(dir, name, data, err))
				continue
			}
			data = out
		}
		out := Fingerprint(name, data)
		a := render.Asset{URL: "/" + out, Integrity: Integrity(data)}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
			a.Width, a.Height = cfg.Width, cfg.Height
		}
		assets[name] = a
		files = append(files, File{Path: out, Data: data})
	}
	return assets, files, l
}

// Fingerprint names an asset by its content: "js/app.js" →
// "assets/app.<10 hex digits>.js".
func Fingerprint(name string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	base := strings.TrimSuffix(path.Base(name), ext)
	return "assets/" + base + "." + hex.EncodeToString(sum[:5]) + ext
}

// Integrity returns the Subresource Integrity value of data (SHA-384).
func Integrity(data []byte) string {
	sum := sha512.Sum384(data)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

// transformError places a minification error in the asset's source file.
// The joined stylesheet has no single source, so its errors name the css
// folder and keep the position in the message.
func transformError(dir, name string, src []byte, err error) diag.Diagnostic {
	d := diag.Diagnostic{Path: path.Join(dir, name), Line: 1, Col: 1, Message: "cannot minify: " + err.Error()}
	var me *MinifyError
	if errors.As(err, &me) {
		if name == "style.css" {
			d.Path = path.Join(dir, "css")
			d.Message = fmt.Sprintf("cannot minify the joined stylesheet (css/*.css in name order): %v", me)
		} else {
			d.Line, d.Col, d.Message = me.Line, me.Col, "cannot minify: "+me.Message
			d.Source = diag.NewFile(d.Path, src).Line(me.Line)
		}
	}
	return d
}
