// Progressive enhancement only: every page works without this file.
/* global document, Element, MutationObserver */
import { initAll } from './nhsuk-frontend.min.js';
initAll();

// nhsuk-frontend marks a radio or checkbox that reveals content with aria-expanded, which ARIA does not
// allow on those roles (axe: aria-allowed-attr). The reveal is announced through aria-controls, which
// stays, so the attribute is removed whenever the library sets it.
const revealing = 'input[type="radio"], input[type="checkbox"]';
const strip = (el) => {
  if (el instanceof Element && el.matches(revealing) && el.hasAttribute('aria-expanded'))
    el.removeAttribute('aria-expanded');
};
document.querySelectorAll(revealing).forEach(strip);
new MutationObserver((records) => records.forEach((r) => strip(r.target))).observe(document.body, {
  subtree: true,
  attributes: true,
  attributeFilter: ['aria-expanded'],
});
import './copy-codes.js';
