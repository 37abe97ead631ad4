package markdown

import (
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// taskBoxRenderer writes a task list item's box ("- [ ] Agree aims") as a
// drawn box rather than GFM's disabled checkbox, which has no label and
// which nobody can tick: a screen reader hears the item's text, with
// "Done:" before it when the box is ticked, and a printed checklist shows
// empty boxes to tick by hand.
type taskBoxRenderer struct{}

func (r *taskBoxRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTaskCheckBox, r.render)
}

func (r *taskBoxRenderer) render(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if node.(*east.TaskCheckBox).IsChecked {
		_, _ = w.WriteString(`<span class="task-box task-box-done" aria-hidden="true"></span><span class="visually-hidden">Done: </span>`)
	} else {
		_, _ = w.WriteString(`<span class="task-box" aria-hidden="true"></span>`)
	}
	return ast.WalkContinue, nil
}
