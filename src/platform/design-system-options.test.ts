// nhsuk-frontend 10.x still renders options and classes it has deprecated, so a page that uses them looks
// right until the release that removes them. This reads every template and refuses the old names, each
// with the CHANGELOG entry that renamed it.
import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const DEPRECATED: { pattern: RegExp; entry: string }[] = [
  {
    pattern: /errorSummary\(\{[^)]*\b(titleText|titleHtml|descriptionText|descriptionHtml)\s*:/,
    entry: '10.6.0 Rename error summary title and description options',
  },
  {
    pattern: /notificationBanner\(\{[^)]*\b(titleText|titleHtml|titleId|titleHeadingLevel)\s*:/,
    entry: '10.6.0 Rename notification banner title options',
  },
  {
    pattern: /notificationBanner\(\{[^)]*\btype\s*:/,
    entry: '10.4.0 Rename Nunjucks macro options for component variants',
  },
  {
    pattern: /nhsuk-notification-banner__heading/,
    entry: '10.6.0 Rename notification banner title options (the heading option)',
  },
  {
    pattern: /panel\(\{[^)]*\b(titleText|titleHtml|titleSize|titleClasses|headingLevel)\s*:/,
    entry: '10.6.0 Rename panel title options',
  },
  {
    pattern: /details\(\{[^)]*\b(summaryText|summaryHtml)\s*:/,
    entry: '10.6.0 Rename details summary options',
  },
  {
    pattern:
      /card\(\{[^)]*\b(headingHtml|headingClasses|headingId|headingSize|headingLevel|headingVisuallyHiddenText|descriptionHtml|imgURL|imgALT|feature|primary|secondary|type)\s*:/,
    entry: '10.6.0 Rename card heading and description options; 10.4.0 variants; 10.3.0 images',
  },
  { pattern: /warningCallout\(\{[^)]*\bheadingLevel\s*:/, entry: '10.6.0 Rename title and heading options' },
  {
    pattern: /table\(\{[^)]*\b(captionSize|captionClasses|panel|panelClasses|tableClasses)\s*:/,
    entry: '10.6.0 Rename table caption options; 10.3.0 tables as a panel',
  },
  {
    // The same options on a line of their own, in a table written over several lines.
    pattern: /^\s*(captionSize|captionClasses|panelClasses|tableClasses)\s*:/,
    entry: '10.6.0 Rename table caption options (several lines)',
  },
  {
    pattern: /pagination\(\{[^)]*\b(previousUrl|nextUrl|previousPage|nextPage|landmarkLabel|labelText)\s*:/,
    entry: '10.1.0 Pagination Nunjucks options; 10.6.0 Rename ARIA label options',
  },
  { pattern: /\b(exclusive|exclusiveGroup)\s*:/, entry: '10.6.0 Rename checkboxes "none" options' },
  { pattern: /\bmaxwords\s*:/, entry: '10.5.0 Rename the character count maxwords option' },
  {
    pattern: /(button|backLink|actionLink)\(\{[^)]*\belement\s*:/,
    entry: '10.6.0 Stop using the element option',
  },
  {
    pattern: /nhsuk-card__(content|heading)--(feature|primary|secondary)|nhsuk-card--care__/,
    entry: '10.2.0 Add or rename card HTML classes',
  },
  { pattern: /nhsuk-table-responsive/, entry: '10.6.0 Rename reverse and responsive table HTML classes' },
  {
    pattern: /nhsuk-input__(wrapper|prefix|suffix)/,
    entry: '10.2.0 Rename input wrapper HTML class; 10.3.0 prefix and suffix',
  },
  {
    pattern: /nhsuk-[a-z-]*-color\b/,
    entry: '10.0.0 Rename Sass variables, mixins and CSS classes to use "colour" spelling',
  },
  { pattern: /nhsuk-icon__/, entry: '10.0.0 component icons (nhsuk-icon--NAME)' },
  {
    pattern: /nhsuk-warning-callout|nhsuk-do-dont-list|nhsuk-table__panel-with-heading-tab/,
    entry: "10.3.0 Update the HTML for warning callouts; 10.4.0 do and don't lists",
  },
];

const files = [...globSync('src/**/*.njk', { cwd: ROOT }), ...globSync('public/*.css', { cwd: ROOT })];

test('templates use no option or class nhsuk-frontend 10.x has deprecated', () => {
  assert.ok(files.length > 50, 'the templates are found');
  const found: string[] = [];
  for (const file of files) {
    readFileSync(ROOT + file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const { pattern, entry } of DEPRECATED)
          if (pattern.test(line))
            found.push(`${file}:${i + 1}: ${line.trim().slice(0, 100)} (CHANGELOG ${entry})`);
      });
  }
  assert.deepEqual(found, []);
});

test('the check recognises each deprecated form', () => {
  const samples = [
    '{{ errorSummary({ titleText: "There is a problem", errorList: [] }) }}',
    '{{ notificationBanner({ type: "success", text: flash }) }}',
    '{{ panel({ titleText: "Referral sent" }) }}',
    '{{ details({ summaryText: "Open", html: x }) }}',
    '{% call warningCallout({ heading: "Safety", headingLevel: 2 }) %}',
    '<span class="nhsuk-u-secondary-text-color">',
    '<div class="nhsuk-card__content nhsuk-card__content--feature">',
    '.nhsuk-warning-callout,',
  ];
  for (const s of samples)
    assert.ok(
      DEPRECATED.some(({ pattern }) => pattern.test(s)),
      s,
    );
  assert.ok(
    !DEPRECATED.some(({ pattern }) => pattern.test('{{ panel({ heading: { text: "Referral sent" } }) }}')),
  );
});
