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
  // Each new answer is brought to the top of the conversation (not its last card), and screen readers get each
  // message's words, not the HTML gradio puts in its aria-label.
  const seen = new WeakSet();
  const tidy = () => {
    const chat = document.getElementById("chat");
    if (!chat) return;
    chat.querySelectorAll("[aria-label]").forEach((el) => {
      const label = el.getAttribute("aria-label") || "";
      const match = label.match(/^(user's message|bot's message):/);
      if (!match) return;
      const inert = document.createElement("template");  // parsed, never run: the words of the label's markup
      inert.innerHTML = label.slice(match[0].length);
      const words = (inert.content.textContent || "").replace(/\s+/g, " ").trim();
      const plain = (match[1] === "user's message" ? "Question: " : "Answer: ") + words;
      if (label !== plain) el.setAttribute("aria-label", plain);
    });
    chat.querySelectorAll(".answer").forEach((answer) => {
      if (seen.has(answer)) return;
      seen.add(answer);
      let scroller = answer.parentElement;
      while (scroller && scroller !== chat && !(scroller.scrollHeight > scroller.clientHeight + 2 && getComputedStyle(scroller).overflowY !== "visible")) {
        scroller = scroller.parentElement;
      }
      if (!scroller || scroller === chat) return;
      const offset = answer.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
      scroller.scrollTop += offset - 8;
    });
  };
  // gradio hides its API link at phone width and leaves the separator before it alone in the footer
  const footerDots = () => document.querySelectorAll("footer").forEach((footer) => {
    const links = [...footer.querySelectorAll("a, button")].filter((el) => el.offsetParent !== null);
    footer.style.display = links.length ? "" : "none";
  });
  window.addEventListener("resize", footerDots);
  setTimeout(footerDots, 0);
  // the list of saved conversations starts closed (a phone has no room beside the chat); a wide screen opens it
  const openHistory = (tries) => {
    const sidebar = document.getElementById("history-sidebar");
    if (!sidebar) { if (tries > 0) setTimeout(() => openHistory(tries - 1), 100); return; }
    const toggle = sidebar.querySelector(".toggle-button");
    if (toggle && !sidebar.classList.contains("open") && window.innerWidth >= 1100) toggle.click();
  };
  openHistory(50);
  new MutationObserver(() => { tidy(); footerDots(); }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-label"] });
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
