import { readHtml } from '../../../src/documents/readers/html.reader.js';
import { growthRatio } from '../../support/linearity.js';

describe('readHtml', () => {
  it('keeps text, drops script and style, decodes entities, breaks lines at blocks', () => {
    expect(
      readHtml('<p>Bau&amp;Plan</p><script>x()</script><style>p{}</style><div>Zeile&nbsp;2<br>Zeile 3</div>', 1000),
    ).toEqual({ text: 'Bau&Plan\nZeile 2\nZeile 3', truncated: false });
    expect(readHtml('<p>abcdefghij</p>', 4)).toEqual({ text: 'abcd', truncated: true });
  });

  it('is linear in its input, also for the "<a" repeated of issue #11', () => {
    const hostile = (n: number): string => '<a'.repeat(n);
    const unclosed = (n: number): string => '<p title="'.repeat(n);
    for (const make of [hostile, unclosed]) {
      expect(growthRatio((n) => readHtml(make(n), 200_000), 20_000)).toBeLessThan(8 * 4);
    }
  });
});
