// hjp: small progressive enhancements. Every page works without this file:
// links stay links, the permanent link and citation stay readable text.
// Loaded as a module, so it runs after the document is parsed, and only in
// browsers that support modules.

// Marks that scripts run: stylesheets may use .js, and the deploy test
// checks the script got through the CSP and its integrity check.
document.documentElement.classList.add("js");

const status = document.createElement("div");
status.className = "visually-hidden";
status.setAttribute("role", "status");
document.body.append(status);

// announce tells screen reader users what a button did.
function announce(message) {
  status.textContent = "";
  window.setTimeout(() => { status.textContent = message; }, 50);
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

// flash shows a button's result in its label for a moment.
function flash(button, label) {
  const original = button.dataset.label || button.textContent;
  button.dataset.label = original;
  button.textContent = label;
  window.setTimeout(() => { button.textContent = original; }, 2000);
}

// Copy buttons written by the theme (hidden until this file runs):
// data-copy holds the text to copy.
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const ok = await copy(button.dataset.copy);
    flash(button, ok ? "Copied" : "Copy failed");
    announce(ok ? "Link copied" : "Could not copy: select the link and copy it");
  });
}

// "Cite this": a copy button after each citation text.
for (const text of document.querySelectorAll(".citation-text")) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy-button";
  button.textContent = "Copy citation";
  button.addEventListener("click", async () => {
    const ok = await copy(text.textContent.trim().replace(/\s+/g, " "));
    flash(button, ok ? "Copied" : "Copy failed");
    announce(ok ? "Citation copied" : "Could not copy: select the citation and copy it");
  });
  text.after(button);
}

// Heading self-links: a click still goes to the section, and also copies
// the section's full address.
for (const link of document.querySelectorAll("a.heading-link")) {
  link.addEventListener("click", async () => {
    const url = new URL(link.getAttribute("href"), window.location.href).href;
    if (await copy(url)) {
      announce("Link to this section copied");
    }
  });
}
