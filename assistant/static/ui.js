() => {
  // Clicking a [n] marker brings its citation card into view; "Copy as Markdown" copies the answer.
  const flash = (card) => {
    card.classList.add("flash");
    setTimeout(() => card.classList.remove("flash"), 1600);
  };
  const copy = async (text) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (err) {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      return ok;
    }
  };
  document.addEventListener("click", async (event) => {
    const cite = event.target.closest && event.target.closest("a.cite");
    if (cite) {
      const card = document.getElementById((cite.getAttribute("href") || "").replace(/^#/, ""));
      if (card) {
        event.preventDefault();
        event.stopPropagation();
        card.scrollIntoView({ behavior: "smooth", block: "center" });
        card.focus({ preventScroll: true });
        flash(card);
      }
      return;
    }
    const button = event.target.closest && event.target.closest("button.copy-md");
    if (button) {
      const source = button.parentElement.querySelector(".md-src");
      if (source) {
        const ok = await copy(source.textContent);
        button.textContent = ok ? "Copied ✓" : "Copy failed: use Export";
        setTimeout(() => { button.textContent = "Copy as Markdown"; }, 1800);
      }
    }
  }, true);
}
