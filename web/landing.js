// The landing page's own "Start the check" button opens the chat widget.
document.getElementById("start-chat").addEventListener("click", function () {
  if (typeof window.BackPainChatOpen === "function") window.BackPainChatOpen();
});
