// The landing page's own "Start the check" button opens the chat widget and starts the
// assessment, with the button's words as the person's first message.
document.getElementById("start-chat").addEventListener("click", function (event) {
  if (typeof window.BackPainChatStart === "function") window.BackPainChatStart(event.currentTarget.textContent.trim());
});
