import { recogniseEmails } from '../../../src/analysis/rules/recognisers/email.recogniser.js';

describe('recogniseEmails', () => {
  it('finds addresses, lower-cases the domain and leaves trailing punctuation out', () => {
    const text = 'Rückfragen an bauaufsicht@Musterstadt.DE oder an erika.mustermann+antrag@example-mail.de.';
    expect(recogniseEmails(text).map((m) => [m.quote, m.value])).toEqual([
      ['bauaufsicht@Musterstadt.DE', 'bauaufsicht@musterstadt.de'],
      ['erika.mustermann+antrag@example-mail.de', 'erika.mustermann+antrag@example-mail.de'],
    ]);
  });

  it('does not take an @ without domain as address', () => {
    expect(recogniseEmails('Treffen @ Rathaus, Zimmer 3; Kennung max@localhost')).toEqual([]);
  });
});
