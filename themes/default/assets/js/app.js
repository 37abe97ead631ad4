// hjp: small progressive enhancements. The site works without this file.
const ready = document.documentElement;
ready.classList.add("js");
