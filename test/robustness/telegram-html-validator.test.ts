import { describe, expect, it } from 'vitest';
import { markupFragments, parseTelegramHtml } from '../../tools/telegram/html-checker.js';

/** The fuzz tests are only as strict as this validator: it must reject what Telegram rejects. */
describe('parseTelegramHtml', () => {
  it.each([
    '<b>bold</b> and <i>italic</i>',
    '<blockquote>Trade reached $45bn &amp; more &lt;tags&gt; &quot;quoted&quot;</blockquote>\n— <b>ThePrint</b>',
    '<a href="https://example.com/a?x=1&amp;y=2">“Title”</a>',
    '<blockquote expandable>long</blockquote>',
    '<pre><code class="language-ts">const x = 1 &lt; 2;</code></pre>',
    '<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler> <tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    '&#128512; &#x1F600; plain',
  ])('accepts %s', (html) => {
    expect(parseTelegramHtml(html).errors).toEqual([]);
  });

  it.each([
    ['<b>unclosed', /never closed/],
    ['<b><i>crossed</b></i>', /unbalanced/],
    ['</blockquote>', /unbalanced/],
    ['<script>alert(1)</script>', /not allowed/],
    ['<div>x</div>', /not allowed/],
    ['<b class="x">x</b>', /attribute class not allowed/],
    ['<span>x</span>', /tg-spoiler/],
    ['<a href="javascript:alert(1)">x</a>', /safe href/],
    ['<a>x</a>', /safe href/],
    ['a < b', /raw </],
    ['a > b', /raw >/],
    ['Tom & Jerry', /bare &/],
    ['&nbsp;', /bare &/],
    ['&amp', /bare &/],
    ['<blockquote><blockquote>x</blockquote></blockquote>', /nested <blockquote>/],
    ['<code><b>x</b></code>', /inside <code>/],
    ['<pre><b>x</b></pre>', /inside <pre>/],
    ['<a href="https://a.b"><a href="https://c.d">x</a></a>', /nested <a>/],
    ['x'.repeat(4097), /limit 4096/],
    ['   ', /empty/],
    ['bad \ud800 half', /lone surrogate/],
  ])('rejects %s', (html, why) => {
    const { errors } = parseTelegramHtml(html);
    expect(errors.join('; ')).toMatch(why);
  });

  it('decodes the visible text', () => {
    expect(parseTelegramHtml('<b>a &lt;b&gt; &amp;amp; &#65;</b>').text).toBe('a <b> &amp; A');
  });

  it('finds user markup that must not pass through', () => {
    expect(markupFragments('hi <b>bold</b> <i> </pre> <a href=javascript:x>y</a> plain')).toEqual(
      expect.arrayContaining(['<b>bold</b>', '</pre>', '<a href=javascript:x>y</a>', '<a href=javascript:x>']),
    );
    expect(markupFragments('<i>')).toEqual([]);
  });
});
