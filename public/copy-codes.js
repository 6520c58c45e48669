// A copy button for each clinical code (referrals/views/_clinical-codes.njk). Without this file, or
// without the clipboard, the codes stay plain text anyone can select; the buttons only appear when they
// can work. The result is announced in the table's live region.
/* global document, navigator */
const status = (root) => root.querySelector('[data-copy-status]');

for (const root of document.querySelectorAll('[data-clinical-codes]')) {
  if (!navigator.clipboard) continue;
  for (const code of root.querySelectorAll('[data-copy-code]')) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'nhsuk-button nhsuk-button--secondary nhsuk-button--small app-copy-code';
    button.textContent = 'Copy';
    const hidden = document.createElement('span');
    hidden.className = 'nhsuk-u-visually-hidden';
    hidden.textContent = ` code ${code.dataset.copyCode}, ${code.dataset.copyTerm}`;
    button.append(hidden);
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(code.dataset.copyCode).then(
        () => (status(root).textContent = `Copied ${code.dataset.copyCode}, ${code.dataset.copyTerm}`),
        () => (status(root).textContent = 'Could not copy. Select the code and copy it instead.'),
      );
    });
    code.after(' ', button);
  }
}
